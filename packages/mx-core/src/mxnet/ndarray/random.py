"""``mx.nd.random``: sampling front-ends (operators ``_random_*`` / ``_sample_*``)."""

"""``mx.random``: seeding and sampling (filled by the random module)."""

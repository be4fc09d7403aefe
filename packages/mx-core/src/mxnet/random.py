"""``mx.random``: seeding the generators and MXNet's samplers (``mx.nd.random``'s)."""
from .base import integer_types
from .context import Context
from .ndarray.random import (exponential, gamma, generalized_negative_binomial,  # noqa: F401
                             multinomial, negative_binomial, normal, poisson, randint,
                             randn, shuffle, uniform)

__all__ = ["seed", "uniform", "normal", "randn", "randint", "exponential", "gamma",
           "poisson", "negative_binomial", "generalized_negative_binomial", "multinomial",
           "shuffle"]


def seed(seed_state, ctx="all"):
    """Seed the random number generators.

    Parameters
    ----------
    seed_state : int
        The seed. The same seed gives the same numbers on the same device.
    ctx : Context or "all"
        ``"all"`` (default) reseeds every device of every installed backend; a context
        reseeds only that device's generator.
    """
    if not isinstance(seed_state, integer_types) or isinstance(seed_state, bool):
        raise ValueError("seed_state must be int")
    # MXNet 1.9.1 compat: the seed passes through a C int, so any int is accepted and
    # seeds equal modulo 2**32 give the same numbers
    seed_state = int(seed_state) & 0xFFFFFFFF
    if isinstance(ctx, str) and ctx == "all":
        from .plugins._manager import get_registry
        registry = get_registry("backends")
        for name in registry.names():
            registry.get(name).seed(seed_state, None)
        return
    ctx = Context(ctx)
    ctx.backend.seed(seed_state, ctx.device_id)

"""Vision datasets and transforms (being written)."""

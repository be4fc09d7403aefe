"""Sparse storage (``row_sparse``, ``csr``): placeholder filled by the storage module."""

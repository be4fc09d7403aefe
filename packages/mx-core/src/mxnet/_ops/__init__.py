"""Operator machinery: registry, typed parameters, shape/dtype rules, declarations."""

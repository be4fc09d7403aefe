"""Shared pieces of the operator tests: the MXNet 1.9.1 conformance catalog."""
import json
import pathlib

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "ops"


def load_catalog():
    with open(DATA / "catalog.json") as f:
        return json.load(f)

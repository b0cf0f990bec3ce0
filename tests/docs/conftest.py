"""The manual's tests: where it lives, and its command-reference generator."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest
from support.issues import REPO

DOCS = REPO / "docs"


@pytest.fixture(scope="session")
def gen_cli() -> ModuleType:
    """docs/gen_cli.py, the script cog runs to write docs/reference/cli.md."""
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

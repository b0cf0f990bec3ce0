"""Fixtures for the link check: the answering server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import LinkServer


@pytest.fixture
def server() -> Iterator[LinkServer]:
    running = LinkServer().start()
    yield running
    running.stop()


@pytest.fixture
def internal() -> Iterator[LinkServer]:
    """A second server standing for an address inside the office network (an admin page)."""
    running = LinkServer().start()
    yield running
    running.stop()

"""The journal fixtures, one per storage implementation.

Every test that takes ``journal`` (or ``open_store``) runs against each store in
STORES: the interface promises one behaviour, whatever the database. A new store
adds its name here and a branch in ``open_store``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsletter_cli.journal import JournalStore, SQLiteJournal

STORES = ["sqlite", "postgresql"]


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.postgres) if name == "postgresql"
                        else name for name in STORES])  # fmt: skip
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], JournalStore]:
    """Opens another connection to one fresh store (as another process would)."""
    opened: list[JournalStore] = []
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None

    def make() -> JournalStore:
        if request.param == "sqlite":
            store = SQLiteJournal(tmp_path / ".newsletter" / "journal.sqlite")
        elif request.param == "postgresql":
            from newsletter_cli.journal.postgres import PostgresJournal

            store = PostgresJournal(url)
        else:  # pragma: no cover - a store without a branch here is a mistake in STORES
            raise ValueError(request.param)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def journal(open_store: Callable[[], JournalStore]) -> JournalStore:
    return open_store()



"""The send journal: every send and every recipient's status, committed before each step.

:class:`~newsletter_cli.journal.store.JournalStore` is the one storage interface;
:func:`open_journal` gives the project's store (SQLite today). :mod:`.history`
answers questions about past sends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter_cli.journal.sqlite import SQLiteJournal
from newsletter_cli.journal.store import (
    Claim,
    JournalStore,
    Person,
    RecipientRecord,
    SendRecord,
)

if TYPE_CHECKING:
    from newsletter_cli.project import Project

#: The store a project uses when nothing else is configured (kept for older imports).
Journal = SQLiteJournal


def open_journal(project: Project) -> JournalStore:
    """The project's journal, created if new."""
    return SQLiteJournal(project.journal_path)


def existing_journal(project: Project) -> JournalStore | None:
    """The project's journal if there is one (nothing is created otherwise)."""
    return SQLiteJournal.open_existing(project.journal_path)


__all__ = [
    "Claim",
    "Journal",
    "JournalStore",
    "Person",
    "RecipientRecord",
    "SQLiteJournal",
    "SendRecord",
    "existing_journal",
    "open_journal",
]

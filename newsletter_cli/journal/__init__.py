"""The send journal: every send and every recipient's status, committed before each step.

:class:`~newsletter_cli.journal.store.JournalStore` is the one storage interface;
:func:`open_journal` gives the project's store: SQLite in ``.newsletter/`` by default,
or the team's PostgreSQL database when ``newsletter.toml`` names one (``[delivery]
journal = "postgresql://…"``; psycopg is imported only then). :mod:`.history` answers
questions about past sends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter_cli.config import load_config
from newsletter_cli.journal.sqlite import SQLiteJournal
from newsletter_cli.journal.store import (
    Claim,
    JournalStore,
    Person,
    RecipientRecord,
    SendRecord,
)

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

#: The store a project uses when nothing else is configured (kept for older imports).
Journal = SQLiteJournal


def journal_url(project: Project, config: Config | None = None) -> str | None:
    """The shared journal's URL from newsletter.toml (``config`` when the caller has read
    it already), or None for the embedded SQLite one."""
    return (config or load_config(project)).delivery.journal


def journal_location(project: Project) -> str:
    """Where the project's journal is, for people: the database URL or the file."""
    return journal_url(project) or str(project.journal_path)


def open_journal(project: Project, config: Config | None = None) -> JournalStore:
    """The project's journal for a send, created if new."""
    url = journal_url(project, config)
    if url is not None:
        from newsletter_cli.journal.migrate import check_migrated
        from newsletter_cli.journal.postgres import PostgresJournal

        shared = PostgresJournal(url)
        check_migrated(project, shared, url)
        return shared
    return SQLiteJournal(project.journal_path)


def existing_journal(
    project: Project, *, sending: bool = False, config: Config | None = None
) -> JournalStore | None:
    """The project's journal if there is one (nothing is created otherwise). ``sending``:
    for planning a send, which a shared journal refuses while this folder's own SQLite
    journal has sends it lacks (``newsletter journal migrate`` copies them)."""
    url = journal_url(project, config)
    if url is not None:
        from newsletter_cli.journal.migrate import check_migrated
        from newsletter_cli.journal.postgres import PostgresJournal

        shared = PostgresJournal.open_existing(url)
        if sending:
            check_migrated(project, shared, url)
        return shared
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
    "journal_location",
    "journal_url",
    "open_journal",
]

"""The journal in one SQLite file (WAL), private to the user: ``.newsletter/journal.sqlite``.

Only the dialect lives here: how to connect, how a writing transaction starts,
which tables exist, and the per-send lock (an OS file lock). Every query is in
:mod:`newsletter_cli.journal.sql`.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from newsletter_cli.errors import DeliveryError
from newsletter_cli.journal import lock
from newsletter_cli.journal.sql import SqlJournal

#: The folder holding the journal and the locks: only its owner may read it.
FOLDER_MODE = 0o700
#: The journal and SQLite's -wal and -shm files beside it.
FILE_MODE = 0o600


class SQLiteJournal(SqlJournal):
    """The journal file; one connection, autocommit off, a commit per state change."""

    table_options = " WITHOUT ROWID"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.where = str(path)
        try:
            private_folder(self.path.parent)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        except OSError as exc:
            raise DeliveryError(
                f"the send journal cannot be created: {exc.strerror}", path=path
            ) from None
        for suffix in ("", "-wal", "-shm"):
            _tighten(Path(f"{self.path}{suffix}"), FILE_MODE)
        self._open()

    @classmethod
    def open_existing(cls, path: Path) -> SQLiteJournal | None:
        """The journal if it exists (nothing is created otherwise)."""
        return cls(path) if Path(path).is_file() else None

    def _connect(self) -> Any:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _begin(self, cursor: Any, serialise: str | None) -> None:
        # IMMEDIATE takes the database's write lock at once: every writer, and so every
        # claim of every issue, runs one after another. ``serialise`` needs nothing more.
        cursor.execute("BEGIN IMMEDIATE")

    def _tables(self, cursor: Any) -> set[str]:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in cursor.fetchall()}

    def send_lock(self, send_id: str) -> AbstractContextManager[None]:
        return lock.send_lock(self.path.parent, send_id)

    def running(self, send_id: str) -> bool:
        return lock.is_locked(self.path.parent, send_id)


def private_folder(folder: Path) -> None:
    """Create ``folder`` readable by its owner only (and tighten one made earlier)."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    _tighten(folder, FOLDER_MODE)


def _tighten(path: Path, mode: int) -> None:
    """Take away group and other permissions (a journal made by an earlier release)."""
    try:
        current = path.stat().st_mode & 0o777
        if current & ~mode:
            os.chmod(path, current & mode)
    except OSError:
        pass  # missing, or not ours: SQLite reports what matters when it opens

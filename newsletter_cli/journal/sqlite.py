"""The send journal: every send and every recipient's status, in SQLite (WAL).

Each change of status is committed before the next step happens, so a crash
(even ``kill -9``) at any moment leaves every recipient either ``queued``
(nothing left for them), ``sending`` (a request was in flight: treated as
``uncertain`` on the next run), or a final status.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from newsletter_cli.delivery.base import Outcome, Status
from newsletter_cli.errors import DeliveryError, UnknownNameError

SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    id TEXT PRIMARY KEY,
    issue TEXT NOT NULL,
    lists TEXT NOT NULL,          -- JSON list of list names (or test addresses)
    mode TEXT NOT NULL,           -- live | sandbox | test
    backend TEXT NOT NULL,
    subject TEXT NOT NULL,
    issue_sha TEXT NOT NULL,
    send_at INTEGER,              -- unix time of a scheduled send
    batch_id TEXT,                -- the service's id for a scheduled send
    state TEXT NOT NULL DEFAULT 'open',   -- open | done | cancelled
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS recipients (
    send_id TEXT NOT NULL REFERENCES sends(id),
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (send_id, email)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recipients_status ON recipients(send_id, status);
"""


@dataclass(frozen=True)
class SendRecord:
    """One send as the journal knows it."""

    id: str
    issue: str
    lists: tuple[str, ...]
    mode: str
    backend: str
    subject: str
    issue_sha: str
    send_at: int | None
    batch_id: str | None
    state: str
    created: float
    updated: float


@dataclass(frozen=True)
class RecipientRecord:
    email: str
    status: Status
    message_id: str | None
    reason: str | None
    attempts: int


class Journal:
    """The journal file; one connection, autocommit off, a commit per state change."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise DeliveryError(f"the send journal cannot be opened: {exc}", path=path) from None

    @classmethod
    def open_existing(cls, path: Path) -> Journal | None:
        """The journal if it exists (nothing is created otherwise)."""
        return cls(path) if Path(path).is_file() else None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- sends --------------------------------------------------------------------------

    def open_send(
        self,
        send_id: str,
        *,
        issue: str,
        lists: Iterable[str],
        mode: str,
        backend: str,
        subject: str,
        issue_sha: str,
    ) -> SendRecord:
        """The send with this id, created if new."""
        now = time.time()
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO sends (id, issue, lists, mode, backend, subject, issue_sha,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (send_id, issue, json.dumps(list(lists)), mode, backend, subject, issue_sha,
                 now, now),
            )  # fmt: skip
        found = self.get_send(send_id)
        assert found is not None
        return found

    def get_send(self, send_id: str) -> SendRecord | None:
        row = self._db.execute(
            "SELECT id, issue, lists, mode, backend, subject, issue_sha, send_at, batch_id,"
            " state, created, updated FROM sends WHERE id = ?",
            (send_id,),
        ).fetchone()
        if row is None:
            return None
        return SendRecord(row[0], row[1], tuple(json.loads(row[2])), *row[3:])

    def require_send(self, send_id: str) -> SendRecord:
        found = self.get_send(send_id)
        if found is None:
            raise UnknownNameError(
                f"no send with id {send_id!r}", hint="`newsletter history` lists the sends"
            )
        return found

    def update_send(self, send_id: str, **fields: object) -> None:
        allowed = {"send_at", "batch_id", "state", "subject", "issue_sha"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        sets = ", ".join(f"{name} = ?" for name in fields)
        with self._tx() as db:
            db.execute(
                f"UPDATE sends SET {sets}, updated = ? WHERE id = ?",
                (*fields.values(), time.time(), send_id),
            )

    def sends(self) -> list[SendRecord]:
        ids = [r[0] for r in self._db.execute("SELECT id FROM sends ORDER BY created, id")]
        return [s for s in map(self.get_send, ids) if s is not None]

    # -- recipients ---------------------------------------------------------------------

    def enqueue(self, send_id: str, emails: Iterable[str]) -> int:
        """Record new recipients as queued (known ones keep their status); return how many."""
        now = time.time()
        with self._tx() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO recipients (send_id, email, status, updated)"
                " VALUES (?, ?, ?, ?)",
                ((send_id, e, Status.QUEUED.value, now) for e in emails),
            )
            return db.total_changes - before

    def set_status(
        self,
        send_id: str,
        emails: Iterable[str],
        status: Status,
        *,
        reason: str | None = None,
        only_from: Iterable[Status] | None = None,
    ) -> None:
        """Move these recipients to ``status`` in one commit (optionally only from some)."""
        now = time.time()
        bump = 1 if status is Status.SENDING else 0
        guard = ""
        extra: tuple = ()
        if only_from is not None:
            allowed = [s.value for s in only_from]
            guard = f" AND status IN ({', '.join('?' * len(allowed))})"
            extra = tuple(allowed)
        with self._tx() as db:
            db.executemany(
                "UPDATE recipients SET status = ?, reason = ?, attempts = attempts + ?,"
                f" updated = ? WHERE send_id = ? AND email = ?{guard}",
                ((status.value, reason, bump, now, send_id, e, *extra) for e in emails),
            )

    def set_new(self, send_id: str, outcomes: Iterable[tuple[str, Status, str | None]]) -> None:
        """Record recipients with a final status decided before sending (suppressed, invalid).

        An accepted recipient stays accepted.
        """
        now = time.time()
        with self._tx() as db:
            db.executemany(
                "INSERT INTO recipients (send_id, email, status, reason, updated)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (send_id, email) DO UPDATE SET"
                " status = excluded.status, reason = excluded.reason, updated = excluded.updated"
                " WHERE recipients.status NOT IN ('accepted', 'sending', 'uncertain')",
                ((send_id, e, s.value, r, now) for e, s, r in outcomes),
            )

    def record(self, send_id: str, outcomes: Iterable[Outcome]) -> None:
        """Record what a batch did, in one commit."""
        now = time.time()
        with self._tx() as db:
            db.executemany(
                "UPDATE recipients SET status = ?, message_id = ?, reason = ?, updated = ?"
                " WHERE send_id = ? AND email = ?",
                (
                    (o.status.value, o.message_id, o.reason, now, send_id, o.email)
                    for o in outcomes
                ),
            )

    def recover_in_flight(self, send_id: str) -> int:
        """After a crash: recipients left ``sending`` become ``uncertain``; return how many."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE recipients SET status = ?, reason = ?, updated = ?"
                " WHERE send_id = ? AND status = ?",
                (
                    Status.UNCERTAIN.value,
                    "the run stopped while their request was in flight",
                    time.time(),
                    send_id,
                    Status.SENDING.value,
                ),
            )
            return cur.rowcount

    def statuses(self, send_id: str) -> dict[str, Status]:
        return {
            email: Status(status)
            for email, status in self._db.execute(
                "SELECT email, status FROM recipients WHERE send_id = ?", (send_id,)
            )
        }

    def counts(self, send_id: str) -> Counter[Status]:
        return Counter(
            {
                Status(status): n
                for status, n in self._db.execute(
                    "SELECT status, COUNT(*) FROM recipients WHERE send_id = ? GROUP BY status",
                    (send_id,),
                )
            }
        )

    def recipients(
        self, send_id: str, statuses: Iterable[Status] | None = None
    ) -> list[RecipientRecord]:
        query = (
            "SELECT email, status, message_id, reason, attempts FROM recipients WHERE send_id = ?"
        )
        params: list = [send_id]
        if statuses is not None:
            wanted = [s.value for s in statuses]
            query += f" AND status IN ({', '.join('?' * len(wanted))})"
            params += wanted
        rows = self._db.execute(query + " ORDER BY email", params)
        return [RecipientRecord(e, Status(s), m, r, a) for e, s, m, r, a in rows]

    def accepted_since(self, backend: str, since: float) -> int:
        """Recipients accepted through ``backend`` since unix time ``since`` (daily limits)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM recipients JOIN sends ON sends.id = recipients.send_id"
            " WHERE sends.backend = ? AND recipients.status = ? AND recipients.updated >= ?",
            (backend, Status.ACCEPTED.value, since),
        ).fetchone()
        return int(row[0])

"""The journal in portable SQL over any DB-API connection: the one behaviour of every store.

A database implementation subclasses :class:`SqlJournal` and supplies only what
differs between databases (see "the dialect" below): connecting, the parameter
mark, how a writing transaction starts (and serialises the sends of one issue),
which tables exist, and the per-send lock. Every query is written once, here and
in :mod:`.sql_issue` (the queries across the sends of one issue).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from newsletter_cli.errors import DeliveryError
from newsletter_cli.journal import schema
from newsletter_cli.journal.sql_issue import IssueQueries
from newsletter_cli.journal.sqlkit import (
    HAS_IT_VALUES,
    RECIPIENT_COLUMNS,
    SEND_COLUMNS,
    Cursor,
    chunks,
    marks,
    recipient_record,
    send_record,
    status_guard,
)
from newsletter_cli.journal.status import Outcome, Status
from newsletter_cli.journal.store import SCHEMA_VERSION, Person, RecipientRecord, SendRecord

#: Rows a statement inserts when queueing: 7 parameters each, under SQLite's 999 at most.
_ROWS = 140
_ROW = "(?, ?, ?, ?, ?, ?, ?)"


class SqlJournal(IssueQueries):
    """Every query of the journal; subclasses give the connection and the dialect."""

    where: str = ""
    #: Appended to CREATE TABLE recipients (SQLite: " WITHOUT ROWID").
    table_options: str = ""
    #: The DB-API parameter mark the driver wants in place of ``?``.
    param: str = "?"
    #: The type of text columns (PostgreSQL: ``TEXT COLLATE "C"``, SQLite's order).
    text_type: str = "TEXT"

    # -- the dialect: what a database implementation supplies --------------------------

    def _connect(self) -> Any:
        """A DB-API connection in autocommit mode (transactions are explicit)."""
        raise NotImplementedError

    def _begin(self, cursor: Any, serialise: str | None) -> None:
        """Start a writing transaction; with ``serialise``, also wait for any other
        transaction that serialised on the same key (one issue's claims)."""
        raise NotImplementedError

    def _tables(self, cursor: Any) -> set[str]:
        raise NotImplementedError

    def send_lock(self, send_id: str) -> AbstractContextManager[None]:
        raise NotImplementedError

    def running(self, send_id: str) -> bool:
        raise NotImplementedError

    # -- plumbing ----------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._db = self._connect()
            with self._tx() as cur:
                self._ensure_schema(cur)
        except DeliveryError:
            raise
        except Exception as exc:  # noqa: BLE001 - any driver's error: one clear message
            raise DeliveryError(
                f"the send journal cannot be opened: {exc}", path=self.where
            ) from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqlJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sql(self, text: str) -> str:
        return text if self.param == "?" else text.replace("?", self.param)

    def _read(self, text: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self._db.cursor()
        try:
            cur.execute(self._sql(text), tuple(params))
            return cur.fetchall()
        finally:
            cur.close()

    @contextmanager
    def _tx(self, serialise: str | None = None) -> Iterator[Any]:
        cur = self._db.cursor()
        self._begin(cur, serialise)
        try:
            yield Cursor(cur, self._sql)
        except BaseException:
            cur.execute("ROLLBACK")
            cur.close()
            raise
        cur.execute("COMMIT")
        cur.close()

    def _ensure_schema(self, cur: Cursor) -> None:
        tables = self._tables(cur.raw)
        if "sends" not in tables:
            for statement in schema.create_statements(self.table_options, self.text_type):
                cur.execute(statement)
            version = None
        elif "journal_meta" not in tables:
            version = 1  # the first release wrote no version
        else:
            cur.execute("SELECT value FROM journal_meta WHERE key = 'schema_version'")
            row = cur.fetchone()
            version = int(row[0]) if row else 1
        if version is not None and version > SCHEMA_VERSION:
            raise DeliveryError(
                f"the send journal was written by a newer version of newsletter "
                f"(journal version {version}, this one knows {SCHEMA_VERSION})",
                path=self.where,
                hint="upgrade newsletter on this machine before sending",
            )
        if version is not None:
            for statement in schema.upgrade_statements(version, self.text_type):
                cur.execute(statement)
        cur.execute(
            "INSERT INTO journal_meta (key, value) VALUES ('schema_version', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )

    def schema_version(self) -> int:
        rows = self._read("SELECT value FROM journal_meta WHERE key = 'schema_version'")
        return int(rows[0][0])

    # -- sends -------------------------------------------------------------------------

    def open_send(
        self, send_id: str, *, issue: str, lists: Iterable[str], mode: str, backend: str,
        subject: str, issue_sha: str, delivers: bool = True,
    ) -> SendRecord:  # fmt: skip
        now = time.time()
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO sends (id, issue, lists, mode, backend, delivers, subject, issue_sha,"
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                (send_id, issue, json.dumps(list(lists)), mode, backend, int(delivers), subject,
                 issue_sha, now, now),
            )  # fmt: skip
        found = self.get_send(send_id)
        assert found is not None
        return found

    def get_send(self, send_id: str) -> SendRecord | None:
        rows = self._read(f"SELECT {SEND_COLUMNS} FROM sends WHERE id = ?", (send_id,))
        return send_record(rows[0]) if rows else None

    def update_send(self, send_id: str, **fields: object) -> None:
        allowed = {"send_at", "batch_id", "state", "subject", "issue_sha", "hand_over_from",
                   "handed_over", "hold_note", "request"}  # fmt: skip
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        sets = ", ".join(f"{name} = ?" for name in fields)
        with self._tx() as cur:
            cur.execute(
                f"UPDATE sends SET {sets}, updated = ? WHERE id = ?",
                (*fields.values(), time.time(), send_id),
            )

    def sends(self, issue: str | None = None) -> list[SendRecord]:
        where, params = ("WHERE issue = ?", (issue,)) if issue is not None else ("", ())
        rows = self._read(f"SELECT {SEND_COLUMNS} FROM sends {where} ORDER BY created, id", params)
        return [send_record(row) for row in rows]

    def held_sends(self, due_by: float | None = None) -> list[SendRecord]:
        where, params = "WHERE state = 'held'", ()
        if due_by is not None:
            where, params = where + " AND hand_over_from <= ?", (due_by,)
        rows = self._read(
            f"SELECT {SEND_COLUMNS} FROM sends {where} ORDER BY send_at, created, id", params
        )
        return [send_record(row) for row in rows]

    # -- recipients --------------------------------------------------------------------

    def enqueue(self, send_id: str, people: Iterable[Person]) -> int:
        now = time.time()
        with self._tx() as cur:
            before = self._count(cur, send_id)
            people = list(people)
            lists: dict[tuple[str, ...], str] = {}  # the same few combinations, encoded once
            queued = Status.QUEUED.value
            for start in range(0, len(people), _ROWS):  # many rows to a statement
                values = []
                for p in people[start : start + _ROWS]:
                    listed = lists.get(p.lists) or lists.setdefault(
                        p.lists, json.dumps(list(p.lists))
                    )
                    values += (send_id, p.email, queued, p.name, p.organisation, listed, now)
                cur.execute(
                    "INSERT INTO recipients (send_id, email, status, name, organisation, lists,"
                    f" updated) VALUES {', '.join([_ROW] * (len(values) // 7))}"
                    " ON CONFLICT (send_id, email) DO NOTHING",
                    values,
                )
            return self._count(cur, send_id) - before

    @staticmethod
    def _count(cur: Cursor, send_id: str) -> int:
        cur.execute("SELECT COUNT(*) FROM recipients WHERE send_id = ?", (send_id,))
        return int(cur.fetchone()[0])

    def set_new(self, send_id: str, rows: Iterable[tuple[Person, Status, str | None]]) -> None:
        now = time.time()
        keep = marks(len(HAS_IT_VALUES))
        with self._tx() as cur:
            cur.executemany(
                "INSERT INTO recipients (send_id, email, status, reason, name, organisation,"
                " lists, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (send_id, email) DO UPDATE SET status = excluded.status,"
                " reason = excluded.reason, updated = excluded.updated"
                f" WHERE recipients.status NOT IN ({keep})",
                [(send_id, p.email, s.value, r, p.name, p.organisation, json.dumps(list(p.lists)),
                  now, *HAS_IT_VALUES) for p, s, r in rows],
            )  # fmt: skip

    def set_status(
        self, send_id: str, emails: Iterable[str], status: Status, *, reason: str | None = None,
        only_from: Iterable[Status] | None = None,
    ) -> None:  # fmt: skip
        now = time.time()
        bump = 1 if status is Status.SENDING else 0
        guard, extra = status_guard(only_from)
        with self._tx() as cur:
            cur.executemany(
                "UPDATE recipients SET status = ?, reason = ?, attempts = attempts + ?,"
                f" updated = ? WHERE send_id = ? AND email = ?{guard}",
                [(status.value, reason, bump, now, send_id, e, *extra) for e in emails],
            )

    def move_all(
        self, send_id: str, to: Status, *, among: Iterable[Status], reason: str | None = None
    ) -> int:
        guard, extra = status_guard(among)
        with self._tx() as cur:
            cur.execute(
                "UPDATE recipients SET status = ?, reason = ?, updated = ?"
                f" WHERE send_id = ?{guard}",
                (to.value, reason, time.time(), send_id, *extra),
            )
            return max(0, cur.rowcount)

    def record(self, send_id: str, outcomes: Iterable[Outcome]) -> None:
        with self._tx() as cur:
            self._record(cur, send_id, outcomes)

    @staticmethod
    def _record(cur: Cursor, send_id: str, outcomes: Iterable[Outcome]) -> None:
        now = time.time()
        outcomes = list(outcomes)
        if len({o.email for o in outcomes}) < len(outcomes):  # in order: the last one wins
            cur.executemany(
                "UPDATE recipients SET status = ?, message_id = ?, reason = ?, updated = ?"
                " WHERE send_id = ? AND email = ?",
                [(o.status.value, o.message_id, o.reason, now, send_id, o.email)
                 for o in outcomes],
            )  # fmt: skip
            return
        alike: dict[tuple[str, str | None, str | None], list[str]] = {}
        for o in outcomes:  # a batch's outcomes are mostly one (status, id, reason)
            alike.setdefault((o.status.value, o.message_id, o.reason), []).append(o.email)
        for (status, message_id, reason), emails in alike.items():
            for chunk in chunks(emails):  # a few hundred rows to a statement
                cur.execute(
                    "UPDATE recipients SET status = ?, message_id = ?, reason = ?, updated = ?"
                    f" WHERE send_id = ? AND email IN ({marks(len(chunk))})",
                    (status, message_id, reason, now, send_id, *chunk),
                )

    def recover_in_flight(self, send_id: str) -> int:
        with self._tx() as cur:
            cur.execute(
                "UPDATE recipients SET status = ?, reason = ?, updated = ?"
                " WHERE send_id = ? AND status = ?",
                (Status.UNCERTAIN.value, "the run stopped while their request was in flight",
                 time.time(), send_id, Status.SENDING.value),
            )  # fmt: skip
            return max(0, cur.rowcount)

    def last_batch(self, send_id: str) -> int:
        rows = self._read("SELECT MAX(batch) FROM recipients WHERE send_id = ?", (send_id,))
        return int(rows[0][0] or 0)

    def statuses(self, send_id: str) -> dict[str, Status]:
        cur = self._db.cursor()  # row by row, never all rows at once: 100,000 take 25 MB
        try:
            cur.execute(self._sql("SELECT email, status FROM recipients WHERE send_id = ?"),
                        (send_id,))  # fmt: skip
            status = {s.value: s for s in Status}
            return {email: status[value] for email, value in cur}
        finally:
            cur.close()

    def counts(self, send_id: str) -> Counter[Status]:
        rows = self._read(
            "SELECT status, COUNT(*) FROM recipients WHERE send_id = ? GROUP BY status",
            (send_id,),
        )
        return Counter({Status(status): int(n) for status, n in rows})

    def accepted_since(self, backend: str, since: float) -> int:
        rows = self._read(
            "SELECT COUNT(*) FROM recipients r JOIN sends s ON s.id = r.send_id"
            " WHERE s.backend = ? AND r.status = ? AND r.updated >= ?",
            (backend, Status.ACCEPTED.value, since),
        )
        return int(rows[0][0] or 0)

    def recipients(
        self, send_id: str, statuses: Iterable[Status] | None = None
    ) -> list[RecipientRecord]:
        query = f"SELECT {RECIPIENT_COLUMNS} FROM recipients r WHERE r.send_id = ?"
        params: list = [send_id]
        if statuses is not None:
            wanted = [s.value for s in statuses]
            query += f" AND r.status IN ({marks(len(wanted))})"
            params += wanted
        return [recipient_record(row) for row in self._read(query + " ORDER BY r.email", params)]

    # -- across the sends of one issue -------------------------------------------------


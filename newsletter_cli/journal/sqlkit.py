"""Small pieces the SQL journal is built from: parameter marks, a cursor that takes ``?``
whatever the driver wants, and rows turned into records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsletter_cli.journal.status import HAS_IT, Status
from newsletter_cli.journal.store import RecipientRecord, SendRecord

SEND_COLUMNS = (
    "id, issue, lists, mode, backend, subject, issue_sha, send_at, batch_id, state, created,"
    " updated, delivers, hand_over_from, handed_over, hold_note, request"
)
RECIPIENT_COLUMNS = (
    "r.email, r.status, r.message_id, r.reason, r.attempts, r.send_id, r.name, r.organisation,"
    " r.lists, r.batch, r.sent_at, r.updated"
)
#: Longest ``IN (...)`` list in one statement (SQLite before 3.32 allows 999 parameters).
CHUNK = 400
HAS_IT_VALUES = tuple(s.value for s in HAS_IT)


def marks(n: int) -> str:
    return ", ".join("?" * n)


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class Cursor:
    """A cursor that takes ``?`` marks whatever the driver wants."""

    def __init__(self, raw: Any, sql: Any) -> None:
        self.raw, self._sql = raw, sql

    def execute(self, text: str, params: Sequence[Any] = ()) -> None:
        self.raw.execute(self._sql(text), tuple(params))

    def executemany(self, text: str, rows: list[tuple]) -> None:
        if rows:
            self.raw.executemany(self._sql(text), rows)

    def fetchone(self) -> Any:
        return self.raw.fetchone()

    def fetchall(self) -> list[tuple]:
        return self.raw.fetchall()

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount


def status_guard(statuses: Iterable[Status] | None) -> tuple[str, tuple[str, ...]]:
    if statuses is None:
        return "", ()
    allowed = tuple(s.value for s in statuses)
    return f" AND status IN ({marks(len(allowed))})", allowed


def send_record(row: tuple) -> SendRecord:
    return SendRecord(
        row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], row[5], row[6],
        None if row[7] is None else int(row[7]), row[8], row[9], float(row[10]), float(row[11]),
        bool(row[12]), None if row[13] is None else int(row[13]),
        None if row[14] is None else float(row[14]), row[15], row[16],
    )  # fmt: skip


def recipient_record(row: tuple) -> RecipientRecord:
    email, status, message_id, reason, attempts, send_id, name, org, lists, batch, sent, upd = row
    return RecipientRecord(
        email, Status(status), message_id, reason, int(attempts), send_id, name or "", org or "",
        tuple(json.loads(lists or "[]")), batch, sent, upd,
    )  # fmt: skip

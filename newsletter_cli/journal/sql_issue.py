"""The journal across the sends of one issue: who another live send reached, and the
atomic claim that puts a batch in flight (once per person per issue)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from newsletter_cli.journal.sqlkit import (
    HAS_IT_VALUES,
    RECIPIENT_COLUMNS,
    Cursor,
    chunks,
    marks,
    recipient_record,
    status_guard,
)
from newsletter_cli.journal.status import Outcome, Status
from newsletter_cli.journal.store import Claim, RecipientRecord


class IssueQueries:
    """The once-per-issue part of :class:`~newsletter_cli.journal.sql.SqlJournal`."""

    def skip_received(
        self, send_id: str, issue: str | None, *, delivering: bool, among: Iterable[Status]
    ) -> dict[str, str]:
        wanted = [s.value for s in among]
        with self._tx(serialise=issue) as cur:
            found: dict[str, str] = {}
            if issue is not None:
                cur.execute(
                    "SELECT me.email, o.send_id FROM recipients me"
                    " CROSS JOIN recipients o CROSS JOIN sends s"
                    f" WHERE me.send_id = ? AND me.status IN ({marks(len(wanted) + 1)})"
                    " AND o.email = me.email AND s.id = o.send_id"
                    f" AND o.status IN ({marks(len(HAS_IT_VALUES))})"
                    + _other_live_sends(delivering)
                    + " ORDER BY s.created, s.id",
                    (send_id, *wanted, Status.SKIPPED.value, *HAS_IT_VALUES, issue, send_id),
                )
                for email, other in cur.fetchall():
                    found.setdefault(email, other)
            cur.execute(
                "SELECT email FROM recipients WHERE send_id = ? AND status = ?",
                (send_id, Status.SKIPPED.value),
            )
            free = [e for (e,) in cur.fetchall() if e not in found]
            self._mark(cur, send_id, found, among=[*wanted, Status.SKIPPED.value])
            now = time.time()
            cur.executemany(
                "UPDATE recipients SET status = ?, reason = NULL, updated = ?"
                " WHERE send_id = ? AND email = ? AND status = ?",
                [(Status.QUEUED.value, now, send_id, e, Status.SKIPPED.value) for e in free],
            )
        return found

    def claim(
        self, send_id: str, emails: Iterable[str], *, among: Iterable[Status], batch: int,
        issue: str | None = None, delivering: bool = True, record: Sequence[Outcome] = (),
    ) -> Claim:  # fmt: skip
        emails = list(emails)
        wanted = [s.value for s in among]
        claim = Claim()
        with self._tx(serialise=issue) as cur:
            if record:  # the batch before, in the same commit
                self._record(cur, send_id, record)
            if issue is not None and _any_other_send(cur, issue, send_id, delivering):
                for chunk in chunks(emails):
                    cur.execute(*_among(chunk, issue, send_id, delivering))
                    for email, other in cur.fetchall():
                        claim.skipped.setdefault(email, other)
                self._mark(cur, send_id, claim.skipped, among=wanted)
            candidates = list(dict.fromkeys(e for e in emails if e not in claim.skipped))
            if _put_in_flight(cur, send_id, candidates, among, batch) == len(candidates):
                sending = set(candidates)  # every one of them was updated: all in flight
            else:
                sending = _in_flight(cur, send_id, emails, batch)
        claim.sending = [e for e in emails if e in sending]
        return claim

    @staticmethod
    def _mark(cur: Cursor, send_id: str, skipped: dict[str, str], among: list[str]) -> None:
        now = time.time()
        cur.executemany(
            "UPDATE recipients SET status = ?, reason = ?, updated = ?"
            f" WHERE send_id = ? AND email = ? AND status IN ({marks(len(among))})",
            [(Status.SKIPPED.value, f"already received this issue in send {other}", now,
              send_id, email, *among) for email, other in skipped.items()],
        )  # fmt: skip

    def received(
        self, issue: str, *, exclude: str | None = None, delivering: bool = True,
        among: Iterable[str] | None = None,
    ) -> dict[str, str]:  # fmt: skip
        if among is not None:  # index look-ups for these people only
            emails, rows = list(among), []
            for chunk in chunks(emails):
                rows += self._read(*_among(chunk, issue, exclude or "", delivering))
        else:
            rows = self._read(
                "SELECT o.email, o.send_id FROM recipients o JOIN sends s ON s.id = o.send_id"
                f" WHERE o.status IN ({marks(len(HAS_IT_VALUES))})"
                + _other_live_sends(delivering)
                + " ORDER BY s.created, s.id",
                (*HAS_IT_VALUES, issue, exclude or ""),
            )
        found: dict[str, str] = {}
        for email, send_id in rows:
            found.setdefault(email, send_id)
        return found

    def issue_recipients(self, issue: str) -> list[RecipientRecord]:
        rows = self._read(
            f"SELECT {RECIPIENT_COLUMNS} FROM recipients r JOIN sends s ON s.id = r.send_id"
            " WHERE s.issue = ? AND s.mode = 'live' ORDER BY s.created, s.id, r.email",
            (issue,),
        )
        return [recipient_record(row) for row in rows]


def _put_in_flight(
    cur: Cursor, send_id: str, emails: Sequence[str], among: Iterable[Status], batch: int
) -> int:
    """Mark ``emails`` (unique) in flight in ``batch`` where their status is among
    ``among``, a few hundred to a statement; how many rows changed (-1: not known)."""
    now = time.time()
    guard, extra = status_guard(among)
    changed = 0
    for chunk in chunks(emails):
        cur.execute(
            "UPDATE recipients SET status = ?, reason = NULL, batch = ?, sent_at = ?,"
            " attempts = attempts + 1, updated = ?"
            f" WHERE send_id = ? AND email IN ({marks(len(chunk))}){guard}",
            (Status.SENDING.value, batch, now, now, send_id, *chunk, *extra),
        )
        count = cur.rowcount
        changed = -1 if count < 0 or changed < 0 else changed + count
    return changed


def _in_flight(cur: Cursor, send_id: str, emails: Sequence[str], batch: int) -> set[str]:
    """Which of ``emails`` are in flight in ``batch`` (read by address: the send's other
    rows are never read)."""
    sending: set[str] = set()
    for chunk in chunks(emails):
        cur.execute(
            "SELECT email FROM recipients WHERE send_id = ?"
            f" AND email IN ({marks(len(chunk))}) AND batch = ? AND status = ?",
            (send_id, *chunk, batch, Status.SENDING.value),
        )
        sending.update(e for (e,) in cur.fetchall())
    return sending


def _other_live_sends(delivering: bool) -> str:
    """The condition (on ``s``, with parameters issue and this send's id) for the sends
    that count as having reached someone: live sends of the issue, other than this one."""
    clause = " AND s.issue = ? AND s.mode = 'live' AND s.id <> ?"
    return clause + (" AND s.delivers = 1" if delivering else "")


def _any_other_send(cur: Cursor, issue: str, send_id: str, delivering: bool) -> bool:
    """Whether another live send of ``issue`` exists (else nobody can have been reached by
    one: under the issue's lock, no send can start reaching people meanwhile)."""
    cur.execute(
        "SELECT 1 FROM sends s WHERE s.id IS NOT NULL" + _other_live_sends(delivering)
        + " LIMIT 1",
        (issue, send_id),
    )  # fmt: skip
    return cur.fetchone() is not None


def _among(
    emails: Sequence[str], issue: str, send_id: str, delivering: bool
) -> tuple[str, tuple]:
    """Which of ``emails`` another live send of ``issue`` reached, earliest send first.

    ``CROSS JOIN`` (standard SQL) makes SQLite look people up by address first, whatever
    its statistics say; PostgreSQL plans it as the inner join it is.
    """
    return (
        "SELECT o.email, o.send_id FROM recipients o CROSS JOIN sends s"
        f" WHERE o.email IN ({marks(len(emails))}) AND s.id = o.send_id"
        f" AND o.status IN ({marks(len(HAS_IT_VALUES))})"
        + _other_live_sends(delivering)
        + " ORDER BY s.created, s.id",
        (*emails, *HAS_IT_VALUES, issue, send_id),
    )

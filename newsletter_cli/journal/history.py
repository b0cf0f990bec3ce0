"""What the journal says about past sends: every send with its state and counts, one send's
details, and proof of who received an issue (every recipient, with what they were sent)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter_cli.datefmt import format_day, format_time
from newsletter_cli.environment import LONDON
from newsletter_cli.errors import NewsletterError, UnknownNameError
from newsletter_cli.journal import existing_journal, journal_location, journal_url
from newsletter_cli.journal.status import HAS_IT, Status
from newsletter_cli.journal.store import JournalStore, RecipientRecord, SendRecord
from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import find_issue
from newsletter_cli.recipients.listdefs import closest

if TYPE_CHECKING:
    from newsletter_cli.project import Project

#: Statuses that did not reach the person, shown by ``history SEND_ID``.
PROBLEMS = (Status.FAILED, Status.UNCERTAIN, Status.SENDING, Status.INVALID, Status.QUEUED)
#: Which row speaks for a person across the sends of an issue: the first in this order.
_RANK = {s: i for i, s in enumerate((
    Status.ACCEPTED, Status.UNCERTAIN, Status.SENDING, Status.HELD, Status.FAILED, Status.QUEUED,
    Status.CANCELLED, Status.INVALID, Status.SUPPRESSED, Status.SKIPPED,
))}  # fmt: skip


@dataclass
class SendHistory:
    record: SendRecord
    counts: Counter[Status]
    running: bool = False

    def state(self, now: float | None = None) -> str:
        """'done', 'stopped, 12 left', 'scheduled for Wednesday 1 October 2025, 9am'..."""
        return describe_state(self.record, self.counts, self.running, now)


def describe_state(
    record: SendRecord, counts: Counter[Status], running: bool = False, now: float | None = None
) -> str:
    """Where a send stands, in words."""
    now = time.time() if now is None else now
    if record.state == "cancelled":
        return "cancelled"
    if record.held:
        return held_state(record)
    handed = ""
    if record.handed_over is not None and record.send_at is not None:
        handed = (f"scheduled for {london_time(record.send_at, weekday=True)}, "
                  f"handed over at {london_time(record.handed_over)}")  # fmt: skip
    if record.send_at is not None and record.send_at > now:
        return handed or f"scheduled for {london_time(record.send_at, weekday=True)}"
    state = _progress(counts, running)
    return f"{state} ({handed})" if handed else state


def held_state(record: SendRecord) -> str:
    """'held until Tuesday 7 October 2025, 9am (hand-over from Saturday 4 October, 9am)'."""
    assert record.send_at is not None
    text = f"held until {london_time(record.send_at, weekday=True)}"
    if record.hand_over_from is not None and record.hand_over_from < record.send_at:
        text += f" (hand-over from {london_time(record.hand_over_from, weekday=True)})"
    if record.hold_note:
        text += f"; not handed over: {record.hold_note}"
    return text


def _progress(counts: Counter[Status], running: bool) -> str:
    if running:
        return "running"
    left = counts.get(Status.QUEUED, 0) + counts.get(Status.FAILED, 0)
    unsure = counts.get(Status.UNCERTAIN, 0) + counts.get(Status.SENDING, 0)
    if left:
        return f"stopped, {left} left" + (f" ({unsure} uncertain)" if unsure else "")
    if unsure:
        return f"done, {unsure} uncertain"
    return "done" if counts else "no recipients"


def london_time(when: float, *, weekday: bool = False) -> str:
    """'1 October 2025, 9:02am' (UK time); with ``weekday``, 'Wednesday 1 October 2025, 9am'."""
    moment = datetime.fromtimestamp(when, LONDON)
    day = format_day(moment.date()) if weekday else f"{moment.day} {moment:%B %Y}"
    return f"{day}, {format_time(moment.time(), minutes=not weekday)}"


@dataclass
class JournalSummary:
    """Where the journal is, what it is, its layout version and how many sends it holds."""

    where: str
    shared: bool  # on a PostgreSQL server (else SQLite on this machine)
    version: int | None  # None: no journal yet
    sends: int = 0


def summary(project: Project) -> JournalSummary:
    """The project's journal in one line: ``newsletter journal``."""
    found = JournalSummary(journal_location(project), journal_url(project) is not None, None)
    journal = existing_journal(project)
    if journal is not None:
        with journal:
            found.version, found.sends = journal.schema_version(), len(journal.sends())
    return found


def history(project: Project, issue: str | None = None) -> list[SendHistory]:
    """Every send in the journal (of one issue) with its counts, oldest first."""
    journal = existing_journal(project)
    if journal is None:
        return []
    with journal:
        return [
            SendHistory(r, journal.counts(r.id), journal.running(r.id))
            for r in journal.sends(issue)
        ]


def send_details(project: Project, send_id: str) -> tuple[SendHistory, list[RecipientRecord]]:
    """One send: its record and counts, and the recipients that did not get it."""
    journal = _journal(project, send_id)
    with journal:
        record = find_send(journal, send_id)
        entry = SendHistory(record, journal.counts(record.id), journal.running(record.id))
        return entry, journal.recipients(record.id, PROBLEMS)


def send_recipients(project: Project, send_id: str) -> tuple[SendRecord, list[dict[str, Any]]]:
    """Every recipient of one send, as rows for proof (see :func:`proof_row`)."""
    journal = _journal(project, send_id)
    with journal:
        record = find_send(journal, send_id)
        return record, [proof_row(r, record) for r in journal.recipients(record.id)]


def issue_recipients(project: Project, issue: str) -> list[dict[str, Any]]:
    """One row per person across every live send of ``issue``: who got it, from which send."""
    journal = existing_journal(project)
    if journal is None:
        return []
    with journal:
        sends = {r.id: (i, r) for i, r in enumerate(journal.sends(issue))}
        best: dict[str, tuple[tuple, RecipientRecord]] = {}
        for row in journal.issue_recipients(issue):
            order, record = sends[row.send_id]
            reached = record.delivers and row.status in HAS_IT
            key = (not reached, _RANK.get(row.status, 99), not record.delivers, order)
            if row.email not in best or key < best[row.email][0]:
                best[row.email] = (key, row)
    return [proof_row(row, sends[row.send_id][1]) for _, row in sorted(
        best.values(), key=lambda item: item[1].email)]  # fmt: skip


def proof_row(row: RecipientRecord, record: SendRecord) -> dict[str, Any]:
    """One recipient as proof: who, on which lists, what happened, when, SendGrid's id."""
    return {
        "email": row.email,
        "name": row.name,
        "organisation": row.organisation,
        "lists": list(row.lists),
        "status": row.status.value,
        "time": datetime.fromtimestamp(row.updated, LONDON) if row.updated else None,
        "message_id": row.message_id,
        "send": record.id,
        "backend": record.backend,
        "reason": row.reason,
    }


def issue_key(project: Project, ref: str) -> str:
    """An issue's identity from what the user typed: a file (its name, as sends record it)
    or the name itself ('issues/2025-09-x.yaml' and '2025-09-x' give '2025-09-x')."""
    try:
        path = find_issue(ref, project)
    except NewsletterError:  # an issue only the journal knows now
        return Path(ref).stem if ref.endswith((".yaml", ".yml")) else ref
    try:
        return load_issue(path).name
    except NewsletterError:
        return path.stem


def _journal(project: Project, send_id: str) -> JournalStore:
    journal = existing_journal(project)
    if journal is None:
        raise no_send(send_id, [])
    return journal


def find_send(journal: JournalStore, send_id: str) -> SendRecord:
    """The send with this id, or the only one it starts; else the nearest ids are named."""
    found = journal.get_send(send_id)
    if found is not None:
        return found
    sends = journal.sends()
    starting = [r for r in sends if r.id.startswith(send_id)]
    if len(starting) == 1:
        return starting[0]
    ids = [r.id for r in sends]
    raise no_send(send_id, [r.id for r in starting[:3]] or closest(send_id, ids))


def no_send(send_id: str, near: list[str]) -> NewsletterError:
    message = f"no send with id {send_id!r}"
    if near:
        message += f"; closest: {', '.join(near)}"
    return UnknownNameError(message, hint="'newsletter history' lists the sends")

"""Copying a project's SQLite journal into the team's shared PostgreSQL journal.

Idempotent: what is already there is left alone, so a second run copies nothing and
says so. A send in both journals with different rows (it went on on a laptop after an
earlier copy) is merged recipient by recipient: the row further along (:data:`RANK`)
wins, so an ``accepted`` (or ``uncertain``, or in-flight) person is never lost and never
sent to again. The shared journal's own record of the send (state, schedule) is kept.
Each send is copied in one transaction, under its send lock and its issue's claim lock.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsletter_cli.config import check_journal_url
from newsletter_cli.errors import ConfigError, InputError, Refused
from newsletter_cli.journal.sqlite import SQLiteJournal
from newsletter_cli.journal.sqlkit import SEND_COLUMNS
from newsletter_cli.journal.status import Status

if TYPE_CHECKING:
    from newsletter_cli.journal.postgres import PostgresJournal
    from newsletter_cli.journal.store import JournalStore, RecipientRecord, SendRecord
    from newsletter_cli.project import Project

#: How far along a recipient is: when two journals disagree, the higher one is kept.
#: Everything that means "has it, or may have" (accepted, uncertain, sending) is on top.
RANK = {
    Status.QUEUED: 0, Status.SKIPPED: 1, Status.FAILED: 2, Status.CANCELLED: 2,
    Status.INVALID: 3, Status.SUPPRESSED: 3, Status.SENDING: 4, Status.UNCERTAIN: 5,
    Status.ACCEPTED: 6, Status.HELD: 2,
}  # fmt: skip

_INSERT_RECIPIENT = (
    "INSERT INTO recipients (send_id, email, status, message_id, reason, attempts, name,"
    " organisation, lists, batch, sent_at, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (send_id, email) DO NOTHING"
)
_ADVANCE_RECIPIENT = (
    "UPDATE recipients SET status = ?, message_id = ?, reason = ?, attempts = ?, batch = ?,"
    " sent_at = ?, updated = ? WHERE send_id = ? AND email = ? AND status = ?"
)


@dataclass
class MigrateResult:
    """What one copy did."""

    source: str
    target: str
    sends: int = 0  # in the SQLite journal
    recipients: int = 0  # rows in the SQLite journal
    new_sends: int = 0
    new_recipients: int = 0
    advanced: int = 0  # already there, moved further along by the copy

    @property
    def copied(self) -> bool:
        return bool(self.new_sends or self.new_recipients or self.advanced)


def check_url(url: str) -> str:
    """The URL, or one ConfigError saying what is wrong with it."""
    try:
        return check_journal_url(url, command_line=True)
    except ValueError as exc:
        raise ConfigError(f"--to: {exc}") from None


def migrate(project: Project, url: str) -> MigrateResult:
    """Copy ``project``'s SQLite journal into the PostgreSQL journal at ``url``."""
    from newsletter_cli.journal.postgres import PostgresJournal

    check_url(url)
    source = SQLiteJournal.open_existing(project.journal_path)
    if source is None:
        raise InputError(
            "there is no SQLite journal to copy in this project",
            path=project.journal_path,
            hint="run this in the project folder where the sends were made",
        )
    result = MigrateResult(str(project.journal_path), url)
    with source, PostgresJournal(url) as target, ExitStack() as locks:
        sends = source.sends()
        for record in sends:
            if source.running(record.id):
                raise Refused(f"send {record.id} is running on this machine",
                              hint="copy the journal when it has finished")  # fmt: skip
            locks.enter_context(target.send_lock(record.id))
        for record in sends:
            _copy_send(source, target, record, result)
    return result


def _copy_send(
    source: JournalStore, target: PostgresJournal, record: SendRecord, result: MigrateResult
) -> None:
    rows = source.recipients(record.id)
    result.sends += 1
    result.recipients += len(rows)
    with target._tx(serialise=record.issue) as cur:
        cur.execute(
            f"INSERT INTO sends ({SEND_COLUMNS}) VALUES ({', '.join('?' * 17)})"
            " ON CONFLICT (id) DO NOTHING",
            (record.id, record.issue, json.dumps(list(record.lists)), record.mode,
             record.backend, record.subject, record.issue_sha, record.send_at, record.batch_id,
             record.state, record.created, record.updated, int(record.delivers),
             record.hand_over_from, record.handed_over, record.hold_note, record.request),
        )  # fmt: skip
        result.new_sends += max(0, cur.rowcount)
        cur.execute("SELECT email, status FROM recipients WHERE send_id = ?", (record.id,))
        there = {email: Status(status) for email, status in cur.fetchall()}
        new = [r for r in rows if r.email not in there]
        ahead = [r for r in rows if r.email in there and RANK[r.status] > RANK[there[r.email]]]
        cur.executemany(_INSERT_RECIPIENT, [_row(record.id, r) for r in new])
        cur.executemany(_ADVANCE_RECIPIENT, [
            (r.status.value, r.message_id, r.reason, r.attempts, r.batch, r.sent_at,
             r.updated, record.id, r.email, there[r.email].value) for r in ahead
        ])  # fmt: skip
    result.new_recipients += len(new)
    result.advanced += len(ahead)


def _row(send_id: str, r: RecipientRecord) -> tuple:
    return (send_id, r.email, r.status.value, r.message_id, r.reason, r.attempts, r.name,
            r.organisation, json.dumps(list(r.lists)), r.batch, r.sent_at, r.updated)  # fmt: skip


def check_migrated(project: Project, shared: JournalStore | None, url: str) -> None:
    """Refuse to send through the shared journal while this folder's own SQLite journal has
    sends it lacks: they would not count, and people could get an issue twice."""
    local = SQLiteJournal.open_existing(project.journal_path)
    if local is None:
        return
    with local:
        mine = [r.id for r in local.sends()]
    have = {r.id for r in shared.sends()} if shared is not None and mine else set()
    missing = [send_id for send_id in mine if send_id not in have]
    if missing:
        if shared is not None:
            shared.close()
        raise Refused(
            f"this folder's own journal has {len(missing)} send(s) the shared journal lacks "
            f"(e.g. {missing[0]}); they would not count towards who already has an issue",
            path=project.journal_path,
            hint=f"copy them first: newsletter journal migrate --to {url}",
        )

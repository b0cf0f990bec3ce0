"""Cancelling a scheduled send that has not gone yet.

A send held in the journal (``--at`` beyond what its backend schedules) is cancelled
there: nothing was handed over, so nobody gets it, whatever the backend. A send handed
to SendGrid with ``send_at`` is cancelled at SendGrid; one SMTP or the outbox took has gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from newsletter_cli.delivery.backends.base import Backend, Status
from newsletter_cli.delivery.backends.registry import make_backend
from newsletter_cli.errors import Refused
from newsletter_cli.journal import JournalStore, SendRecord, existing_journal
from newsletter_cli.journal.history import find_send, london_time, no_send

if TYPE_CHECKING:
    from newsletter_cli.environment import Environment

#: SendGrid cannot reliably cancel a scheduled send less than 10 minutes before it goes.
CANCEL_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Cancelled:
    record: SendRecord
    recipients: int  # how many will not get it
    already: bool = False  # it had been cancelled before: nothing was done this time


def cancel_send(
    env: Environment, send_id: str, *, backend: Backend | None = None, now: float | None = None
) -> Cancelled:
    """Cancel a scheduled send not yet gone; its recipients become ``cancelled``.

    Cancelling a send already cancelled does nothing and says so (not an error: what
    was asked for is true).
    """
    project = env.project
    journal = existing_journal(project, config=env.config)
    if journal is None:
        raise no_send(send_id, [])
    with journal:
        record = find_send(journal, send_id)
        if record.state == "cancelled":
            return Cancelled(record, journal.counts(record.id)[Status.CANCELLED], already=True)
        if record.held:
            return _cancel_held(journal, record)
        if record.handed_over is not None and not record.batch_id:
            raise Refused(
                f"send {record.id} was handed over to {record.backend} at "
                f"{london_time(record.handed_over)} and has gone: what was sent cannot be "
                "called back"
            )
        if not record.batch_id or record.send_at is None:
            raise Refused(
                f"send {record.id} was not scheduled (--at): what was sent cannot be called back"
            )
        now = env.now().timestamp() if now is None else now
        if record.send_at - now < CANCEL_MARGIN.total_seconds():
            raise Refused(
                f"send {record.id} goes (or went) at {london_time(record.send_at)}; "
                "SendGrid cannot cancel less than 10 minutes before"
            )
        with journal.send_lock(record.id):
            if backend is None:
                backend = make_backend(record.backend, project, env.config)
            backend.cancel(record.batch_id)
            accepted = [r.email for r in journal.recipients(record.id, [Status.ACCEPTED])]
            journal.set_status(
                record.id, accepted, Status.CANCELLED,
                reason="scheduled send cancelled", only_from=[Status.ACCEPTED],
            )  # fmt: skip
            journal.update_send(record.id, state="cancelled", batch_id=None, send_at=None)
        return Cancelled(record, len(accepted))


def _cancel_held(journal: JournalStore, record: SendRecord) -> Cancelled:
    """A held send: nothing was handed over, so the journal is all there is to change."""
    with journal.send_lock(record.id):
        count = journal.move_all(record.id, Status.CANCELLED, among=[Status.HELD],
                                 reason="held send cancelled before it was handed over")
        journal.update_send(record.id, state="cancelled", hand_over_from=None, hold_note=None)
    return Cancelled(record, count)

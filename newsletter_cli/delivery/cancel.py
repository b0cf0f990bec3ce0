"""Cancelling a scheduled send that has not gone yet."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from newsletter_cli.delivery.backends import make_backend
from newsletter_cli.delivery.base import Backend, Status
from newsletter_cli.errors import Refused
from newsletter_cli.journal import Journal, SendRecord, send_lock
from newsletter_cli.journal.history import match_prefix, no_send

if TYPE_CHECKING:
    from newsletter_cli.project import Project

LONDON = ZoneInfo("Europe/London")
#: SendGrid cannot reliably cancel a scheduled send less than 10 minutes before it goes.
CANCEL_MARGIN = timedelta(minutes=10)


def cancel_send(
    project: Project, send_id: str, *, backend: Backend | None = None, now: float | None = None
) -> tuple[SendRecord, int]:
    """Cancel a scheduled send not yet gone; its recipients become ``cancelled``."""
    from newsletter_cli.config import load_config

    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        raise no_send(send_id)
    with journal:
        record = journal.get_send(send_id) or match_prefix(journal, send_id)
        if not record.batch_id or record.send_at is None:
            raise Refused(
                f"send {record.id} was not scheduled (--at): what was sent cannot be called back"
            )
        now = time.time() if now is None else now
        if record.send_at - now < CANCEL_MARGIN.total_seconds():
            raise Refused(
                f"send {record.id} goes (or went) at "
                f"{datetime.fromtimestamp(record.send_at, LONDON):%Y-%m-%d %H:%M}; "
                "SendGrid cannot cancel less than 10 minutes before"
            )
        with send_lock(project.state_dir, record.id):
            if backend is None:
                backend = make_backend(record.backend, project, load_config(project))
            backend.cancel(record.batch_id)
            accepted = [r.email for r in journal.recipients(record.id, [Status.ACCEPTED])]
            journal.set_status(
                record.id, accepted, Status.CANCELLED,
                reason="scheduled send cancelled", only_from=[Status.ACCEPTED],
            )  # fmt: skip
            journal.update_send(record.id, state="cancelled", batch_id=None, send_at=None)
        return record, len(accepted)

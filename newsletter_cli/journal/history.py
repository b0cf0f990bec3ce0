"""What the journal says about past sends: every send with its counts, and one send's details."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsletter_cli.delivery.base import Status
from newsletter_cli.errors import NewsletterError, UnknownNameError
from newsletter_cli.journal.sqlite import Journal, SendRecord

if TYPE_CHECKING:
    from newsletter_cli.project import Project


@dataclass
class SendHistory:
    record: SendRecord
    counts: Counter[Status]


def history(project: Project) -> list[SendHistory]:
    """Every send in the journal with its counts, oldest first."""
    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        return []
    with journal:
        return [SendHistory(r, journal.counts(r.id)) for r in journal.sends()]


def send_details(project: Project, send_id: str):
    """One send: its record, counts and the recipients that did not get it (with reasons)."""
    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        raise no_send(send_id)
    with journal:
        record = journal.get_send(send_id) or match_prefix(journal, send_id)
        problems = journal.recipients(
            record.id,
            [Status.FAILED, Status.UNCERTAIN, Status.SENDING, Status.INVALID, Status.QUEUED],
        )
        return SendHistory(record, journal.counts(record.id)), problems


def no_send(send_id: str) -> NewsletterError:
    return UnknownNameError(
        f"no send with id {send_id!r}", hint="'newsletter history' lists the sends"
    )


def match_prefix(journal: Journal, send_id: str) -> SendRecord:
    found = [r for r in journal.sends() if r.id.startswith(send_id)]
    if len(found) != 1:
        raise no_send(send_id)
    return found[0]

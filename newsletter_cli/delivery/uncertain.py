"""Resolving *uncertain* recipients with SendGrid's Email Activity (``send --check-uncertain``).

A recipient is uncertain when their request left and no answer came. Every request
carries the send id and its batch number in ``custom_args``, so Email Activity can be
asked, batch by batch, which of them SendGrid has:

- found: SendGrid took the message; the recipient becomes ``accepted``.
- not found, and the request left longer ago than :data:`ACTIVITY_DELAY`: SendGrid never
  took it; ``failed`` (safe to send again: the next run of the send does).
- not found yet, but the request is more recent: they stay uncertain (check again later).
- no Email Activity on the account (403/404): one sentence; they stay uncertain.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from newsletter_cli.delivery import sendgrid_activity
from newsletter_cli.delivery.backends.base import Outcome, Status
from newsletter_cli.delivery.backends.registry import backend_class
from newsletter_cli.delivery.sendgrid_activity import (
    ACTIVITY_LIMIT,
    ActivityUnavailable,
    args_query,
)
from newsletter_cli.delivery.sendgrid_settings import api_host, api_key
from newsletter_cli.errors import Refused
from newsletter_cli.journal import existing_journal
from newsletter_cli.journal.history import find_send, london_time, no_send

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newsletter_cli.delivery.sendgrid_activity import ActivityMessage
    from newsletter_cli.journal.store import JournalStore, RecipientRecord
    from newsletter_cli.project import Project

#: How long SendGrid may take to list a message it took in Email Activity. SendGrid gives
#: no fixed figure (events usually appear within minutes); an hour is deliberately
#: generous, because declaring a message "never taken" too early means a second copy.
ACTIVITY_DELAY = timedelta(hours=1)

#: A query in SendGrid's query language -> the messages Email Activity has for it.
Finder = Callable[[str], "Sequence[ActivityMessage]"]


@dataclass
class Resolution:
    """What ``--check-uncertain`` found for one send."""

    send_id: str
    checked: int = 0
    found: list[str] = field(default_factory=list)  # now accepted
    cleared: list[str] = field(default_factory=list)  # now failed: safe to send again
    waiting: list[str] = field(default_factory=list)  # still uncertain: too recent to tell
    recheck_after: float | None = None  # unix time when the waiting ones can be told
    unavailable: str | None = None  # why Email Activity could not be asked

    def summary(self) -> list[str]:
        """What was found, in plain words, and what to do next."""
        if not self.checked:
            return [f"Send {self.send_id} has no uncertain recipients."]
        lines = [f"Checked {self.checked} uncertain recipient(s) of {self.send_id} in "
                 "SendGrid's Email Activity."]  # fmt: skip
        if self.found:
            lines.append(f"{len(self.found)} found: SendGrid has them; now accepted.")
        if self.cleared:
            lines.append(f"{len(self.cleared)} not listed {_delay_words()} after their request "
                         "left: SendGrid never took them; run the same send again to send to "
                         "them.")  # fmt: skip
        if self.waiting and not self.unavailable:
            when = london_time(self.recheck_after) if self.recheck_after else "later"
            lines.append(f"{len(self.waiting)} not listed yet, but their request left less "
                         f"than {_delay_words()} ago: they stay uncertain; check again after "
                         f"{when}.")  # fmt: skip
        return lines


def resolve_uncertain(
    journal: JournalStore,
    send_id: str,
    find: Finder,
    *,
    now: float | None = None,
    delay: timedelta = ACTIVITY_DELAY,
) -> Resolution:
    """Ask ``find`` about each batch of the send's uncertain recipients; record the answers."""
    now = time.time() if now is None else now
    result = Resolution(send_id)
    rows = journal.recipients(send_id, [Status.UNCERTAIN])
    result.checked = len(rows)
    batches: dict[int | None, list[RecipientRecord]] = {}
    for row in rows:
        batches.setdefault(row.batch, []).append(row)
    for batch, members in sorted(batches.items(), key=lambda item: item[0] or 0):
        args = {"newsletter_send": send_id}
        if batch is not None:  # rows from before batch numbers: the whole send at once
            args["newsletter_batch"] = str(batch)
        try:
            listed = find(args_query(**args))
        except ActivityUnavailable as exc:
            result.unavailable = exc.message
            result.waiting += [r.email for r in members]
            break
        have = {m.to_email: m for m in listed}
        complete = len(listed) < ACTIVITY_LIMIT
        outcomes = []
        for row in members:
            message = have.get(row.email)
            if message is not None:
                outcomes.append(Outcome(row.email, Status.ACCEPTED, message_id=message.msg_id,
                                        reason=f"found in SendGrid's Email Activity "
                                        f"({message.status})"))  # fmt: skip
                result.found.append(row.email)
                continue
            left = row.sent_at or row.updated or now
            if complete and now - left >= delay.total_seconds():
                minutes = int((now - left) // 60)
                outcomes.append(Outcome(row.email, Status.FAILED, reason=(
                    f"not in SendGrid's Email Activity {minutes} minutes after the request "
                    "left: SendGrid never took it, so it is safe to send again")))  # fmt: skip
                result.cleared.append(row.email)
            else:
                result.waiting.append(row.email)
                ready = left + delay.total_seconds()
                result.recheck_after = max(result.recheck_after or ready, ready)
        journal.record(send_id, outcomes)
    return result


def check_uncertain(
    project: Project,
    send_id: str,
    *,
    find: Finder | None = None,
    now: float | None = None,
) -> Resolution:
    """``send --check-uncertain``: resolve a send's uncertain recipients through SendGrid."""
    journal = existing_journal(project)
    if journal is None:
        raise no_send(send_id, [])
    with journal:
        record = find_send(journal, send_id)
        if not backend_class(record.backend).has_activity or record.mode != "live":
            raise Refused(
                f"send {record.id} went through {record.backend} ({record.mode}): only live "
                "SendGrid sends can be checked in SendGrid's Email Activity"
            )
        with journal.send_lock(record.id):
            if find is None:
                find = _sendgrid_finder()
            return resolve_uncertain(journal, record.id, find, now=now)


def _delay_words() -> str:
    minutes = int(ACTIVITY_DELAY.total_seconds() // 60)
    if minutes == 60:
        return "an hour"
    return f"{minutes // 60} hours" if minutes % 60 == 0 else f"{minutes} minutes"


def _sendgrid_finder() -> Finder:
    api = sendgrid_activity.client(api_key(sending=False), api_host())
    return lambda query: sendgrid_activity.messages(api, query)

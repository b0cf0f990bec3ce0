"""Holding a send in the journal until its time: ``--at`` beyond what the backend can schedule.

A held send is planned and checked like any other, then written to the journal with
its recipients ``held`` and nothing handed over; ``newsletter send --due``
(:mod:`.due`) hands it to its backend once its time is within reach. A held person
counts as having the issue (once per person per issue), exactly like one in flight: no
other send of the issue reaches them while it is held.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.delivery.backends.base import SENDABLE, Backend, Status
from newsletter_cli.delivery.deliver import sort_out
from newsletter_cli.journal import JournalStore, Person, open_journal
from newsletter_cli.recipients.addresses import address_problem

if TYPE_CHECKING:
    from newsletter_cli.delivery.plan import SendPlan
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.environment import Environment

#: A send SendGrid takes is handed over this much inside its 72 hours, so a clock a little
#: out or a slow run never asks for more than SendGrid allows.
HAND_OVER_MARGIN = timedelta(minutes=15)


@dataclass(frozen=True)
class Held:
    """A send now held in the journal: when it goes, from when it can be handed over."""

    send_id: str
    send_at: datetime
    hand_over_from: datetime
    counts: Counter[Status]
    skipped_by: Counter[str] = field(default_factory=Counter)


def hand_over_from(backend: type[Backend], send_at: datetime) -> datetime:
    """The first moment ``send --due`` may hand a send at ``send_at`` to ``backend``: once it
    is within what the service schedules itself (a little inside), or at the time itself."""
    if not backend.can_schedule:
        return send_at
    return send_at - max(timedelta(0), backend.schedule_ahead - HAND_OVER_MARGIN)


def stored_request(env: Environment, plan: SendPlan, request: SendRequest) -> str:
    """What ``send --due`` needs to plan the send again at hand-over (JSON)."""
    path = Path(plan.issue.path or request.issue).resolve()
    try:
        issue = path.relative_to(env.project.root.resolve()).as_posix()
    except ValueError:
        issue = str(path)
    return json.dumps({
        "issue": issue, "lists": list(request.lists), "sandbox": request.sandbox,
        "link_check": request.link_check, "resend_uncertain": request.resend_uncertain,
        "allow_repeat": request.allow_repeat, "strict": request.strict,
    })  # fmt: skip


def hold_send(env: Environment, plan: SendPlan, request: SendRequest) -> Held:
    """Write a planned send to the journal as held: recipients enqueued, nothing sent.

    Holding the same send again (the same issue, lists and backend) moves it to the new
    time and takes the issue file as it is now.
    """
    assert plan.send_at is not None and plan.held
    backend = plan.backend_class
    start = hand_over_from(backend, plan.send_at)
    with open_journal(env.project, env.config) as journal, journal.send_lock(plan.send_id):
        journal.open_send(
            plan.send_id, issue=plan.issue.name, lists=plan.lists, mode=plan.mode,
            backend=plan.backend, delivers=backend.delivers, subject=plan.subject,
            issue_sha=plan.issue_sha,
        )  # fmt: skip
        skipped = _enqueue(journal, plan, backend)
        journal.move_all(plan.send_id, Status.HELD, among=SENDABLE)
        journal.update_send(
            plan.send_id, state="held", send_at=int(plan.send_at.timestamp()),
            hand_over_from=int(start.timestamp()), handed_over=None, hold_note=None,
            request=stored_request(env, plan, request), issue_sha=plan.issue_sha,
            subject=plan.subject, batch_id=None,
        )  # fmt: skip
        counts = journal.counts(plan.send_id)
    return Held(plan.send_id, plan.send_at, start, counts, Counter(skipped.values()))


def _enqueue(journal: JournalStore, plan: SendPlan, backend: type[Backend]) -> dict[str, str]:
    """Record the suppressed and invalid, queue the rest, skip who has the issue already."""
    def person(contact) -> Person:  # noqa: ANN001 - a Contact
        return Person(contact.email, contact.name, contact.organisation,
                      tuple(plan.lists_of.get(contact.email, ())))  # fmt: skip

    if plan.suppressed:
        journal.set_new(plan.send_id, [(person(c), Status.SUPPRESSED, None)
                                       for c in plan.suppressed])  # fmt: skip
    _, people, invalid = sort_out(plan.variants, plan.lists_of, address_problem)
    if invalid:
        journal.set_new(plan.send_id, invalid)
    journal.enqueue(plan.send_id, people)
    once = plan.mode == "live" and not plan.allow_repeat
    if not once:
        return {}
    return journal.skip_received(plan.send_id, plan.issue.name, delivering=backend.delivers,
                                 among=SENDABLE)  # fmt: skip

"""The delivery core: rendered versions and contacts in, the journal updated batch by batch.

Independent of files: :func:`deliver` sends each version to its contacts not yet
accepted, committing every step, so a re-run of the same send resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.delivery.base import (
    SENDABLE,
    Backend,
    BatchResult,
    Outcome,
    SendContext,
    Status,
)
from newsletter_cli.errors import DeliveryError, NewsletterError
from newsletter_cli.journal import Journal
from newsletter_cli.recipients.contact import Contact

if TYPE_CHECKING:
    from newsletter_cli.render import RenderedEmail

#: Stop after this many batches in a row came back uncertain (SendGrid not answering).
UNCERTAIN_BATCHES_IN_A_ROW = 3


@dataclass
class Variant:
    """One rendering of the issue and the contacts who get exactly that version."""

    key: str
    email: RenderedEmail
    contacts: list[Contact]


@dataclass
class RunResult:
    """What one run did, and where the whole send stands afterwards."""

    send_id: str
    backend: str
    delivers: bool
    this_run: Counter[Status]
    totals: Counter[Status]
    requests: int = 0
    recovered: int = 0  # in-flight recipients of a crashed run, now uncertain
    stopped: NewsletterError | None = None
    folder: Path | None = None  # the outbox folder, for the outbox backend

    @property
    def complete(self) -> bool:
        """True when nobody is left to send to (uncertain ones aside)."""
        return self.stopped is None and not any(self.totals.get(s, 0) for s in SENDABLE)


def deliver(
    journal: Journal,
    backend: Backend,
    context: SendContext,
    variants: Sequence[Variant],
    *,
    resend_uncertain: bool = False,
    batch_size: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    address_problem: Callable[[str], str | None] | None = None,
) -> RunResult:
    """Send each variant to its contacts not yet accepted, recording every step.

    The send must already exist in the journal (:meth:`Journal.open_send`).
    ``on_progress(done, total)`` is called after each batch.
    """
    send_id = context.send_id
    recovered = journal.recover_in_flight(send_id)
    size = max(1, min(batch_size or backend.max_batch, backend.max_batch))
    sendable = set(SENDABLE) | ({Status.UNCERTAIN} if resend_uncertain else set())

    seen: set[str] = set()
    plan: list[tuple[RenderedEmail, list[Contact]]] = []
    invalid: list[tuple[str, Status, str | None]] = []
    for variant in variants:
        keep = []
        for contact in variant.contacts:
            if contact.email in seen:
                continue  # one copy each, even if a contact is in two variants by mistake
            seen.add(contact.email)
            problem = address_problem(contact.email) if address_problem else None
            if problem:
                invalid.append((contact.email, Status.INVALID, problem))
            else:
                keep.append(contact)
        plan.append((variant.email, keep))
    this_run: Counter[Status] = Counter()
    if invalid:
        journal.set_new(send_id, invalid)
        this_run[Status.INVALID] = len(invalid)
    journal.enqueue(send_id, (c.email for _, contacts in plan for c in contacts))
    statuses = journal.statuses(send_id)
    work = [
        (email, [c for c in contacts if statuses.get(c.email) in sendable])
        for email, contacts in plan
    ]
    total = sum(len(contacts) for _, contacts in work)
    done = 0
    requests = 0
    stopped: NewsletterError | None = None
    uncertain_in_a_row = 0
    if on_progress:
        on_progress(0, total)
    for email, contacts in work:
        for start in range(0, len(contacts), size):
            batch = contacts[start : start + size]
            result = _send_one_batch(journal, backend, context, email, batch, sendable)
            requests += result.requests
            this_run.update(o.status for o in result.outcomes)
            done += len(batch)
            if on_progress:
                on_progress(done, total)
            if result.outcomes and all(o.status is Status.UNCERTAIN for o in result.outcomes):
                uncertain_in_a_row += 1
            else:
                uncertain_in_a_row = 0
            if result.stop is None and uncertain_in_a_row >= UNCERTAIN_BATCHES_IN_A_ROW:
                result.stop = DeliveryError(
                    f"{uncertain_in_a_row} requests in a row got no answer; stopped",
                    hint="check the network, then run the same command again to resume",
                )
            if result.stop is not None:
                stopped = result.stop
                break
        if stopped is not None:
            break
    totals = journal.counts(send_id)
    if stopped is None and not any(totals.get(s, 0) for s in SENDABLE | {Status.UNCERTAIN}):
        journal.update_send(send_id, state="done")
    return RunResult(
        send_id, backend.name, backend.delivers, this_run, totals, requests, recovered, stopped
    )


def _send_one_batch(
    journal: Journal,
    backend: Backend,
    context: SendContext,
    email: RenderedEmail,
    batch: list[Contact],
    sendable: set[Status],
) -> BatchResult:
    """Mark the batch in flight, send it, record what came back. Commit at each step."""
    emails = [c.email for c in batch]
    journal.set_status(context.send_id, emails, Status.SENDING, only_from=sendable)
    try:
        result = backend.send_batch(email, batch, context)
    except BaseException:
        # Interrupted or broken mid-batch: if the backend could have delivered, we
        # cannot know whether it did. Never guess "not sent".
        fallback = Status.UNCERTAIN if backend.delivers else Status.QUEUED
        journal.set_status(
            context.send_id, emails, fallback,
            reason="interrupted while this batch was being sent",
            only_from=[Status.SENDING],
        )  # fmt: skip
        raise
    answered = {o.email for o in result.outcomes}
    missing = [
        Outcome(e, Status.UNCERTAIN, reason="the backend gave no outcome")
        for e in emails
        if e not in answered
    ]
    result.outcomes += missing
    journal.record(context.send_id, result.outcomes)
    return result

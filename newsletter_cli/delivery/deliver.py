"""The delivery core: rendered versions and contacts in, the journal updated batch by batch.

Independent of files: :func:`deliver` sends each version to its contacts not yet
accepted, committing every step, so a re-run of the same send resumes where it stopped.
Once per person per issue: unless ``allow_repeat``, anyone another live send of the
same issue has reached is ``skipped``, decided again for each batch in the journal's
claim (atomic), so two sends of one issue running at once never both send to a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
from newsletter_cli.errors import DeliveryError, Interrupted, NewsletterError
from newsletter_cli.journal.store import JournalStore, Person
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
    #: Skipped this run because another send of the issue reached them: send id -> how many.
    skipped_by: Counter[str] = field(default_factory=Counter)

    @property
    def complete(self) -> bool:
        """True when nobody is left to send to (uncertain ones aside)."""
        return self.stopped is None and not any(self.totals.get(s, 0) for s in SENDABLE)


def deliver(
    journal: JournalStore,
    backend: Backend,
    context: SendContext,
    variants: Sequence[Variant],
    *,
    resend_uncertain: bool = False,
    allow_repeat: bool = False,
    batch_size: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    address_problem: Callable[[str], str | None] | None = None,
    lists_of: Mapping[str, Sequence[str]] | None = None,
) -> RunResult:
    """Send each variant to its contacts not yet accepted, recording every step.

    The send must already exist in the journal (:meth:`JournalStore.open_send`).
    ``on_progress(done, total)`` is called after each batch and each reported outcome.
    ``lists_of`` gives, per address, the send's lists the person is on (for proof).
    A Ctrl-C stops the run cleanly: ``stopped`` is then an :class:`Interrupted`.
    """
    send_id = context.send_id
    recovered = journal.recover_in_flight(send_id)
    size = max(1, min(batch_size or backend.max_batch, backend.max_batch))
    sendable = set(SENDABLE) | ({Status.UNCERTAIN} if resend_uncertain else set())
    once = not (allow_repeat or context.test or context.sandbox)
    issue = context.issue_name if once else None
    lists_of = lists_of or {}

    seen: set[str] = set()
    plan: list[tuple[RenderedEmail, list[Contact]]] = []
    people: list[Person] = []
    invalid: list[tuple[Person, Status, str | None]] = []
    for variant in variants:
        keep = []
        for contact in variant.contacts:
            if contact.email in seen:
                continue  # one copy each, even if a contact is in two variants by mistake
            seen.add(contact.email)
            person = Person(contact.email, contact.name, contact.organisation,
                            tuple(lists_of.get(contact.email, ())))  # fmt: skip
            problem = address_problem(contact.email) if address_problem else None
            if problem:
                invalid.append((person, Status.INVALID, problem))
            else:
                keep.append(contact)
                people.append(person)
        plan.append((variant.email, keep))
    this_run: Counter[Status] = Counter()
    if invalid:
        journal.set_new(send_id, invalid)
        this_run[Status.INVALID] = len(invalid)
    journal.enqueue(send_id, people)
    del people, seen  # freed before the statuses are read back: 100,000 take 15 MB
    skipped = journal.skip_received(send_id, issue, delivering=backend.delivers, among=sendable)
    skipped_by: Counter[str] = Counter(skipped.values())
    statuses = journal.statuses(send_id)
    work = [
        (email, [c for c in contacts if statuses.get(c.email) in sendable])
        for email, contacts in plan
    ]
    total = sum(len(contacts) for _, contacts in work)
    progress = _Progress(total, on_progress)
    this_run[Status.SKIPPED] += len(skipped)
    batch_no = journal.last_batch(send_id)
    requests = 0
    stopped: NewsletterError | None = None
    uncertain_in_a_row = 0
    #: Outcomes not yet committed: recorded with the next claim (one commit a message for
    #: SMTP), or at the end. Only the batch just answered waits, so a crash leaves it in
    #: flight (uncertain) as before, and at most one batch.
    pending: list[Outcome] = []
    try:
        for email, contacts in work:
            for start in range(0, len(contacts), size):
                batch = contacts[start : start + size]
                batch_no += 1
                claim = journal.claim(
                    send_id, [c.email for c in batch], among=sendable, batch=batch_no,
                    issue=issue, delivering=backend.delivers, record=pending,
                )  # fmt: skip
                pending = []
                this_run[Status.SKIPPED] += len(claim.skipped)
                skipped_by.update(claim.skipped.values())
                progress.begin(len(batch))
                chosen = set(claim.sending)
                batch = [c for c in batch if c.email in chosen]
                progress.step(progress.pending - len(batch))  # not sent: done already
                if not batch:
                    progress.end()
                    continue
                reporter = _Reporter(journal, backend, send_id, progress)
                numbered = replace(context, batch=batch_no, report=reporter)
                result = _send_one_batch(journal, backend, numbered, email, batch, reporter,
                                         this_run)  # fmt: skip
                pending = _unrecorded(result.outcomes, reporter)
                progress.end()
                requests += result.requests
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
    except KeyboardInterrupt:
        stopped = Interrupted("the send was interrupted (Ctrl-C)")
    finally:
        if pending:
            journal.record(send_id, pending)
    totals = journal.counts(send_id)
    if stopped is None and not any(totals.get(s, 0) for s in SENDABLE | {Status.UNCERTAIN}):
        journal.update_send(send_id, state="done")
    return RunResult(
        send_id, backend.name, backend.delivers, this_run, totals, requests, recovered, stopped,
        skipped_by=skipped_by,
    )  # fmt: skip


class _Progress:
    """Counts what is done and tells ``on_progress``: at every batch, and every outcome
    a backend reports early (so the outbox moves with each message)."""

    def __init__(self, total: int, callback: Callable[[int, int], None] | None) -> None:
        self.total, self.callback = total, callback
        self.done = self.pending = 0
        self.tell()

    def tell(self) -> None:
        if self.callback:
            self.callback(self.done, self.total)

    def begin(self, count: int) -> None:
        """``count`` more are dealt with once this batch ends."""
        self.pending += count

    def step(self, count: int) -> None:
        """``count`` of the batch are done already."""
        count = min(count, self.pending)
        self.done += count
        self.pending -= count
        if count:
            self.tell()

    def end(self) -> None:
        """The batch is over: whatever was not reported is done too."""
        if self.pending:
            self.step(self.pending)


class _Reporter:
    """What a backend calls with outcomes it knows before its batch is over."""

    def __init__(
        self, journal: JournalStore, backend: Backend, send_id: str, progress: _Progress
    ) -> None:
        self.journal, self.backend, self.send_id = journal, backend, send_id
        self.progress = progress
        self.unrecorded: list[Outcome] = []
        self.seen: list[Outcome] = []

    def __call__(self, outcomes: Sequence[Outcome]) -> None:
        if self.backend.delivers:  # journalled at once: these could otherwise be sent twice
            self.journal.record(self.send_id, outcomes)
        else:  # nothing left the machine: one commit per batch is enough
            self.unrecorded.extend(outcomes)
        self.seen.extend(outcomes)
        self.progress.step(len(outcomes))


def _send_one_batch(
    journal: JournalStore,
    backend: Backend,
    context: SendContext,
    email: RenderedEmail,
    batch: list[Contact],
    reporter: _Reporter,
    this_run: Counter[Status],
) -> BatchResult:
    """Send a batch already marked in flight; what came back is for the caller to record."""
    emails = [c.email for c in batch]
    try:
        result = backend.send_batch(email, batch, context)
    except BaseException:
        if reporter.unrecorded:
            journal.record(context.send_id, reporter.unrecorded)
        # Interrupted or broken mid-batch: if the backend could have delivered, we
        # cannot know whether it did. Never guess "not sent".
        fallback = Status.UNCERTAIN if backend.delivers else Status.QUEUED
        journal.set_status(
            context.send_id, emails, fallback,
            reason="interrupted while this batch was being sent",
            only_from=[Status.SENDING],
        )  # fmt: skip
        reported = reporter.seen
        this_run.update(o.status for o in reported)
        if fallback is Status.UNCERTAIN:
            this_run[fallback] += len(emails) - len({o.email for o in reported})
        raise
    answered = {o.email for o in result.outcomes}
    missing = [
        Outcome(e, Status.UNCERTAIN, reason="the backend gave no outcome")
        for e in emails
        if e not in answered
    ]
    result.outcomes += missing  # recorded by the caller (with its next claim)
    this_run.update(o.status for o in result.outcomes)
    return result


def _unrecorded(outcomes: list[Outcome], reporter: _Reporter) -> list[Outcome]:
    """``outcomes`` but those the reporter already committed, exactly as they are."""
    if not reporter.backend.delivers or not reporter.seen:
        return outcomes
    done = {id(o) for o in reporter.seen}
    return [o for o in outcomes if id(o) not in done]

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

from newsletter_cli.delivery.backends.base import (
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

#: An address refused before sending: the person, INVALID, why.
Invalid = tuple[Person, Status, "str | None"]

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
    once = not (allow_repeat or context.test or context.sandbox)
    sendable = set(SENDABLE) | ({Status.UNCERTAIN} if resend_uncertain else set())
    run = _Run(journal, backend, context, context.issue_name if once else None, sendable)
    sorted_out = sort_out(variants, lists_of or {}, address_problem)
    work = run.queue(*sorted_out)
    run.progress = _Progress(sum(len(contacts) for _, contacts in work), on_progress)
    size = max(1, min(batch_size or backend.max_batch, backend.max_batch))
    stopped = run.send_all(work, size)
    totals = journal.counts(send_id)
    if stopped is None and not any(totals.get(s, 0) for s in SENDABLE | {Status.UNCERTAIN}):
        journal.update_send(send_id, state="done")
    return RunResult(
        send_id, backend.name, backend.delivers, run.this_run, totals, run.requests, recovered,
        stopped, skipped_by=run.skipped_by,
    )  # fmt: skip


def sort_out(
    variants: Sequence[Variant],
    lists_of: Mapping[str, Sequence[str]],
    address_problem: Callable[[str], str | None] | None,
) -> tuple[list[tuple[RenderedEmail, list[Contact]]], list[Person], list[Invalid]]:
    """Each variant's contacts to send to (one copy each), the people, the invalid ones."""
    seen: set[str] = set()
    plan: list[tuple[RenderedEmail, list[Contact]]] = []
    people: list[Person] = []
    invalid: list[Invalid] = []
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
    return plan, people, invalid


@dataclass
class _Run:
    """One run of :func:`deliver`: what it counts, batch by batch."""

    journal: JournalStore
    backend: Backend
    context: SendContext
    issue: str | None  # once per person per issue: the issue, else None
    sendable: set[Status]
    this_run: Counter[Status] = field(default_factory=Counter)
    skipped_by: Counter[str] = field(default_factory=Counter)
    progress: _Progress | None = None
    requests: int = 0
    uncertain_in_a_row: int = 0
    #: Outcomes not yet committed: recorded with the next claim (one commit a message for
    #: SMTP), or at the end. Only the batch just answered waits, so a crash leaves it in
    #: flight (uncertain) as before, and at most one batch.
    pending: list[Outcome] = field(default_factory=list)

    def queue(
        self,
        plan: list[tuple[RenderedEmail, list[Contact]]],
        people: list[Person],
        invalid: list[Invalid],
    ) -> list[tuple[RenderedEmail, list[Contact]]]:
        """Record the invalid, queue the rest, skip who has it: what is left to send."""
        journal, send_id = self.journal, self.context.send_id
        if invalid:
            journal.set_new(send_id, invalid)
            self.this_run[Status.INVALID] = len(invalid)
        journal.enqueue(send_id, people)
        people.clear()  # freed before the statuses are read back: 100,000 take 15 MB
        skipped = journal.skip_received(send_id, self.issue, delivering=self.backend.delivers,
                                        among=self.sendable)  # fmt: skip
        self.skipped_by.update(skipped.values())
        self.this_run[Status.SKIPPED] += len(skipped)
        statuses = journal.statuses(send_id)
        return [
            (email, [c for c in contacts if statuses.get(c.email) in self.sendable])
            for email, contacts in plan
        ]

    def send_all(
        self, work: list[tuple[RenderedEmail, list[Contact]]], size: int
    ) -> NewsletterError | None:
        """Every batch in turn, until done or something stops the send."""
        batch_no = self.journal.last_batch(self.context.send_id)
        try:
            for email, contacts in work:
                for start in range(0, len(contacts), size):
                    batch_no += 1
                    stop = self.batch(email, contacts[start : start + size], batch_no)
                    if stop is not None:
                        return stop
        except KeyboardInterrupt:
            return Interrupted("the send was interrupted (Ctrl-C)")
        finally:
            if self.pending:
                self.journal.record(self.context.send_id, self.pending)
                self.pending = []
        return None

    def batch(
        self, email: RenderedEmail, batch: list[Contact], batch_no: int
    ) -> NewsletterError | None:
        """Claim one batch in the journal, send who is still to get it, count the answer."""
        assert self.progress is not None
        progress, backend = self.progress, self.backend
        claim = self.journal.claim(
            self.context.send_id, [c.email for c in batch], among=self.sendable,
            batch=batch_no, issue=self.issue, delivering=backend.delivers, record=self.pending,
        )  # fmt: skip
        self.pending = []
        self.this_run[Status.SKIPPED] += len(claim.skipped)
        self.skipped_by.update(claim.skipped.values())
        progress.begin(len(batch))
        chosen = set(claim.sending)
        batch = [c for c in batch if c.email in chosen]
        progress.step(progress.pending - len(batch))  # not sent: done already
        if not batch:
            progress.end()
            return None
        reporter = _Reporter(self.journal, backend, self.context.send_id, progress)
        numbered = replace(self.context, batch=batch_no, report=reporter)
        result = _send_one_batch(self.journal, backend, numbered, email, batch, reporter,
                                 self.this_run)  # fmt: skip
        self.pending = _unrecorded(result.outcomes, reporter)
        progress.end()
        self.requests += result.requests
        return self.judge(result)

    def judge(self, result: BatchResult) -> NewsletterError | None:
        """Why the send stops after this batch, if it does (too many unanswered in a row)."""
        if result.outcomes and all(o.status is Status.UNCERTAIN for o in result.outcomes):
            self.uncertain_in_a_row += 1
        else:
            self.uncertain_in_a_row = 0
        if result.stop is None and self.uncertain_in_a_row >= UNCERTAIN_BATCHES_IN_A_ROW:
            result.stop = DeliveryError(
                f"{self.uncertain_in_a_row} requests in a row got no answer; stopped",
                hint="check the network, then run the same command again to resume",
            )
        return result.stop


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

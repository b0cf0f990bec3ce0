"""Running a prepared send: lock, journal, schedule if asked, deliver, resume.

:func:`newsletter_cli.delivery.plan.prepare_send` decides; :func:`run_send` delivers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from newsletter_cli.delivery.backends.base import Backend, SendContext, Status
from newsletter_cli.delivery.backends.registry import make_backend
from newsletter_cli.delivery.deliver import RunResult, deliver
from newsletter_cli.journal import JournalStore, Person, open_journal
from newsletter_cli.recipients.addresses import address_problem

if TYPE_CHECKING:
    from newsletter_cli.delivery.plan import SendPlan
    from newsletter_cli.environment import Environment


def run_send(
    env: Environment,
    plan: SendPlan,
    *,
    backend: Backend | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Deliver a prepared plan, journalled; resumes if the same send ran before."""
    project = env.project
    if backend is None:
        backend = make_backend(plan.backend, project, env.config)
    with open_journal(project, env.config) as journal, journal.send_lock(plan.send_id):
        context = open_send(journal, backend, plan, now=env.now().timestamp())
        try:
            result = deliver(
                journal,
                backend,
                context,
                plan.variants,
                resend_uncertain=plan.resend_uncertain,
                allow_repeat=plan.allow_repeat,
                on_progress=on_progress,
                address_problem=address_problem,
                lists_of=plan.lists_of,
            )
        finally:
            backend.close()  # an SMTP connection says QUIT
    if plan.suppressed:
        result.this_run[Status.SUPPRESSED] = len(plan.suppressed)
    if not backend.delivers:
        result.folder = project.outbox_dir / plan.send_id
    return result


def open_send(
    journal: JournalStore, backend: Backend, plan: SendPlan, *, now: float | None = None
) -> SendContext:
    """The send in the journal (new, or resumed), scheduled if asked, the suppressed noted.

    A send held in the journal is handed over: its held recipients queued, the time noted.
    """
    record = journal.open_send(
        plan.send_id,
        issue=plan.issue.name,
        lists=plan.lists,
        mode=plan.mode,
        backend=plan.backend,
        delivers=backend.delivers,
        subject=plan.subject,
        issue_sha=plan.issue_sha,
    )
    if record.held:
        journal.move_all(plan.send_id, Status.QUEUED, among=[Status.HELD])
        journal.update_send(plan.send_id, handed_over=now, hand_over_from=None, hold_note=None)
    if record.state in ("cancelled", "held"):  # sent (or scheduled) anew, or handed over
        journal.update_send(plan.send_id, state="open")
    send_at = batch_id = None
    if plan.send_at is not None:
        send_at = int(plan.send_at.timestamp())
        batch_id = record.batch_id
        if batch_id is None:
            batch_id = backend.schedule()
        journal.update_send(plan.send_id, send_at=send_at, batch_id=batch_id, state="open",
                            handed_over=now)  # fmt: skip
    if plan.suppressed:
        journal.set_new(plan.send_id, [
            (Person(c.email, c.name, c.organisation, plan.lists_of.get(c.email, ())),
             Status.SUPPRESSED, None)
            for c in plan.suppressed
        ])  # fmt: skip
    return SendContext(
        send_id=plan.send_id,
        issue_name=plan.issue.name,
        test=plan.test,
        sandbox=plan.mode == "sandbox",
        send_at=send_at,
        batch_id=batch_id,
    )

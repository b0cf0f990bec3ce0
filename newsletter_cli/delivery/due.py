"""``newsletter send --due``: handing held sends to their backends when their time comes.

Each held send whose hand-over time has come is checked again exactly as a live send is
(the issue reloaded from its file, ``check`` against the day it goes, the links unless
the send was scheduled with ``--no-link-check``), and only if the issue file is the one
checked when it was scheduled. Then it goes through the ordinary send path: SendGrid
gets it with ``send_at`` (its own scheduling, cancellable); SMTP and the outbox deliver
it now. A send that fails a check stays held, the reason kept in the journal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.datefmt import format_day, format_time
from newsletter_cli.delivery.backends.registry import backend_class
from newsletter_cli.delivery.plan import SendPlan, file_sha, prepare_send
from newsletter_cli.delivery.request import SendRequest
from newsletter_cli.delivery.sender import run_send
from newsletter_cli.environment import LONDON
from newsletter_cli.errors import NewsletterError, Refused
from newsletter_cli.journal import existing_journal, open_journal

if TYPE_CHECKING:
    from newsletter_cli.delivery.deliver import RunResult
    from newsletter_cli.environment import Environment
    from newsletter_cli.journal import SendRecord

#: A SendGrid hand-over this close to its time is sent now rather than scheduled.
SEND_NOW_WITHIN = timedelta(minutes=2)


@dataclass
class HandOver:
    """What ``send --due`` did with one held send."""

    record: SendRecord
    plan: SendPlan | None = None
    result: RunResult | None = None
    refused: NewsletterError | None = None  # it stays held, for this reason


def due_sends(env: Environment) -> list[SendRecord]:
    """The held sends whose hand-over time has come, soonest first."""
    journal = existing_journal(env.project, config=env.config)
    if journal is None:
        return []
    with journal:
        return journal.held_sends(due_by=env.now().timestamp())


def due_request(env: Environment, record: SendRecord) -> SendRequest:
    """The send request to plan a held send again with, as it was asked for."""
    stored = json.loads(record.request or "{}")
    assert record.send_at is not None
    when = datetime.fromtimestamp(record.send_at, LONDON)
    later = backend_class(record.backend).can_schedule and when - env.now() > SEND_NOW_WITHIN
    return SendRequest(
        str(env.project.root / stored["issue"]), tuple(stored["lists"]), backend=record.backend,
        at=when.isoformat() if later else None, sandbox=stored.get("sandbox", False), yes=True,
        resend_uncertain=stored.get("resend_uncertain", False),
        allow_repeat=stored.get("allow_repeat", False), strict=stored.get("strict", False),
        link_check=stored.get("link_check", True), fresh_links=True,
    )  # fmt: skip


def unchanged(record: SendRecord, request: SendRequest) -> None:
    """Refuse when the issue file is gone or is not the version checked when scheduled."""
    path = Path(request.issue)
    if not path.is_file():
        raise Refused(
            f"the issue file is gone, so send {record.id} was not handed over",
            path=path, hint=f"put it back, or: newsletter cancel {record.id}",
        )  # fmt: skip
    if file_sha(path) != record.issue_sha:
        changed = datetime.fromtimestamp(path.stat().st_mtime, LONDON)
        raise Refused(
            f"the issue file changed after send {record.id} was scheduled (last changed "
            f"{format_day(changed.date())}, {format_time(changed.time())}), so it was not "
            "handed over: what was checked is not what would go",
            path=path,
            hint="check it ('newsletter check'), then schedule it again with the same "
            "'newsletter send ... --at' command (that replaces this hold), or cancel it: "
            f"newsletter cancel {record.id}",
        )


def check_again(env: Environment, record: SendRecord) -> SendPlan:
    """Plan a held send again as a live send is planned now; raise when it must not go."""
    request = due_request(env, record)
    unchanged(record, request)
    plan = prepare_send(env, request)
    if plan.send_id != record.id:
        raise Refused(
            f"send {record.id} now plans as {plan.send_id} (the lists were renamed?); not "
            "handed over", hint=f"newsletter cancel {record.id}, then schedule it again",
        )  # fmt: skip
    return plan


def keep_held(env: Environment, record: SendRecord, reason: NewsletterError) -> None:
    """Note in the journal why a due send was not handed over (it stays held)."""
    with open_journal(env.project, env.config) as journal:
        journal.update_send(record.id, hold_note=reason.message)


def hand_over(
    env: Environment, record: SendRecord, on_progress: Callable[[int, int], None] | None = None
) -> HandOver:
    """Check one held send again and hand it to its backend, or keep it held and say why."""
    try:
        plan = check_again(env, record)
    except NewsletterError as exc:
        keep_held(env, record, exc)
        return HandOver(record, refused=exc)
    return HandOver(record, plan, run_send(env, plan, on_progress=on_progress))

"""`newsletter send`: delivering an issue (`cancel` and `history` are in cli/history.py).

Thin commands over :mod:`newsletter_cli.delivery`; nothing heavy is
imported until a command runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import ISSUE_HELP, complete_list_names, project_for

if TYPE_CHECKING:
    from newsletter_cli.delivery.plan import SendPlan
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.environment import Environment
    from newsletter_cli.errors import NewsletterError
    from newsletter_cli.journal import SendRecord


def is_terminal() -> bool:
    """True when a person can answer a prompt."""
    return sys.stdin.isatty()


def confirm(plan: SendPlan, yes: bool) -> None:
    """Ask before sending; refuse when nobody can be asked."""
    from newsletter_cli.errors import Refused

    if yes or plan.test:  # a test send reaches only the addresses typed
        return
    if not is_terminal():
        raise Refused(
            "not sent: no terminal to confirm in",
            hint="add --yes to send without being asked (after a --dry-run or a --test-to send)",
        )
    what = "Schedule" if plan.send_at is not None else plan.backend_class.verb
    when = f"for {plan.send_at:%d %B %Y %H:%M}" if plan.send_at is not None else "now"
    if not typer.confirm(f"{what} to {plan.to_send} recipient(s) {when}?", default=False):
        raise Refused("not sent: you said no")


Lists = Annotated[
    list[str] | None,
    typer.Option("--list", "-l", metavar="NAME", autocompletion=complete_list_names,
                 help="A list to send to (repeat for more)."),
]  # fmt: skip
TestTo = Annotated[
    list[str] | None,
    typer.Option("--test-to", metavar="ADDRESS",
                 help="Send only to this address, subject '[TEST] ...' (repeat for more)."),
]  # fmt: skip
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check, count and render; send nothing.")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")]
At = Annotated[
    str | None,
    typer.Option("--at", metavar="'YYYY-MM-DD HH:MM'",
                 help="Schedule it (UK time, up to a year ahead): SendGrid takes it within "
                 "72 hours; further ahead, or by SMTP or the outbox, it is held until "
                 "'send --due' hands it over."),
]  # fmt: skip
Due = Annotated[
    bool,
    typer.Option("--due", help="Hand every held send whose time has come to its backend, "
                 "after checking it again (no ISSUE; run it regularly, e.g. from cron)."),
]  # fmt: skip
Sandbox = Annotated[
    bool, typer.Option("--sandbox", help="SendGrid sandbox mode: checked, not delivered.")
]
BackendName = Annotated[
    str | None,
    typer.Option("--backend", metavar="BACKEND",
                 help="outbox, sendgrid or smtp (default: newsletter.toml)."),
]  # fmt: skip
ResendUncertain = Annotated[
    bool, typer.Option("--resend-uncertain", help="Also send to recipients left 'uncertain'.")
]
AllowRepeat = Annotated[
    bool,
    typer.Option("--allow-repeat", help="Also send to people who already received this "
                 "issue in another send (a second copy)."),  # fmt: skip
]
CheckUncertain = Annotated[
    bool,
    typer.Option("--check-uncertain", help="Ask SendGrid's Email Activity about this "
                 "send's uncertain recipients; send nothing."),  # fmt: skip
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Refuse while any recipient-file problem may keep someone off."),
]
NoLinkCheck = Annotated[
    bool, typer.Option("--no-link-check", help="Send without trying every link first.")
]


@app.command()
def send(
    issue: Annotated[
        str | None, typer.Argument(metavar="ISSUE", help=ISSUE_HELP, show_default=False)
    ] = None,
    lists: Lists = None,
    test_to: TestTo = None,
    dry_run: DryRun = False,
    yes: Yes = False,
    at: At = None,
    sandbox: Sandbox = False,
    backend: BackendName = None,
    resend_uncertain: ResendUncertain = False,
    allow_repeat: AllowRepeat = False,
    check_uncertain: CheckUncertain = False,
    strict: Strict = False,
    no_link_check: NoLinkCheck = False,
    due: Due = False,
) -> None:
    """Send an issue to lists (or a test address), safely and resumably.

    Example: newsletter send regional-update --list send-network

    A test copy first: newsletter send ISSUE --test-to you@example.org

    Held sends (--at far ahead): newsletter send --due, every 15 minutes
    """
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.environment import Environment
    from newsletter_cli.errors import InputError

    if due:
        if issue is not None or lists or test_to or at:
            raise InputError("--due hands over every held send: give no ISSUE, --list, "
                             "--test-to or --at with it")  # fmt: skip
        run_due(Environment.load(project_for(None), console=console, err_console=err_console),
                dry_run=dry_run)  # fmt: skip
        return
    if issue is None:
        raise InputError("no issue given: newsletter send ISSUE --list NAME",
                         hint="or 'newsletter send --due' to hand over held sends")  # fmt: skip
    request = SendRequest(
        issue, tuple(lists or ()), tuple(test_to or ()), backend=backend, at=at,
        sandbox=sandbox, dry_run=dry_run, yes=yes, resend_uncertain=resend_uncertain,
        allow_repeat=allow_repeat, check_uncertain=check_uncertain, strict=strict,
        link_check=not no_link_check,
    )  # fmt: skip
    env = Environment.load(project_for(issue), console=console, err_console=err_console)
    if request.check_uncertain:
        _check_uncertain(env, request)
    else:
        run_request(env, request)


def run_request(env: Environment, request: SendRequest) -> None:
    """Plan, show, confirm, deliver, report: the whole of ``newsletter send``."""
    from newsletter_cli.cli.send_screen import (
        deliver_with_progress,
        resume_hint,
        show_plan,
        show_result,
    )
    from newsletter_cli.delivery.plan import prepare_send
    from newsletter_cli.delivery.reach import nothing_new

    plan = prepare_send(env, request)
    show_plan(plan)
    if request.strict:
        from newsletter_cli.recipients.leftout import refuse_if_any

        refuse_if_any(plan.left_out, plan.lists)
    if request.dry_run:
        console.print("Dry run: nothing was sent and nothing was written.")
        return
    reason = nothing_new(plan)
    if reason:
        console.print(reason)
        return
    confirm(plan, request.yes)
    if plan.held:
        hold(env, plan, request)
        return
    result = deliver_with_progress(env, plan)
    show_result(plan, result)
    if result.stopped is not None:
        error = result.stopped
        if not error.hint:
            error.hint = resume_hint(plan)
        raise error


def _check_uncertain(env: Environment, request: SendRequest) -> None:
    """send --check-uncertain: resolve the send's uncertain recipients, say what next."""
    from newsletter_cli.cli.send_screen import esc
    from newsletter_cli.delivery.plan import find_send_id
    from newsletter_cli.delivery.uncertain import check_uncertain
    from newsletter_cli.errors import InputError, Refused

    if request.test:
        raise InputError("--check-uncertain looks at a send to lists: give --list, not --test-to")
    send_id = find_send_id(env, request)
    found = check_uncertain(env.project, send_id)
    for line in found.summary():
        console.print(esc(line))
    if found.unavailable:
        raise Refused(f"{found.unavailable}; {len(found.waiting)} stay uncertain")


# -- sends held in the journal (--at far ahead) and send --due ---------------------------


def hold(env: Environment, plan: SendPlan, request: SendRequest) -> None:
    """Hold a planned send in the journal and say what happens next."""
    from newsletter_cli.cli.send_screen import show_held
    from newsletter_cli.delivery.hold import hold_send

    show_held(plan, hold_send(env, plan, request))


def run_due(env: Environment, *, dry_run: bool = False) -> None:
    """``send --due``: hand every held send whose time has come to its backend."""
    from newsletter_cli.cli.send_screen import show_due_dry_run
    from newsletter_cli.delivery.due import due_sends
    from newsletter_cli.errors import Refused

    found = due_sends(env)
    if not found:
        console.print("Nothing is due: no held send has reached its hand-over time.")
        return
    if dry_run:
        show_due_dry_run(found)
        return
    refused: list[NewsletterError] = []
    stopped: list[NewsletterError] = []
    for record in found:
        held, error = _hand_over_one(env, record)
        if error is not None:
            (refused if held else stopped).append(error)
    if stopped:
        raise stopped[0]
    if refused:
        raise Refused(
            f"{len(refused)} of {len(found)} due send(s) stayed held (first: {refused[0]})",
            hint=refused[0].hint or "'newsletter history' shows why each is held",
        )


def _hand_over_one(
    env: Environment, record: SendRecord
) -> tuple[bool, NewsletterError | None]:
    """Check one due send again and hand it over, showing what came of it: (True, why) when
    it stays held, else (False, what stopped its delivery, if anything)."""
    from newsletter_cli.cli.send_screen import deliver_with_progress, esc, show_plan, show_result
    from newsletter_cli.delivery.due import check_again, keep_held
    from newsletter_cli.errors import NewsletterError

    console.print(f"[bold]{esc(record.id)}[/]: due; checking it again")
    try:
        plan = check_again(env, record)
    except NewsletterError as exc:
        keep_held(env, record, exc)
        console.print(f"[yellow]Not handed over; it stays held:[/] {esc(exc)}")
        return True, exc
    show_plan(plan)
    result = deliver_with_progress(env, plan)
    show_result(plan, result)
    return False, result.stopped

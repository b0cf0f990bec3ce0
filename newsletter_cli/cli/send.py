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
    from newsletter_cli.delivery.deliver import RunResult
    from newsletter_cli.delivery.plan import SendPlan
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.environment import Environment
    from newsletter_cli.errors import NewsletterError
    from newsletter_cli.journal import SendRecord

ROWS = ("accepted", "failed", "uncertain", "skipped", "suppressed", "invalid", "queued",
        "cancelled", "held")


def is_terminal() -> bool:
    """True when a person can answer a prompt."""
    return sys.stdin.isatty()


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def show_plan(plan: SendPlan) -> None:
    """The confirmation screen: what will be sent, to whom, how."""
    from newsletter_cli.render.audiences import versions_in_words

    issue_path = plan.issue.path or plan.issue.name
    lines = [
        ("Issue", f"{plan.issue.name} ({issue_path})"),
        ("Subject", plan.subject),
        ("From", plan.sender),
        ("Reply-To", plan.reply_to),
        ("Test to" if plan.test else "Lists", ", ".join(plan.lists)),
        ("Recipients", _recipients_line(plan)),
        ("Versions", versions_in_words(plan.issue.blocks, plan.variants)),
        ("Backend", plan.backend_label),
        ("Send id", plan.send_id),
    ]
    if plan.send_at is not None:
        lines.append(("Scheduled", f"{plan.send_at:%A %d %B %Y %H:%M %Z}"
                      + (" (held in the journal until 'newsletter send --due' hands it over)"
                         if plan.held else "")))  # fmt: skip
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        console.print(f"[bold]{key:<{width}}[/]  {_esc(value)}")
    for other, count in sorted(plan.repeats.items()):
        if plan.allow_repeat:
            console.print(f"[yellow]--allow-repeat:[/] {count} already received this issue in "
                          f"send {_esc(other)}; they will get it again")  # fmt: skip
        else:
            console.print(f"{count} already received this issue in send {_esc(other)}; skipped")
    for warning in plan.warnings:
        console.print(f"[yellow]warning:[/] {_esc(warning)}")


def _recipients_line(plan: SendPlan) -> str:
    parts = [f"{plan.recipients} " + ("test address(es)" if plan.test else "on the list(s)")]
    if plan.suppressed:
        parts.append(f"{len(plan.suppressed)} more held back (suppressed)")
    if plan.already_accepted:
        parts.append(f"{plan.already_accepted} already sent by an earlier run")
    if plan.skipped:
        parts.append(f"{plan.skipped} already received this issue (skipped)")
    if plan.uncertain:
        parts.append(
            f"{plan.uncertain} uncertain, "
            + ("to be sent again" if plan.resend_uncertain else "left alone")
        )
    parts.append(f"{plan.to_send} to send now")
    return "; ".join(parts)


def _versions_line(plan: SendPlan) -> str:
    if len(plan.variants) == 1:
        return "1 (everyone gets the same blocks)"
    parts = [f"{v.key}: {len(v.contacts)}" for v in plan.variants]
    return f"{len(plan.variants)} by audience ({'; '.join(parts)})"


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


def show_result(plan: SendPlan, result: RunResult) -> None:
    """The final table and what to do next."""
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Recipients")
    table.add_column("This run", justify="right")
    table.add_column("Whole send", justify="right")
    for name in ROWS:
        run_n = sum(n for s, n in result.this_run.items() if s.value == name)
        all_n = sum(n for s, n in result.totals.items() if s.value == name)
        if name in ("queued", "cancelled", "skipped", "held") and not (run_n or all_n):
            continue
        table.add_row(name, str(run_n), str(all_n))
    console.print(table)
    accepted = sum(n for s, n in result.totals.items() if s.value == "accepted")
    if not result.delivers:
        folder = _esc(_shown(result.folder))
        console.print(f"Nothing left this machine: {accepted} email file(s) are in {folder}/")
        console.print("Their List-Unsubscribe is a mailto: to the reply-to address: nothing "
                      "here can take a one-click unsubscribe (SendGrid sends take it).")
    elif plan.mode == "sandbox":
        console.print("Sandbox mode: SendGrid checked every request and delivered nothing.")
    elif plan.send_at is not None:
        console.print(
            f"SendGrid will send to {accepted} recipient(s) at {plan.send_at:%d %B %Y %H:%M %Z}. "
            f"To stop it: newsletter cancel {plan.send_id}"
        )
    else:
        who = plan.backend_class.accepted_by
        console.print(f"{who} accepted the email for {accepted} recipient(s).")
    for other, count in sorted(result.skipped_by.items()):
        console.print(f"{count} skipped: already received this issue in send {_esc(other)}.")
    if result.recovered:
        console.print(
            f"[yellow]{result.recovered} recipient(s) were in flight when an earlier run "
            "stopped: they are now 'uncertain'.[/]"
        )
    uncertain = sum(n for s, n in result.totals.items() if s.value == "uncertain")
    if uncertain:
        console.print(
            f"[yellow]{uncertain} uncertain[/]: a request left but no answer came, so they may "
            f"have it. {plan.backend_class.uncertain_advice} "
            f"'newsletter history {plan.send_id}' lists them."
        )


def _shown(path: object) -> str:
    from pathlib import Path

    try:
        return str(Path(str(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def resume_command(plan: SendPlan) -> str:
    """The exact command that resumes this send."""
    import shlex

    issue = str(plan.issue.path or plan.issue.name)
    words = ["newsletter", "send", _shown(issue)]
    for name in plan.lists:
        words += ["--test-to" if plan.test else "--list", name]
    words += ["--backend", plan.backend]
    if plan.mode == "sandbox":
        words.append("--sandbox")
    if plan.allow_repeat:
        words.append("--allow-repeat")
    return shlex.join(words)


def _resume_hint(plan: SendPlan) -> str:
    return (
        f"nothing is lost: run '{resume_command(plan)}' again to resume (nobody already sent "
        f"to gets it twice); 'newsletter history {plan.send_id}' shows who is left"
    )


def nothing_new(plan: SendPlan) -> str | None:
    """Why a live send would reach nobody new, or None when it would reach someone."""
    if plan.test or plan.to_send:
        return None
    if not plan.recipients:
        return "Nothing to send: the list(s) have nobody to send to."
    if plan.uncertain and not plan.resend_uncertain:
        return (f"Nothing to send: everyone on the list(s) already has it, or is uncertain "
                f"({plan.uncertain}); see --check-uncertain.")  # fmt: skip
    return "Nothing to send: everyone on the list(s) already has it."


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
    from newsletter_cli.delivery.plan import prepare_send

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
            error.hint = _resume_hint(plan)
        raise error


def deliver_with_progress(env: Environment, plan: SendPlan) -> RunResult:
    """Run the send under a progress bar on stderr."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from newsletter_cli.delivery.sender import run_send

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=env.err_console, transient=True) as progress:
        task = progress.add_task(plan.backend_class.doing, total=None, rate="-")

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:.0f}" if speed else "-")

        return run_send(env, plan, on_progress=on_progress)


def _check_uncertain(env: Environment, request: SendRequest) -> None:
    """send --check-uncertain: resolve the send's uncertain recipients, say what next."""
    from newsletter_cli.delivery.plan import find_send_id
    from newsletter_cli.delivery.uncertain import check_uncertain
    from newsletter_cli.errors import InputError, Refused

    if request.test:
        raise InputError("--check-uncertain looks at a send to lists: give --list, not --test-to")
    send_id = find_send_id(env, request)
    found = check_uncertain(env.project, send_id)
    for line in found.summary():
        console.print(_esc(line))
    if found.unavailable:
        raise Refused(f"{found.unavailable}; {len(found.waiting)} stay uncertain")


# -- sends held in the journal (--at far ahead) and send --due ---------------------------


def _when(moment: object) -> str:
    from newsletter_cli.journal.history import london_time

    return london_time(moment.timestamp(), weekday=True)  # type: ignore[attr-defined]


def hold(env: Environment, plan: SendPlan, request: SendRequest) -> None:
    """Hold a planned send in the journal and say what happens next."""
    from newsletter_cli.delivery.hold import hold_send
    from newsletter_cli.journal.status import Status

    held = hold_send(env, plan, request)
    count = held.counts.get(Status.HELD, 0)
    for other, skipped in sorted(held.skipped_by.items()):
        console.print(f"{skipped} skipped: already received this issue in send {_esc(other)}.")
    console.print(f"Held in the journal: {count} recipient(s) get it on {_when(held.send_at)}. "
                  "Nothing has been sent yet.")  # fmt: skip
    if held.hand_over_from < held.send_at:
        who = plan.backend_class.accepted_by
        start = f"from {_when(held.hand_over_from)}, when {who} can take it"
    else:
        start = "at that time"
    console.print(
        f"'newsletter send --due' hands it over {_esc(start)}, after checking the issue and "
        "its links again: run it regularly (every 15 minutes; see the Scheduling page of "
        f"the manual). To stop it: newsletter cancel {_esc(plan.send_id)}"
    )


def run_due(env: Environment, *, dry_run: bool = False) -> None:
    """``send --due``: hand every held send whose time has come to its backend."""
    from newsletter_cli.delivery.due import due_sends
    from newsletter_cli.errors import Refused

    found = due_sends(env)
    if not found:
        console.print("Nothing is due: no held send has reached its hand-over time.")
        return
    if dry_run:
        for record in found:
            console.print(f"Due: {_esc(record.id)} ({record.backend})")
        console.print("Dry run: nothing was handed over.")
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
    from newsletter_cli.delivery.due import check_again, keep_held
    from newsletter_cli.errors import NewsletterError

    console.print(f"[bold]{_esc(record.id)}[/]: due; checking it again")
    try:
        plan = check_again(env, record)
    except NewsletterError as exc:
        keep_held(env, record, exc)
        console.print(f"[yellow]Not handed over; it stays held:[/] {_esc(exc)}")
        return True, exc
    show_plan(plan)
    result = deliver_with_progress(env, plan)
    show_result(plan, result)
    return False, result.stopped

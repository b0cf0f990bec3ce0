"""The `newsletter send` screens: the plan, the result, held and due sends.

Presentation only: the command in cli/send.py decides what to show and when; nothing
heavy is imported until a screen is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter_cli.cli.output import console

if TYPE_CHECKING:
    from newsletter_cli.delivery.deliver import RunResult
    from newsletter_cli.delivery.hold import Held
    from newsletter_cli.delivery.plan import SendPlan
    from newsletter_cli.environment import Environment
    from newsletter_cli.journal import SendRecord

ROWS = ("accepted", "failed", "uncertain", "skipped", "suppressed", "invalid", "queued",
        "cancelled", "held")


def esc(text: object) -> str:
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
        console.print(f"[bold]{key:<{width}}[/]  {esc(value)}")
    for other, count in sorted(plan.repeats.items()):
        if plan.allow_repeat:
            console.print(f"[yellow]--allow-repeat:[/] {count} already received this issue in "
                          f"send {esc(other)}; they will get it again")  # fmt: skip
        else:
            console.print(f"{count} already received this issue in send {esc(other)}; skipped")
    for warning in plan.warnings:
        console.print(f"[yellow]warning:[/] {esc(warning)}")


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
        folder = esc(_shown(result.folder))
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
        console.print(f"{count} skipped: already received this issue in send {esc(other)}.")
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


def resume_hint(plan: SendPlan) -> str:
    return (
        f"nothing is lost: run '{resume_command(plan)}' again to resume (nobody already sent "
        f"to gets it twice); 'newsletter history {plan.send_id}' shows who is left"
    )


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


def _when(moment: object) -> str:
    from newsletter_cli.journal.history import london_time

    return london_time(moment.timestamp(), weekday=True)  # type: ignore[attr-defined]



def show_held(plan: SendPlan, held: Held) -> None:
    """What holding a send in the journal did, and what happens next."""
    from newsletter_cli.journal.status import Status

    count = held.counts.get(Status.HELD, 0)
    for other, skipped in sorted(held.skipped_by.items()):
        console.print(f"{skipped} skipped: already received this issue in send {esc(other)}.")
    console.print(f"Held in the journal: {count} recipient(s) get it on {_when(held.send_at)}. "
                  "Nothing has been sent yet.")  # fmt: skip
    if held.hand_over_from < held.send_at:
        who = plan.backend_class.accepted_by
        start = f"from {_when(held.hand_over_from)}, when {who} can take it"
    else:
        start = "at that time"
    console.print(
        f"'newsletter send --due' hands it over {esc(start)}, after checking the issue and "
        "its links again: run it regularly (every 15 minutes; see the Scheduling page of "
        f"the manual). To stop it: newsletter cancel {esc(plan.send_id)}"
    )


def show_due_dry_run(found: list[SendRecord]) -> None:
    """``send --due --dry-run``: the held sends that would be handed over."""
    for record in found:
        console.print(f"Due: {esc(record.id)} ({record.backend})")
    console.print("Dry run: nothing was handed over.")

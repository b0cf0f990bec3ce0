"""`newsletter history` and `newsletter cancel`: past sends, proof of who got an issue.

Thin commands over :mod:`newsletter_cli.journal.history` and
:mod:`newsletter_cli.delivery.cancel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.params import AsCsv, AsJson, project_for
from newsletter_cli.cli.tabular import Column, choose_format, emit, say
from newsletter_cli.datefmt import format_moment, in_uk

if TYPE_CHECKING:
    from newsletter_cli.journal.history import SendHistory

SEND_COLUMNS = (
    Column("id", "Send"),
    Column("issue", "Issue"),
    Column("lists", "Lists"),
    Column("mode", "Mode"),
    Column("backend", "Backend"),
    Column("started", "Started"),
    Column("state", "State"),
    Column("counts", "Recipients"),
)
RECIPIENT_COLUMNS = (
    Column("email", "Email"),
    Column("name", "Name"),
    Column("organisation", "Organisation"),
    Column("lists", "Lists"),
    Column("status", "Status"),
    Column("time", "Time (UK)"),
    Column("message_id", "Message id"),
    Column("reason", "Reason", wrap=True),
)
ISSUE_COLUMNS = (*RECIPIENT_COLUMNS[:6], Column("send", "Send"), *RECIPIENT_COLUMNS[6:])


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def _send_row(entry: SendHistory, now: float | None = None) -> dict:
    record = entry.record
    return {
        "id": record.id,
        "issue": record.issue,
        "lists": list(record.lists),
        "mode": record.mode,
        "backend": record.backend,
        "started": in_uk(record.created),
        "state": entry.state(now),
        "counts": {s.value: n for s, n in sorted(entry.counts.items()) if n},
    }


def _show_sends(sends: list[SendHistory], fmt: str, now: float | None = None) -> None:
    rows = [_send_row(entry, now) for entry in sends]
    if fmt != "table":
        emit(rows, SEND_COLUMNS, fmt)
        return
    for row in rows:
        counts = ", ".join(f"{n} {s}" for s, n in row["counts"].items())
        say(f"{row['id']}  ({row['mode']}, {row['backend']}, {row['state']})",
            bold=len(row["id"]), following="    ")  # fmt: skip
        say(f"{format_moment(row['started'])}  {', '.join(row['lists'])}: {counts or 'nobody'}",
            indent="  ", following="    ")  # fmt: skip


@app.command()
def history(
    send_id: Annotated[
        str | None,
        typer.Argument(metavar="SEND_ID",
                       help="Show one send: its state and who did not get it."),
    ] = None,
    issue: Annotated[
        str | None,
        typer.Option("--issue", metavar="ISSUE",
                     help="Only the sends of this issue (a file or its name)."),
    ] = None,
    recipients: Annotated[
        bool,
        typer.Option("--recipients", help="Every recipient: name, lists, status, time, id."),
    ] = False,
    as_csv: AsCsv = False,
    as_json: AsJson = False,
) -> None:
    """Past sends and their state; one send's failures; proof of who got an issue.

    Examples: 'newsletter history', 'newsletter history SEND_ID --recipients --csv >
    proof.csv', 'newsletter history --issue regional-update --recipients' (one row per
    person: who got this issue, from which send).
    """
    from newsletter_cli.environment import Environment
    from newsletter_cli.errors import InputError
    from newsletter_cli.journal import history as past

    project = project_for(issue)
    now = Environment.load(project).now().timestamp()
    fmt = choose_format(as_csv=as_csv, as_json=as_json)
    note = err_console if fmt != "table" else console
    if send_id is not None and issue is not None:
        raise InputError("give a send id or --issue, not both")
    if send_id is not None and recipients:
        record, rows = past.send_recipients(project, send_id)
        if fmt == "table":
            say(f"{record.id}: {record.issue} to {', '.join(record.lists)}",
                bold=len(record.id), following="    ")
        emit(rows, RECIPIENT_COLUMNS, fmt)
        return
    if issue is not None and recipients:
        name = past.issue_key(project, issue)
        rows = past.issue_recipients(project, name)
        if not rows:
            note.print(f"No live send of {_esc(name)} in the journal.")
        emit(rows, ISSUE_COLUMNS, fmt)
        return
    if recipients:
        raise InputError("--recipients needs a send id or --issue ISSUE")
    if send_id is None:
        name = past.issue_key(project, issue) if issue else None
        sends = past.history(project, name)
        if not sends and fmt == "table":
            note.print("No sends yet.")
            return
        _show_sends(sends, fmt, now)
        return
    entry, problems = past.send_details(project, send_id)
    if fmt != "table":
        rows = [{"email": r.email, "status": r.status.value, "reason": r.reason}
                for r in problems]  # fmt: skip
        emit(rows, (RECIPIENT_COLUMNS[0], RECIPIENT_COLUMNS[4], RECIPIENT_COLUMNS[7]), fmt)
        return
    record = entry.record
    say(f"{record.id}: {record.issue} to {', '.join(record.lists)} ({record.mode}, "
        f"{record.backend}), {entry.state(now)}", bold=len(record.id), following="    ")
    counts = ", ".join(f"{n} {s.value}" for s, n in sorted(entry.counts.items()))
    console.print(counts or "no recipients recorded")
    if not problems:
        console.print("Nobody failed.")
        return
    for row in problems:
        reason = f": {row.reason}" if row.reason else ""
        say(f"{row.email}  {row.status.value}{reason}", following="    ")

@app.command()
def cancel(
    send_id: Annotated[
        str, typer.Argument(metavar="SEND_ID", help="The send id ('newsletter history').")
    ],
) -> None:
    """Cancel a scheduled send (--at) that has not gone yet.

    Cancelling a send that is already cancelled changes nothing and exits 0.

    Example: newsletter cancel 2025-09-regional-update--dcs-3f9a1c
    """
    from newsletter_cli.delivery.cancel import cancel_send
    from newsletter_cli.environment import Environment
    from newsletter_cli.project import Project

    done = cancel_send(Environment.load(Project.find()), send_id)
    if done.already:
        console.print(f"Send {_esc(done.record.id)} was already cancelled; nothing to do.")
        return
    console.print(
        f"Cancelled {_esc(done.record.id)}: {done.recipients} recipient(s) will not get it. "
        "Run the same send again to send or schedule it anew."
    )

"""`newsletter report`: what happened to a send (or an issue) after SendGrid took it.

A thin command over :mod:`newsletter_cli.reports.report`; the terminal tables are in
:mod:`newsletter_cli.reports.terminal`, the one-page HTML in :mod:`newsletter_cli.reports.html`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console, err_console
from newsletter_cli.cli.tabular import CSV_HELP, Column, choose_format, emit

#: The columns of ``--csv`` and ``--json``: one row per figure (see Report.rows).
ROW_COLUMNS = tuple(
    Column(key, key.capitalize())
    for key in ("section", "name", "metric", "value", "organisation", "lists")
)


@app.command()
def report(
    send_id: Annotated[
        str | None,
        typer.Argument(metavar="SEND_ID", help="The send ('newsletter history' lists them)."),
    ] = None,
    issue: Annotated[
        str | None,
        typer.Option("--issue", metavar="ISSUE",
                     help="Every live SendGrid send of this issue (file or name)."),
    ] = None,
    as_csv: Annotated[
        bool, typer.Option("--csv", help=f"Every figure as CSV on stdout. {CSV_HELP}")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Every figure as JSON on stdout.")
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE",
                     help="Also write a one-page HTML report (charts included)."),
    ] = None,
) -> None:
    """Delivery, opens, clicks, bounces and unsubscribes of a send, by list and organisation.

    From SendGrid's category statistics, its suppression lists and (where the account
    has it) Email Activity. Examples: 'newsletter report SEND_ID', 'newsletter report
    --issue issues/2025-09-regional-update.yaml --html report.html'.
    """
    from newsletter_cli.errors import InputError
    from newsletter_cli.project import Project
    from newsletter_cli.reports.report import build_report

    fmt = choose_format(as_csv=as_csv, as_json=as_json)
    if (send_id is None) == (issue is None):
        raise InputError("give a send id or --issue ISSUE (one of them)")
    found = build_report(Project.find(), send_id=send_id, issue=issue)
    if html is not None:
        from newsletter_cli.reports.html import write_html

        write_html(found, html)
    if fmt != "table":
        emit(found.rows(), ROW_COLUMNS, fmt)
        if html is not None:
            err_console.print(f"Wrote {html}")
        return
    from newsletter_cli.reports.terminal import show

    show(found, console)
    if html is not None:
        console.print(f"Wrote {html}: one page, charts included, for a board paper.")

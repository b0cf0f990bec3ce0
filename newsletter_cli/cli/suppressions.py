"""`newsletter suppressions sync`: SendGrid's unsubscribes, bounces and blocks into recipients/.

A thin command over :mod:`newsletter_cli.reports.sync`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from newsletter_cli.cli.app import PlainGroup, app
from newsletter_cli.cli.output import console

suppressions_app = typer.Typer(
    cls=PlainGroup,
    help="SendGrid's suppressions (unsubscribes, bounces, blocks, spam reports) in recipients/."
    "\n\nExample: newsletter suppressions sync",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(suppressions_app, name="suppressions")


@suppressions_app.command("sync")
def sync(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and say what is new; write nothing.")
    ] = False,
) -> None:
    """Fetch everyone SendGrid holds back into recipients/suppressions-sendgrid.csv.

    Unsubscribes from the newsletter's group, global unsubscribes, bounces, blocks, spam
    reports and invalid emails; new entries are reported by list. Never removes an entry;
    a second run changes nothing. Example: newsletter suppressions sync --dry-run
    """
    from rich.markup import escape

    from newsletter_cli.project import Project
    from newsletter_cli.reports.sync import sync_suppressions

    result = sync_suppressions(Project.find(), dry_run=dry_run)
    for line in result.summary():
        console.print(escape(line))

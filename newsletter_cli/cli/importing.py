"""`newsletter import`: start an issue from a Word draft, a saved web page or blog text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.build import date_option
from newsletter_cli.cli.output import console
from newsletter_cli.errors import InputError


@app.command("import")
def import_(
    source: Annotated[
        Path,
        typer.Argument(metavar="SOURCE", help="A .docx, .html/.htm, .txt or .md file.",
                       dir_okay=False, show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE",
                     help="The issue file to write (default: issues/YYYY-MM-NAME.yaml)."),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD",
                     help="The issue's date (default: the draft's own, e.g. a byline 'Sep 19')."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the report only; write nothing.")
    ] = False,
) -> None:
    """Make a new issue file from a draft: title, foreword, news, events, links.

    Prints what it made and every guess it had to make, with the draft's line or
    paragraph. Links the draft has no address for are written url: TODO, which
    `newsletter check` lists. Never overwrites a file.

    Example: newsletter import "September draft.docx" --out issues/2025-09-regional-update.yaml
    """  # fmt: skip
    from rich.markup import escape

    from newsletter_cli.authoring.importing import import_draft
    from newsletter_cli.authoring.importing.write import default_name, write_new

    day = None if when is None else date_option(when)
    imported = import_draft(source, day)
    if out is None:
        from newsletter_cli.project import Project

        out = Project.find().issues_dir / default_name(imported.draft.data)
    if out.exists() and not dry_run:
        raise InputError("already exists; it was left as it is (choose another --out)", path=out)
    for line in imported.report:
        console.print(escape(line), highlight=False, soft_wrap=True)
    if dry_run:
        console.print(f"Dry run: {escape(str(out))} was not written.", highlight=False)
        return
    write_new(out, imported.text)
    console.print(f"Created {escape(str(out))}: check it, then run newsletter check.",
                  highlight=False)  # fmt: skip

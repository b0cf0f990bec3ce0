"""`newsletter publish`: the web edition as a static folder (default site/)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.build import _relative as _shown
from newsletter_cli.cli.output import console, err_console


@app.command()
def publish(
    issue: Annotated[
        Path | None,
        typer.Argument(
            metavar="ISSUE", help="The issue file, e.g. issues/2025-09-regional-update.yaml."
        ),
    ] = None,
    all_issues: Annotated[
        bool, typer.Option("--all", help="Publish every issue in issues/.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", file_okay=False,
            help="Folder to write the site to (default site/): an empty folder or one publish "
            "made; it never replaces or removes a file it did not write.",
        ),
    ] = None,
) -> None:
    """Write the web edition: a page per issue, an index, an Atom feed and a sitemap.

    Example: newsletter publish issues/2025-09-regional-update.yaml, or
    newsletter publish --all --out site. Copy the folder to any web host.
    """
    from newsletter_cli.errors import InputError
    from newsletter_cli.project import Project
    from newsletter_cli.site.publish import publish as run

    if all_issues == (issue is not None):
        raise InputError("give an issue file, or --all for every issue (not both)")
    result = run(Project.find(), None if all_issues else [issue], out=out)
    folder = _shown(result.out)
    for item in result.published:
        console.print(f"  {item.issue.name}/index.html ({item.ics} .ics)")
        if item.placeholders:
            err_console.print(
                f"warning: {item.issue.name}: {item.placeholders} link(s) still say TODO or '#' "
                f"(see: newsletter check {_shown(item.issue.path)})"
            )
    for note in result.notes:
        err_console.print(f"note: {note}")
    console.print(
        f"Published {len(result.published)} issue(s) to {folder}/ for {result.base} "
        f"({result.listed} on the index, {result.images} image(s); {len(result.written)} file(s) "
        f"written, {result.unchanged} unchanged, {len(result.removed)} removed)"
    )

"""`newsletter init`: start a newsletter folder from nothing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console

#: What each part of a new folder is for, as `init` describes it.
PARTS = (
    ("newsletter.toml", "settings: sender, web address, how to send (each one explained)"),
    ("issues/", "one YAML file per issue; {issue} is a sample to change"),
    ("recipients/", "made-up contacts, lists.yaml and suppressions.csv: replace with yours"),
    ("images/", "the logo (newsletter.toml names it) and pictures for issues"),
    ("templates/", "the email's design, yours to change (delete it to use the built-in one)"),
)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@app.command()
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="The folder to create it in (default: this one).",
            file_okay=False, show_default=False,
        ),
    ] = Path("."),
) -> None:
    """Create a working newsletter folder: settings, a sample issue, recipients, template.

    Never overwrites a file: if any is already there, nothing is written.

    Example: newsletter init team-newsletter
    """
    from rich.markup import escape

    from newsletter_cli.authoring.init_project import create_project

    made = create_project(folder)
    where = _shown(made.root)
    issue = _shown(made.issue) if where == "." else str(made.issue.relative_to(made.root))
    console.print(f"Created a newsletter folder in {escape(where)} ({len(made.files)} files):")
    for name, about in PARTS:
        console.print(f"  {name:<16} {escape(about.format(issue=issue))}")
    console.print("Next:")
    steps = [(f"cd {where}", "")] if where != "." else []
    steps += [
        (f"newsletter preview {issue}", "see it in your browser; save the file and it changes"),
        (f"newsletter check {issue}", "what to fix before it can be sent"),
        (f"newsletter send {issue} --test-to you@example.org",
         "a test copy into outbox/: nothing leaves this computer"),
    ]  # fmt: skip
    for command, about in steps:
        console.print(f"  {escape(command)}")
        if about:
            console.print(f"      {escape(about)}")
    console.print(
        "Then put your details in newsletter.toml and your contacts in recipients/. "
        "The README's 'Writing an issue' shows every block kind."
    )

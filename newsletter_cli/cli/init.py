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
)
COPIED_TEMPLATE = (
    "templates/", "a copy of the email's design, yours to change ('newsletter template diff' "
    "shows what differs from the built-in one; delete it to use the built-in one again)",
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
    copy_template: Annotated[
        bool,
        typer.Option(
            "--copy-template",
            help="Also copy the email's design into templates/ to change it (a copy does not "
            "receive the tool's later fixes to the built-in one).",
        ),
    ] = False,
) -> None:
    """Create a working newsletter folder: settings, a sample issue, recipients, logo.

    The email's design is the built-in one unless --copy-template is given.

    Never overwrites a file: if any is already there, nothing is written.

    Example: newsletter init team-newsletter
    """
    from rich.markup import escape

    from newsletter_cli.authoring.init_project import create_project

    made = create_project(folder, copy_template=copy_template)
    where = _shown(made.root)
    issue = _shown(made.issue) if where == "." else str(made.issue.relative_to(made.root))
    console.print(f"Created a newsletter folder in {escape(where)} ({len(made.files)} files):")
    for name, about in (*PARTS, *([COPIED_TEMPLATE] if copy_template else [])):
        console.print(f"  {name:<16} {escape(about.format(issue=issue))}")
    console.print("Next:")
    short = made.issue.stem
    steps = [(f"cd {where}", "")] if where != "." else []
    steps += [
        (f"newsletter preview {short}", "see it in your browser; save the file and it changes"),
        (f"newsletter check {short}", "what to fix before it can be sent"),
        (f"newsletter send {short} --test-to you@example.org",
         "a test copy into outbox/: nothing leaves this computer"),
    ]  # fmt: skip
    for command, about in steps:
        console.print(f"  {escape(command)}")
        if about:
            console.print(f"      {escape(about)}")
    console.print(
        "Then put your details in newsletter.toml and your contacts in recipients/. "
        "The manual's 'Block kinds' page shows every kind."
    )

"""Arguments and options several commands share, and shell completion for list names.

Every value shows a metavar saying what to give (ISSUE, NAME, DIR...), never a Python
type: the help is read by people who are not programmers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsletter_cli.cli.tabular import CSV_HELP

if TYPE_CHECKING:
    from newsletter_cli.project import Project

ISSUE_HELP = (
    "The issue: its file (issues/2026-01-regional-update.yaml) or short name "
    "(2026-01-regional-update, or the start of it: 2026-01)."
)


def resolve_issue(value: Path | str | None) -> Path | None:
    """An ISSUE argument or option as a file: a path, or a short name in the issues/
    folder of the project found from the current folder (see project.find_issue)."""
    from newsletter_cli.project import find_issue

    return None if value is None else find_issue(value)


def project_for(issue: Path | str | None = None) -> Project:
    """The project an issue belongs to (newsletter.toml from its file's folder up); with no
    issue, or one only the journal knows, the project found from the current folder."""
    from newsletter_cli.errors import InputError
    from newsletter_cli.project import Project, find_issue

    if issue is not None:
        try:
            return Project.of_issue(find_issue(issue))
        except InputError:
            pass
    return Project.find()


def complete_list_names(incomplete: str) -> list[str]:
    """The list names in recipients/lists.yaml that start with what was typed (for Tab)."""
    from newsletter_cli.project import Project
    from newsletter_cli.sourcefile import load_yaml

    project = Project.nearest()
    path = project.recipients_dir / "lists.yaml" if project else None
    try:
        data = load_yaml(path) if path and path.is_file() else {}
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    names = [str(n) for n in data or {} if not str(n).startswith("_")]
    return [n for n in names if n.startswith(incomplete)]


IssueArg = Annotated[
    Path,
    typer.Argument(metavar="ISSUE", help=ISSUE_HELP, show_default=False, callback=resolve_issue),
]
ListOpt = Annotated[
    str | None,
    typer.Option(
        "--list", metavar="NAME", autocompletion=complete_list_names,
        help="Build the version one list's members see, personalised.",
    ),
]  # fmt: skip
AsCsv = Annotated[
    bool, typer.Option("--csv", help=f"CSV on stdout (for Excel or a script). {CSV_HELP}")
]
AsJson = Annotated[bool, typer.Option("--json", help="JSON on stdout (for a script).")]

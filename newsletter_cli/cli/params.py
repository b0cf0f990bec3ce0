"""Arguments and options several commands share, and shell completion for list names.

Every value shows a metavar saying what to give (ISSUE, NAME, DIR...), never a Python
type: the help is read by people who are not programmers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsletter_cli.cli.tabular import CSV_HELP

ISSUE_HELP = "The issue file, e.g. issues/2025-09-regional-update.yaml."


def complete_list_names(incomplete: str) -> list[str]:
    """The list names in recipients/lists.yaml that start with what was typed (for Tab)."""
    from newsletter_cli.project import Project
    from newsletter_cli.sourcefile import load_yaml

    path = Project.find().recipients_dir / "lists.yaml"
    try:
        data = load_yaml(path) if path.is_file() else {}
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    names = [str(n) for n in data or {} if not str(n).startswith("_")]
    return [n for n in names if n.startswith(incomplete)]


IssueArg = Annotated[Path, typer.Argument(metavar="ISSUE", help=ISSUE_HELP, show_default=False)]
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

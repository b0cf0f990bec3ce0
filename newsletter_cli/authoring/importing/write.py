"""The imported issue as a file in the project's style, never over an existing one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsletter_cli.authoring.new_issue import guide_comment
from newsletter_cli.authoring.yamltext import dump
from newsletter_cli.errors import InputError
from newsletter_cli.project import STARTER

MONTH_YEAR = re.compile(r"\b([A-Z][a-z]+ \d{4})\b")


def issue_text(data: dict[str, Any], source_name: str) -> str:
    """The guide comment, a line on where the file came from, then the issue."""
    month = MONTH_YEAR.search(data["title"])
    guide = [
        line.replace("$month_year", month[1] if month else data["title"])
        for line in guide_comment(STARTER / "sample-issue.yaml")
    ]
    return "".join([
        "\n".join(guide) + "\n#\n",
        f"# Imported from {source_name} by `newsletter import`. Check every field against\n"
        "# the draft, give each url: TODO its address, then run `newsletter check`.\n\n",
        dump(data),
    ])  # fmt: skip


def default_name(data: dict[str, Any]) -> str:
    """issues/2025-09-regional-update.yaml from the title and date."""
    title = MONTH_YEAR.sub("", data["title"])
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "issue"
    return f"{data['issue_date'][:7]}-{slug}.yaml"


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; refuse if anything is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError("already exists; it was left as it is (choose another --out)",
                         path=path) from None  # fmt: skip

"""`newsletter init`: a new newsletter folder from the starter project in the package.

The starter (``newsletter_cli/starter/``) holds newsletter.toml with every setting
explained, made-up recipients, a logo and the built-in template; the sample issue is
written with dates counted from today, so `check` and `send` work on it at once.
Nothing that already exists is overwritten: if any file would be, nothing is written.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template

from newsletter_cli.checks.dates import london_today
from newsletter_cli.errors import InputError
from newsletter_cli.project import STARTER

SAMPLE_ISSUE = STARTER / "sample-issue.yaml"
#: Starter files copied as they are: (where in the package, where in the new folder).
COPIED = (
    ("newsletter.toml", "newsletter.toml"),
    ("gitignore", ".gitignore"),
    ("recipients", "recipients"),
    ("images", "images"),
)
#: Copied only when asked (``--copy-template``): otherwise the folder uses the built-in
#: template, and receives the tool's fixes to it.
TEMPLATES = ("templates", "templates")


@dataclass(frozen=True)
class NewProject:
    """What `init` made: the folder, the sample issue and every file written."""

    root: Path
    issue: Path
    files: tuple[Path, ...]


def sample_issue_text(today: date) -> tuple[str, str]:
    """(file name, text) of the sample issue dated ``today``, its events in the weeks after."""
    name = f"{today:%Y-%m}-regional-update.yaml"

    def day(weeks: int, *, weekday: int = 1) -> str:
        """A ``weekday`` (Tuesday) about ``weeks`` weeks on: events fall on working days."""
        later = today + timedelta(weeks=weeks)
        return (later + timedelta(days=(weekday - later.weekday()) % 7)).isoformat()

    text = Template(SAMPLE_ISSUE.read_text(encoding="utf-8")).substitute(
        month_year=f"{today:%B} {today.year}",
        issue_date=today.isoformat(),
        file_name=name,
        workshop=day(3),
        workshop_deadline=day(2, weekday=4),
        conference=day(5, weekday=3),
        conference_deadline=day(4, weekday=4),
        webinar_one=day(6, weekday=0),
        webinar_two=day(7, weekday=2),
    )
    return name, text


def _starter_files(copy_template: bool = False) -> list[tuple[Path, Path]]:
    """(source, path relative to the new folder) for every file copied from the starter."""
    found = []
    for source_name, target_name in (*COPIED, *([TEMPLATES] if copy_template else [])):
        source = STARTER / source_name
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    found.append((path, Path(target_name) / path.relative_to(source)))
        else:
            found.append((source, Path(target_name)))
    return found


def create_project(
    root: Path, *, today: date | None = None, copy_template: bool = False
) -> NewProject:
    """Write a working newsletter folder in ``root`` (made if missing); overwrite nothing.

    ``copy_template``: also copy the built-in template into templates/ to change it.
    """
    if root.exists() and not root.is_dir():
        raise InputError("is a file, not a folder", path=root)
    issue_name, issue_text = sample_issue_text(today or london_today())
    copies = _starter_files(copy_template)
    targets = [root / relative for _, relative in copies] + [root / "issues" / issue_name]
    existing = [path for path in targets if path.exists() or path.is_symlink()]
    if existing:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise InputError(
            f"already exists{more}; nothing was written",
            path=existing[0],
            hint="run newsletter init in an empty folder, or give a new one: newsletter init DIR",
        )
    written: list[Path] = []
    try:
        for source, relative in copies:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as reader, target.open("xb") as writer:
                shutil.copyfileobj(reader, writer)
            written.append(target)
        issue = root / "issues" / issue_name
        issue.parent.mkdir(parents=True, exist_ok=True)
        with issue.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(issue_text)
        written.append(issue)
    except FileExistsError as exc:  # made by someone else while we were writing
        raise InputError("already exists; stopped there", path=Path(exc.filename)) from None
    except OSError as exc:
        where = Path(exc.filename or root)
        raise InputError(f"cannot be written: {exc.strerror}", path=where) from None
    return NewProject(root=root, issue=issue, files=tuple(written))

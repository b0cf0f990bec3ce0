"""`newsletter new`: start the next issue from the last one's structure."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

from newsletter_cli.errors import InputError
from newsletter_cli.issue import load_issue
from newsletter_cli.project import Project
from newsletter_cli.sourcefile import load_yaml

TODO = "TODO"
MONTH_YEAR = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{4})\b"
)


def latest_issue(project: Project) -> Path:
    """The issue file with the latest issue_date under issues/."""
    dated: list[tuple[date, str, Path]] = []
    for path in sorted(project.issues_dir.glob("*.yaml")) if project.issues_dir.is_dir() else []:
        try:
            dated.append((load_issue(path).issue_date, path.name, path))
        except InputError:
            continue  # a draft that does not load is no model for the next issue
    if not dated:
        raise InputError("no valid issue file to start from", path=project.issues_dir)
    return max(dated)[2]


def next_month(day: date) -> date:
    """The same day next month (clamped to the month's end)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def _retitle(text: str, when: date) -> str:
    return MONTH_YEAR.sub(f"{when:%B} {when.year}", text)


def _skeleton_event() -> dict:
    return {
        "title": TODO,
        "cost": "FREE",
        "when": f"{TODO}: set start (YYYY-MM-DD HH:MM) and end, then remove this line",
        "location": TODO,
        "description": f"{TODO}: what it is and who it is for.",
        "links": [{"text": "Book a place", "url": TODO}],
    }


def _blank_block(block: dict) -> dict:
    """Keep a block's kind and heading; clear what changes from issue to issue."""
    kind = block.get("kind")
    kept = {key: block[key] for key in ("kind", "heading", "only_for") if key in block}
    if kind == "foreword":
        kept.update(author=TODO, role=TODO, body=f"{TODO}: this month's foreword.")
        kept["sign_off"] = block.get("sign_off", "Kind regards")
    elif kind in {"article", "event"}:
        kept = {"kind": "article", "heading": TODO, "body": f"{TODO}: the news item."}
    elif kind == "events":
        kept["events"] = [_skeleton_event()]
    elif kind == "people":
        kept["people"] = [{"name": TODO, "role": TODO, "organisation": TODO,
                           "text": f"{TODO}: a few words about them."}]
    elif kind == "callout":
        kept["body"] = f"{TODO}: the notice."
    elif kind == "button":
        kept.update(text=TODO, url=TODO)
    elif kind == "quote":
        kept.update(text=f"{TODO}: their words.", author=TODO)
    elif kind == "image":
        kept.update(src=TODO, alt=TODO)
    elif kind not in {"foreword", "article", "event", "events"}:
        kept = dict(block)  # a kind the template declares: its fields are the template's
    return kept


def new_issue(project: Project, *, source: Path | None = None, when: date | None = None) -> Path:
    """Write issues/<date>-<name>.yaml from ``source``'s structure; never overwrite a file."""
    from ruamel.yaml import YAML

    source = source or latest_issue(project)
    previous = load_issue(source)  # refuse to copy from a broken file
    data = load_yaml(source)
    when = when or next_month(previous.issue_date)
    stem = re.sub(r"^\d{4}-\d{2}(-\d{2})?-", "", source.stem) or "issue"
    target = project.issues_dir / f"{when:%Y-%m}-{stem}.yaml"

    seen: dict[str, dict] = {}  # one block of each kind, in the order they first appear
    for block in data["blocks"]:
        blank = _blank_block(dict(block))
        seen.setdefault(blank["kind"], blank)
    fresh = {
        "title": _retitle(previous.title, when),
        "issue_date": when,
        "subject": _retitle(previous.subject, when) if previous.subject else TODO,
        "preheader": f"{TODO}: one line that sums up this issue",
        "template": previous.template,
        "blocks": list(seen.values()),
    }
    buffer = io.StringIO()
    buffer.write(f"# Started from {source.name} by `newsletter new`. Replace every TODO.\n")
    yaml = YAML()
    yaml.width = 100
    yaml.dump(fresh, buffer)
    project.issues_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
    except FileExistsError:
        raise InputError(
            "already exists; it was left as it is",
            path=target,
            hint="pass --date for another month, or edit the existing file",
        ) from None
    return target

"""`newsletter new`: start the next issue from the last one.

The new file keeps the last issue's guide comment (or the starter's), its title with
the new month, its shape (one block of each kind, emptied to TODO) and its events that
are still to come on the new issue's date (past events and sittings are dropped).
Subject and preheader say TODO, so `check` fails until they are written. Below the
blocks, an example of every block kind is commented out: `check` ignores it until the
writer copies one in. Every text is written in double quotes (see
:mod:`newsletter_cli.authoring.yamltext`), so an apostrophe or a colon never breaks the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from newsletter_cli.authoring.yamltext import commented, dump
from newsletter_cli.errors import InputError
from newsletter_cli.model.blocks import declared_kinds
from newsletter_cli.model.blocks.examples import examples
from newsletter_cli.model.issue import Issue, load_issue
from newsletter_cli.project import STARTER, Project
from newsletter_cli.sourcefile import load_yaml, read_text

TODO = "TODO"
MONTH_YEAR = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{4})\b"
)
#: Fields of the last issue that belong to it alone and are not carried over.
NOT_CARRIED = {"title", "issue_date", "subject", "preheader", "slug", "view_online_url", "blocks"}
EXAMPLES_HEADING = """\
---------------------------------------------------------------------------------------
Examples of every block kind. To use one, copy it up into the blocks above and remove
the "# " at the start of each of its lines (keep the spaces after it). Until then,
`newsletter check` and the email ignore them.
---------------------------------------------------------------------------------------
"""


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


def guide_comment(path: Path) -> list[str]:
    """The comment lines at the top of an issue file (blank lines among them kept)."""
    lines: list[str] = []
    for line in read_text(path).splitlines():
        if line.startswith("#") or (not line.strip() and lines):
            lines.append(line)
        else:
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _skeleton_event() -> dict[str, Any]:
    return {
        "title": f"{TODO}: the event's name",
        "when": f"{TODO}: set start (YYYY-MM-DD HH:MM) and end, then remove this line",
        "location": TODO,
        "description": f"{TODO}: what it is and who it is for.\n",
        "links": [{"text": "Book a place", "url": TODO}],
    }


def _blank_block(block: dict[str, Any]) -> dict[str, Any]:
    """Keep a block's kind and heading; clear what changes from issue to issue."""
    kind = block.get("kind")
    kept = {key: block[key] for key in ("kind", "heading", "only_for") if key in block}
    if kind == "foreword":
        kept.update(author=TODO, role=TODO, body=f"{TODO}: this month's foreword.\n")
        kept["sign_off"] = block.get("sign_off", "Kind regards")
    elif kind == "article":
        kept.update(heading=f"{TODO}: the heading", body=f"{TODO}: the news item.\n")
    elif kind == "people":
        kept["people"] = [{"name": TODO, "role": TODO, "organisation": TODO,
                           "text": f"{TODO}: a few words about them.\n"}]  # fmt: skip
    elif kind == "callout":
        kept["body"] = f"{TODO}: the notice.\n"
    elif kind == "button":
        kept.update(text=TODO, url=TODO)
    elif kind == "quote":
        kept.update(text=f"{TODO}: their words.", author=TODO)
    elif kind == "image":
        kept.update(src=TODO, alt=TODO)
    else:
        kept = dict(block)  # a kind the template declares: its fields are the template's
    return kept


def _session_day(session: Any) -> date | None:
    """The last day of one sitting (its end's day, else its start's)."""
    value = session.end if isinstance(session.end, date) else session.start
    return value.date() if isinstance(value, datetime) else value


def _upcoming_event(raw: dict[str, Any], event: Any, when: date) -> dict[str, Any] | None:
    """The event as written, less the sittings over before ``when``; None if it is over."""
    days = [_session_day(s) for s in event.all_sessions()]
    if days and max(days) < when:
        return None
    kept = dict(raw)
    if raw.get("sessions"):
        kept["sessions"] = [
            written for written, sitting in zip(raw["sessions"], event.sessions, strict=True)
            if _session_day(sitting) >= when
        ]  # fmt: skip
    return kept


def _blocks(data: dict[str, Any], issue: Issue, when: date) -> tuple[list[dict], int]:
    """The new issue's blocks from the last one's, and how many past events were dropped."""
    seen: set[str] = set()
    blocks: list[dict[str, Any]] = []
    dropped = 0
    for raw, block in zip(data["blocks"], issue.blocks, strict=True):
        raw = dict(raw)
        if raw.get("kind") == "event":
            kept = _upcoming_event(raw, block, when)
            dropped += kept is None
            if kept is not None:
                blocks.append(kept)
        elif raw.get("kind") == "events":
            events = [_upcoming_event(dict(r), e, when) for r, e in
                      zip(raw["events"], block.events, strict=True)]  # fmt: skip
            dropped += sum(e is None for e in events)
            raw["events"] = [e for e in events if e is not None] or [_skeleton_event()]
            blocks.append(raw)
        elif raw.get("kind") not in seen:
            seen.add(raw.get("kind"))
            blocks.append(_blank_block(raw))
    return blocks, dropped


def issue_text(source: Path, project: Project, when: date | None = None) -> tuple[date, str, int]:
    """(the new issue's date, its text, past events dropped) from the issue ``source``."""
    previous = load_issue(source)  # refuse to copy from a broken file
    data = load_yaml(source)
    when = when or next_month(previous.issue_date)
    month = f"{when:%B} {when.year}"
    guide = guide_comment(source) or [  # the starter's guide, as `newsletter init` writes it
        line.replace("$month_year", month) for line in guide_comment(STARTER / "sample-issue.yaml")
    ]
    guide = [_retitle(line, when) if n == 0 else line for n, line in enumerate(guide)]
    blocks, dropped = _blocks(data, previous, when)
    fresh: dict[str, Any] = {
        "title": _retitle(previous.title, when),
        "issue_date": when.isoformat(),
        "subject": f"{TODO}: the subject line, under about 60 characters",
        "preheader": f"{TODO}: one line that sums up this issue, under about 100 characters",
    }
    fresh.update((k, v) for k, v in data.items() if k not in NOT_CARRIED)
    fresh["blocks"] = blocks
    declared = declared_kinds(project.template_folder(previous.template))
    parts = [
        "\n".join(guide) + "\n#\n" if guide else "",
        f"# Started from {source.name} by `newsletter new`.\n"
        "# Replace every TODO: `newsletter check` lists them, and fails until they are gone.\n\n",
        dump(fresh),
        "\n" + commented(EXAMPLES_HEADING),
    ]
    for about, example in examples(when, declared):
        as_block = dump({"blocks": [example]}).split("\n", 1)[1]  # "  - kind: ..." lines
        parts.append("#\n" + commented(f"{about}\n") + commented(as_block))
    return when, "".join(parts), dropped


def new_issue(project: Project, *, source: Path | None = None, when: date | None = None) -> Path:
    """Write issues/<date>-<name>.yaml from ``source``; never overwrite a file."""
    path, _ = start_issue(project, source=source, when=when)
    return path


def start_issue(
    project: Project, *, source: Path | None = None, when: date | None = None
) -> tuple[Path, int]:
    """Write the next issue (see the module's doc); (its path, past events dropped)."""
    source = source or latest_issue(project)
    when, text, dropped = issue_text(source, project, when)
    stem = re.sub(r"^\d{4}-\d{2}(-\d{2})?-", "", source.stem) or "issue"
    target = project.issues_dir / f"{when:%Y-%m}-{stem}.yaml"
    project.issues_dir.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError(
            "already exists; it was left as it is",
            path=target,
            hint="pass --date for another month, or edit the existing file",
        ) from None
    return target, dropped

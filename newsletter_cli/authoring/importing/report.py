"""The summary `newsletter import` ends with: blocks by kind, events, guesses, gaps."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsletter_cli.authoring.importing.draft import Draft
from newsletter_cli.authoring.yamltext import dump

EVENT_FIELDS = ("start", "end", "when", "location", "online", "cost", "deadline")


def _event_line(event: dict[str, Any]) -> str:
    parts = [f"{name} {event[name]}" for name in EVENT_FIELDS if name in event and
             name != "online"]  # fmt: skip
    if event.get("online"):
        parts.append("online")
    for number, session in enumerate(event.get("sessions", []), start=1):
        end = f" to {session['end']}" if "end" in session else ""
        parts.append(f"sitting {number} {session['start']}{end}")
    links = list(event.get("links", [])) + [
        link for session in event.get("sessions", []) for link in session.get("links", [])
    ]
    todo = sum(link["url"] == "TODO" for link in links)
    if links:
        parts.append(f"{len(links)} link(s)" + (f", {todo} without an address" if todo else ""))
    return "; ".join(parts)


def _missing(event: dict[str, Any]) -> list[str]:
    missing = []
    if "start" not in event and "sessions" not in event:
        missing.append("no date")
    if "location" not in event and not event.get("online"):
        missing.append("no place")
    return missing


def report_lines(draft: Draft, source_name: str) -> list[str]:
    """The report, one line each, naming the source's line or paragraph for every guess."""
    blocks = draft.data.get("blocks", [])
    kinds = Counter(block["kind"] for block in blocks)
    lines = [f"Numbers after {source_name}: are its {draft.unit}s."] if draft.unit != "line" else []
    lines += ["Blocks: " + ", ".join(f"{count} {kind}" for kind, count in kinds.items())]
    lines.append(f"Events: {len(draft.events)}")
    for where, event in draft.events:
        lines.append(f'  {source_name}:{where}: "{event["title"]}"')
        lines.append(f"      {_event_line(event) or 'no details found'}")
        for gap in _missing(event):
            lines.append(f"      {gap} found: add it by hand if it has one")
    todo = dump({"blocks": blocks}).count('url: "TODO"')
    if todo:
        lines.append(f"Links without an address (url: TODO): {todo}; `newsletter check` lists them")
    if draft.notes:
        lines.append("Guessed or not read (check these):")
        for note in draft.notes:
            lines.append(f"  {source_name}:{note.line}: {note.message}")
    return lines


"""Shared by the preview tests: our own small issue file and a PNG size reader."""

from __future__ import annotations

from pathlib import Path

TITLE = "Preview Test Bulletin"
EVENTS = ("Alpha Practice Conference", "Beta Leadership Workshop")
DCS_ONLY = "Briefing Note for Directors"

ISSUE_YAML = f"""\
title: "{TITLE}"
issue_date: "2025-10-01"
subject: "Preview test: autumn events"
preheader: "Two events and a note for directors."

blocks:
  - kind: foreword
    heading: "A word from the team"
    author: Sam Example
    role: "Regional Lead"
    body: |
      Welcome to this test bulletin. It has a foreword, an article for directors
      only, and two events.

  - kind: article
    heading: "{DCS_ONLY}"
    only_for: [dcs]
    body: |
      This article is only for Directors of Children's Services.

  - kind: events
    heading: "Upcoming Conferences and Events"
    events:
      - title: "{EVENTS[0]}"
        start: "2025-11-04 09:30"
        end: "16:00"
        location: "The Studio, Birmingham"
        cost: "Free"
        links:
          - text: "Book a place on the Alpha conference"
            url: "https://example.org/alpha"
        description: |
          A day of shared practice across the region.
      - title: "{EVENTS[1]}"
        start: "2025-11-20 13:00"
        end: "15:00"
        online: true
        links:
          - text: "Register for the Beta workshop"
            url: "https://example.org/beta"
        description: |
          An online workshop for senior leaders.
"""

#: A save with a mistake: a date that does not exist, on line 2.
BROKEN_YAML = ISSUE_YAML.replace('issue_date: "2025-10-01"', 'issue_date: "2025-13-01"', 1)
#: A save that is not even YAML: an unclosed quote in the subject (line 3).
BROKEN_SYNTAX = ISSUE_YAML.replace('subject: "Preview test:', 'subject: "Preview test:\n  "oops', 1)


def write(path: Path, text: str) -> None:
    """Save like an editor does, so the watcher sees a new size or mtime."""
    path.write_text(text, encoding="utf-8")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR header."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")

"""A small issue whose links point at the local link server, and the project around it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

ISSUE = "issues/links-test.yaml"
#: The test issue is dated next year: nothing in it is over (send and check compare with today).
YEAR = date.today().year + 1


def write_issue(project_dir: Path, url: str, links: dict[str, str] | None = None) -> Path:
    """A small issue whose links point at the local server; returns its path."""
    links = links if links is not None else {
        "Book a place": f"{url}/missing",
        "Take the survey": f"{url}/busy",
        "Write to the organisers": "mailto:organisers@nowhere",
    }
    items = "".join(f'      - text: "{text}"\n        url: "{href}"\n' for text, href in links.items())
    items = "\n" + items if items else " []\n"
    text = f"""\
title: "Link Test Bulletin"
issue_date: "{YEAR}-10-01"
subject: "Link test"
preheader: "Every kind of link."
blocks:
  - kind: article
    heading: "News with links"
    body: |
      Read [the annual report]({url}/ok) and [the strategy]({url}/moved).
    contact: someone@example.org
    links:{items}  - kind: events
    events:
      - title: "Alpha Conference"
        start: "{YEAR}-11-04 09:30"
        end: "16:00"
        location: "The Studio, Birmingham"
        links:
          - text: "Register for the Alpha Conference"
            url: "https://alpha.nothing-here.invalid/register"
"""
    path = project_dir / ISSUE
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, words: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(words)].count("\n") + 1


def point_site_at(project_dir: Path, base: str, privacy: str | None = None) -> None:
    """The web edition at ``base``; the privacy notice (every email links to it) at
    ``privacy``, by default the link server's /ok beside the site."""
    config = project_dir / "newsletter.toml"
    text = config.read_text(encoding="utf-8")
    privacy = privacy or base.rsplit("/site/", 1)[0] + "/ok"
    text = text.replace('"https://updates.example.org/privacy/"', f'"{privacy}"')
    config.write_text(text.replace('"https://updates.example.org/regional-update/"', f'"{base}"'))

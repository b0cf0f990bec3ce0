"""What helps a reader act: section anchors, "Dates for your diary", button labels.

Plain functions over the issue's blocks, used by the templates through the render
context; no Jinja or MJML here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from newsletter_cli.calendar import slugify
from newsletter_cli.datefmt import format_day_short
from newsletter_cli.model.parts import EventDetails, Link

BOOKING = re.compile(r"\b(book|booking|register|registration|sign up|apply)\b", re.IGNORECASE)
#: Words that say nothing on a button, at the end of a link's text.
FILLER = re.compile(
    r"[\s,:;-]*\b(please\s+)?(click here|click|here|follow this link|use this link|this link)"
    r"[.!]*$",
    re.IGNORECASE,
)


def _events(block: object) -> list[EventDetails]:
    if isinstance(block, EventDetails):
        return [block]
    return list(getattr(block, "events", None) or [])


def anchors(blocks: Sequence[object]) -> dict[int, str]:
    """An id for every block with a heading and every event: ``{id(item): "news-..."}``."""
    found: dict[int, str] = {}
    used: set[str] = set()

    def add(item: object, text: str) -> None:
        if id(item) in found or not text:
            return
        base = slugify(text, 40)
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        found[id(item)] = name

    for block in blocks:
        add(block, getattr(block, "heading", "") or "")
        for event in _events(block):
            add(event, event.title)
    return found


@dataclass(frozen=True)
class DiaryEntry:
    """One line of "Dates for your diary"."""

    day: date
    when: str
    title: str
    anchor: str
    deadline: str  # "Friday 26 September", or ""


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def diary(blocks: Sequence[object], ids: dict[int, str], issue_date: date) -> list[DiaryEntry]:
    """Every dated event in date order: one line per sitting (or the event's own 'when')."""
    entries: list[tuple[date, int, DiaryEntry]] = []
    for block in blocks:
        for event in _events(block):
            deadline = ""
            if event.deadline:
                day = _day(event.deadline)
                deadline = format_day_short(day, year=day.year != issue_date.year)
            anchor = ids.get(id(event), "")
            sessions = event.all_sessions()
            if event.when and sessions:
                first = min(_day(s.start) for s in sessions)
                sittings = [(first, event.when, event.title)]
            else:
                sittings = []
                for session in sessions:
                    day = _day(session.start)
                    when = format_day_short(day, year=day.year != issue_date.year)
                    title = f"{event.title} ({session.label})" if session.label else event.title
                    sittings.append((day, when, title))
            for day, when, title in sittings:
                entry = DiaryEntry(day, when, title, anchor, deadline)
                entries.append((day, len(entries), entry))
    return [entry for _day_, _n, entry in sorted(entries, key=lambda e: (e[0], e[1]))]


def main_link(links: Iterable[Link]) -> Link | None:
    """An event's main link: the first about booking, else the first."""
    links = list(links)
    return next((link for link in links if BOOKING.search(link.text)), links[0] if links else None)


def split_actions(links: Iterable[Link]) -> tuple[list[Link], list[Link]]:
    """(links shown as buttons, links left in a list): every booking link is a button, and
    so is a lone link, so a block never ends in a one-item list."""
    links = list(links)
    buttons: list[Link] = []
    listed: list[Link] = []
    for link in links:
        (buttons if BOOKING.search(link.text) else listed).append(link)
    if len(listed) == 1:
        buttons, listed = links, []
    return buttons, listed


def action_label(link: Link, event: EventDetails | None = None) -> str:
    """A button's words: the link's own, less filler ("click here"); "Book a place" if none left.

    "Register for a place here" -> "Register for a place"; "booking form" -> "Booking form";
    "click here" -> "Book a place" (or "More details" for an event with no booking to make).
    """
    text = FILLER.sub("", link.text.strip()).strip(" ,:;-")
    if not text:
        booking = BOOKING.search(link.text) or event is None or event.deadline or event.booking
        return "Book a place" if booking else "More details"
    return text[:1].upper() + text[1:]

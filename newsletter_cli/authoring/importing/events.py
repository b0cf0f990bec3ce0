"""One event from its heading and paragraphs: title, when, where, cost, deadline, links.

A paragraph that says when ("15 Oct 2025, 09:30 – 11:00"), where ("Location: MS Teams",
"Microsoft Teams"), what it costs or by when to book ("Deadline to register: ...") goes
into the event's own field; a table row "When | ..." the same. Bullets that start with a
date are sittings, each with its own link. Everything else is the description.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from newsletter_cli.authoring.importing import when
from newsletter_cli.authoring.importing.draft import Note, body, link_of, links_in
from newsletter_cli.authoring.importing.source import Para
from newsletter_cli.authoring.importing.text import COST_END

LABEL = re.compile(
    r"^(when|dates?|times?|where|location|venue|place|cost|price|fees?|"
    r"booking closes|closing date|deadline[\w ]*|book(?:ing)?|register)\s*:\s*(.+)$",
    re.IGNORECASE,
)
ONLINE = re.compile(r"\b(teams|zoom|online|webinar|virtual|google meet)\b", re.IGNORECASE)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_WORD = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b|[A-Z][\w’'&-]*)"
_CAPS = _WORD + r"(?:(?:,\s+|\s+(?:of|and|upon|the|&)\s+|\s+)" + _WORD + r")*"
AT_PLACE = re.compile(r"\bat (?:the )?(" + _CAPS + r")")
HOSTED_BY = re.compile(r"^(" + _CAPS + r") (?:is|are) hosting\b")


def split_title(heading: Para, ref: date, event: dict[str, Any]) -> None:
    """Take the price and any date off the end of an event's heading."""
    title = heading.text.strip().rstrip(":").strip()
    m = COST_END.search(title + " ")
    if m:
        event["cost"] = m[1].strip()
        title = title[: m.start()].rstrip(" -–—:")
    span = when.month_range(title, ref)
    if span:
        event.update(start=span[0].isoformat(), end=span[1].isoformat(), when=span[2])
        title = when.MONTH_RANGE.sub("", title).rstrip(" -–—:")
    else:
        hits = when.find_dates(title, ref)
        if hits and hits[-1].span[1] >= len(title.rstrip(" -–—:")) - 1:
            event["_sittings"] = when.sittings(title[hits[-1].span[0]:], ref)
            title = title[: hits[-1].span[0]].rstrip(" -–—:,")
    event["title"] = title


def _place(event: dict[str, Any], place: str) -> None:
    event.setdefault("location", place.strip(" .,"))
    if ONLINE.search(place):
        event["online"] = True


def _labelled(label: str, value: str, para: Para, ref: date, event: dict[str, Any]) -> bool:
    """A "Label: value" line or table row, into its field; False if the label is not known."""
    label = label.lower()
    if label in ("when", "date", "dates", "time", "times"):
        found = when.sittings(value, ref)
        if not found:
            return False
        event.setdefault("_sittings", []).extend(found)
    elif label in ("where", "location", "venue", "place"):
        _place(event, value)
    elif label in ("cost", "price", "fee", "fees"):
        event["cost"] = value.strip(" .")
    elif label.startswith(("booking closes", "closing date", "deadline")):
        hits = when.find_dates(value, ref)
        if not hits:
            return False
        event["deadline"] = hits[0].day.isoformat()
    else:  # Book / Register
        url = para.links[0][1] if para.links else "TODO"
        event.setdefault("links", []).append({"text": value.rstrip(". "), "url": url})
    return True


def _date_line(para: Para, ref: date) -> list[when.Sitting]:
    """The sittings of a paragraph that is little more than dates and times."""
    found = when.sittings(para.text, ref)
    if not found:
        return []
    rest = when.DAY_FIRST.sub(" ", when.MONTH_FIRST.sub(" ", para.text))
    rest = re.sub(r"\d{1,2}([:.]\d{2})?\s*(am|pm)?|\b(and|from|to|until|at)\b|[-–—,:]", " ",
                  rest, flags=re.IGNORECASE)  # fmt: skip
    return found if len(rest.split()) <= 2 else []


def _session_link(para: Para, sitting: when.Sitting) -> dict[str, str]:
    if para.links:
        return {"text": para.links[0][0], "url": para.links[0][1]}
    verb = re.search(r"sign up|book|register", para.text, re.IGNORECASE)
    return {"text": f"{(verb[0] if verb else 'book').capitalize()} for {sitting.words}",
            "url": "TODO"}  # fmt: skip


def _one(para: Para, ref: date, event: dict[str, Any], kept: list[Para], notes: list[Note]):
    """Place one paragraph of an event's text."""
    m = LABEL.match(para.text)
    if m and _labelled(m[1], m[2], para, ref, event):
        return
    bullet = when.sittings(para.text, ref) if para.kind == "item" else []
    if len(bullet) == 1 and when.find_dates(para.text, ref)[0].span[0] <= 2:
        sitting = bullet[0]
        event.setdefault("_bullets", []).append((sitting, _session_link(para, sitting)))
        return
    found = _date_line(para, ref)
    if found:
        event.setdefault("_sittings", []).extend(found)
        return
    if len(para.text.split()) <= 5 and ONLINE.search(para.text) and "location" not in event:
        _place(event, para.text)
        return
    link = link_of(para)
    if link:
        event.setdefault("links", []).append(link)
        return
    _facts(para, ref, event, notes)
    event.setdefault("links", []).extend(links_in(para))
    kept.append(para)


def _facts(para: Para, ref: date, event: dict[str, Any], notes: list[Note]) -> None:
    """A deadline, a place or a date inside a sentence of the description."""
    hit = when.deadline_in(para.text, ref)
    if hit and "deadline" not in event:
        event["deadline"] = hit.day.isoformat()
        if hit.guessed_year:
            notes.append(Note(para.line, f'deadline "{hit.words}": the year {hit.day.year} '
                                         "is a guess"))  # fmt: skip
    if "location" not in event:
        place = AT_PLACE.search(para.text) or HOSTED_BY.search(para.text)
        if place and len(place[1].split()) <= 10:
            _place(event, place[1])
            notes.append(Note(para.line, f'place "{place[1]}" read from the text: check it'))
    if "_sittings" not in event and "start" not in event and not hit:
        found = [s for s in when.sittings(para.text, ref) if s.day >= ref]
        if found:
            event["_sittings"] = found[:1]
            notes.append(Note(para.line, f'date "{found[0].words}" read from the text: check it'))


def _sessions(event: dict[str, Any]) -> list[tuple[when.Sitting, list[dict[str, str]]]]:
    """The event's sittings: from its date lines, each improved by a bullet of the same day."""
    merged: dict[date, tuple[when.Sitting, list[dict[str, str]]]] = {}
    for sitting in event.pop("_sittings", []):
        if sitting.day not in merged or merged[sitting.day][0].start is None:
            merged[sitting.day] = (sitting, [])
    for sitting, link in event.pop("_bullets", []):
        old = merged.get(sitting.day)
        best = sitting if old is None or sitting.end or not old[0].start else old[0]
        merged[sitting.day] = (best, (old[1] if old else []) + [link])
    return [merged[day] for day in sorted(merged)]


ORDER = ("title", "cost", "start", "end", "when", "location", "online", "deadline", "booking",
         "description", "links", "sessions")  # fmt: skip


def build_event(heading: Para, paras: list[Para], ref: date, notes: list[Note]) -> dict[str, Any]:
    """The event a heading and its paragraphs describe, in the issue format's fields."""
    event: dict[str, Any] = {}
    split_title(heading, ref, event)
    kept: list[Para] = []
    links_below = False
    for para in paras:
        if links_below and len(para.text.split()) <= 15 and not para.links:
            words = re.split(r"\s+[–—-]\s+", para.text)[0]
            event.setdefault("links", []).append({"text": f"Book: {words}", "url": "TODO"})
            kept.append(Para("item", para.text, para.line, markdown=para.markdown))
            continue
        links_below = bool(re.search(r"links? below", para.text, re.IGNORECASE))
        _one(para, ref, event, kept, notes)
    sessions = _sessions(event)
    if len(sessions) == 1 and "start" not in event:
        sitting, links = sessions[0]
        event.update(start=sitting.start_text(), end=sitting.end_text())
        event.setdefault("links", []).extend(links)
    elif len(sessions) > 1:
        event["sessions"] = [
            {"start": s.start_text(), "end": s.end_text(), "links": links}
            for s, links in sessions
        ]
    if ONLINE.search(event["title"]) and "location" not in event:
        event["online"] = True
    event["description"] = body(kept)
    cleaned = {key: event[key] for key in ORDER if event.get(key) not in (None, "", [])}
    for session in cleaned.get("sessions", []):
        for key in [k for k, v in session.items() if v in (None, [])]:
            del session[key]
    return cleaned

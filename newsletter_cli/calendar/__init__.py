"""'Add to calendar' for event sessions: Outlook and Google links, and .ics files.

Times in issue files are Europe/London wall-clock times (GMT or BST, whichever
applies on the day). Only a session that falls on a single day gets calendar
links: a date (an all-day event), or a date and time with an end the same day
(no end: one hour). A range of days such as "April to July" gets none.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from newsletter_cli.calendar.ics import fold as _fold
from newsletter_cli.calendar.ics import stamp as _stamp
from newsletter_cli.calendar.ics import text as _text
from newsletter_cli.calendar.ics import vtimezone as _vtimezone
from newsletter_cli.calendar.ics import when as _when
from newsletter_cli.datefmt import format_day
from newsletter_cli.environment import LONDON

if TYPE_CHECKING:
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.model.parts import EventDetails, Session

DEFAULT_LENGTH = timedelta(hours=1)
OUTLOOK_URL = "https://outlook.office.com/calendar/0/deeplink/compose"
GOOGLE_URL = "https://calendar.google.com/calendar/render"
BODY_LIMIT = 160  # characters of note in a calendar link: 14 links must not bloat the email
PRODID = "-//West Midlands Regional Update//newsletter//EN"


@dataclass(frozen=True)
class CalendarLinks:
    """Where 'Add to calendar' points for one session; ``ics_name`` is the .ics file's name."""

    outlook: str
    google: str
    ics_name: str


@dataclass(frozen=True)
class Span:
    """A session as a calendar sees it: aware datetimes, or dates with an exclusive end."""

    start: datetime | date
    end: datetime | date

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


@dataclass(frozen=True)
class CalendarEntry:
    """One event session that gets calendar links, with everything the build step needs."""

    event: EventDetails
    session: Session
    filename: str
    ics: bytes
    links: CalendarLinks


def session_span(session: Session) -> Span | None:
    """The session's start and end for a calendar, or None if it is not within one day."""
    start, end = session.start, session.end
    if isinstance(end, time):  # normally already a datetime; be forgiving
        if not isinstance(start, datetime):
            return None
        end = datetime.combine(start.date(), end)
    if isinstance(start, datetime):
        if end is None:
            end = start + DEFAULT_LENGTH
        elif not isinstance(end, datetime):
            if end != start.date():
                return None
            end = start + DEFAULT_LENGTH
        if end.date() != start.date() or end <= start:
            return None
        return Span(start.replace(tzinfo=LONDON), end.replace(tzinfo=LONDON))
    if end is not None:
        end_day = end.date() if isinstance(end, datetime) else end
        if end_day != start:
            return None
    return Span(start, start + timedelta(days=1))


def slugify(text: str, limit: int = 60) -> str:
    """'Care Leavers Policy Workshop' -> 'care-leavers-policy-workshop' (ASCII, cut at a word)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "event"


def _calendar_sessions(issue: Issue) -> list[tuple[EventDetails, int, Session, Span]]:
    found = []
    for _block, event in issue.all_events():
        for index, session in enumerate(event.all_sessions()):
            span = session_span(session)
            if span is not None:
                found.append((event, index, session, span))
    return found


class _FileNames:
    """The .ics file names of one issue's sessions, worked out once (see :func:`_names`)."""

    def __init__(self, issue: Issue) -> None:
        self.issue = weakref.ref(issue)
        self.shape = _shape(issue)
        self.by_index: dict[tuple[int, int], str] = {}
        self.by_object: dict[tuple[int, int], str] = {}
        self._sessions: list[Session] = []  # keeps the ids in by_object from being reused
        used: set[str] = set()
        counts: dict[str, int] = {}
        for event, index, session, span in _calendar_sessions(issue):
            day = span.start.date() if isinstance(span.start, datetime) else span.start
            base = f"{day.isoformat()}-{slugify(event.title)}"
            name, n = base, counts.get(base, 1)
            if name in used:
                while name in used:  # from where this base left off: linear over the issue
                    n += 1
                    name = f"{base}-{n}"
            counts[base] = n
            used.add(name)
            self.by_index[(id(event), index)] = self.by_object[(id(event), id(session))] = (
                f"{name}.ics"
            )
            self._sessions.append(session)


def _shape(issue: Issue) -> tuple:
    """What the names depend on, cheaply: each event, its title, start and sessions."""
    return tuple(
        (id(event), event.title, event.start, len(event.sessions), id(event.sessions))
        for _block, event in issue.all_events()
    )


_NAMES: dict[int, _FileNames] = {}
_NAMES_KEPT = 8


def _names(issue: Issue) -> _FileNames:
    """The issue's file names, computed once per issue (not once per session: 400 sittings
    of one event would cost 400 x 400 otherwise)."""
    found = _NAMES.get(id(issue))
    if found is None or found.issue() is not issue or found.shape != _shape(issue):
        found = _NAMES[id(issue)] = _FileNames(issue)
        while len(_NAMES) > _NAMES_KEPT:
            del _NAMES[next(iter(_NAMES))]
    return found


def _session_index(event: EventDetails, session: Session) -> int | None:
    for index, candidate in enumerate(event.all_sessions()):
        if candidate is session or candidate == session:
            return index
    return None


def ics_filename(issue: Issue, event: EventDetails, session: Session) -> str:
    """A file name for the session's .ics, unique within the issue: '2025-10-15-pwle-....ics'."""
    names = _names(issue)
    name = names.by_object.get((id(event), id(session)))
    if name:
        return name
    index = _session_index(event, session)
    if index is not None:
        name = names.by_index.get((id(event), index))
        if name:
            return name
    span = session_span(session)
    start = session.start if span is None else span.start
    day = start.date() if isinstance(start, datetime) else start
    return f"{day.isoformat()}-{slugify(event.title)}.ics"


def _plain(markdown: str) -> str:
    """Markdown to plain text, enough for a calendar note: links, emphasis and bullets."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text, flags=re.DOTALL)
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        bullet = re.match(r"^[-*+]\s+(.*)", line)
        if not line:
            lines.append("")
        elif bullet:
            lines.append(f"• {bullet[1]}")
        elif lines and lines[-1]:
            lines[-1] += f" {line}"
        else:
            lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_real_link(event: EventDetails, session: Session) -> str | None:
    for link in [*session.links, *event.links]:
        if not link.placeholder:
            return link.url
    return None


def _description(issue: Issue, event: EventDetails, session: Session) -> str:
    parts = []
    if event.description:
        parts.append(_plain(event.description))
    if event.cost:
        parts.append(f"Cost: {event.cost}")
    if event.deadline:
        deadline = event.deadline
        day = deadline.date() if isinstance(deadline, datetime) else deadline
        parts.append(f"Book by {format_day(day)}.")
    if event.booking:
        parts.append(event.booking)
    url = _first_real_link(event, session)
    if url:
        parts.append(url)
    parts.append(f"From the {issue.title}.")
    return "\n\n".join(parts)


def _link_body(event: EventDetails, session: Session) -> str:
    """A calendar link's note: when to book by and the event's link, no more.

    Fourteen such links sit in one email, so the description stays in the .ics file.
    """
    parts = []
    if event.deadline:
        deadline = event.deadline
        day = deadline.date() if isinstance(deadline, datetime) else deadline
        parts.append(f"Book by {format_day(day)}.")
    url = _first_real_link(event, session)
    if url:
        parts.append(url)
    return " ".join(parts)


def _location(event: EventDetails) -> str:
    if event.location:
        return event.location
    return "Online" if event.online else ""


def _summary(event: EventDetails, session: Session) -> str:
    return f"{event.title} ({session.label})" if session.label else event.title


def _short(text: str) -> str:
    if len(text) <= BODY_LIMIT:
        return text
    return text[: BODY_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _query(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{key}={quote(value, safe='/')}" for key, value in params if value)


def outlook_link(summary: str, span: Span, location: str, body: str) -> str:
    """An Outlook on the web / Microsoft 365 'new event' link (times with their UTC offset)."""
    if span.all_day:
        when = [("startdt", span.start.isoformat()), ("enddt", span.end.isoformat()),
                ("allday", "true")]
    else:
        when = [("startdt", span.start.isoformat()), ("enddt", span.end.isoformat())]
    params = [("rru", "addevent"), ("subject", summary), *when,
              ("location", location), ("body", _short(body))]
    return f"{OUTLOOK_URL}?path=/calendar/action/compose&{_query(params)}"


def _google_time(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def google_link(summary: str, span: Span, location: str, body: str) -> str:
    """A Google Calendar 'new event' link (UTC times; all-day end is the day after)."""
    params = [
        ("action", "TEMPLATE"),
        ("text", summary),
        ("dates", f"{_google_time(span.start)}/{_google_time(span.end)}"),
        ("details", _short(body)),
        ("location", location),
        ("ctz", "Europe/London"),
    ]
    return f"{GOOGLE_URL}?{_query(params)}"


def calendar_links(issue: Issue, event: EventDetails, session: Session) -> CalendarLinks | None:
    """Outlook and Google links and the .ics file name, or None for a multi-day session."""
    span = session_span(session)
    if span is None:
        return None
    summary = _summary(event, session)
    location = _location(event)
    body = _link_body(event, session)
    return CalendarLinks(
        outlook=outlook_link(summary, span, location, body),
        google=google_link(summary, span, location, body),
        ics_name=ics_filename(issue, event, session),
    )


def ics_for(issue: Issue, event: EventDetails, session: Session) -> bytes:
    """An iCalendar file with one VEVENT (times in TZID=Europe/London, with its VTIMEZONE).

    Raises ValueError for a session that does not fall on a single day.
    """
    span = session_span(session)
    if span is None:
        raise ValueError(f"{event.title!r}: only a session within one day goes in a calendar")
    name = ics_filename(issue, event, session)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(PRODID)}", "METHOD:PUBLISH"]
    if not span.all_day:
        year = span.start.year
        lines += _vtimezone(LONDON.key, date(year, 1, 1), date(year + 1, 1, 1))
    # Stable output: the stamp is the issue date, so rebuilding gives the same bytes.
    stamp = datetime.combine(issue.issue_date, time(0, 0), tzinfo=UTC)
    lines += [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(_summary(event, session))}",
        f"DTSTART{_when(span.start)}",
        f"DTEND{_when(span.end)}",
        f"DTSTAMP:{_stamp(stamp)}Z",
        f"UID:{_text(name.removesuffix('.ics') + '@' + issue.name + '.newsletter')}",
        f"DESCRIPTION:{_text(_description(issue, event, session))}",
    ]
    location = _location(event)
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines.append(f"TRANSP:{'TRANSPARENT' if span.all_day else 'OPAQUE'}")
    url = _first_real_link(event, session)
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(f"{_fold(line)}\r\n" for line in lines).encode("utf-8")


def calendar_entries(issue: Issue) -> list[CalendarEntry]:
    """Every event session in the issue that gets calendar links, in issue order."""
    entries = []
    for event, _index, session, _span in _calendar_sessions(issue):
        links = calendar_links(issue, event, session)
        assert links is not None  # _calendar_sessions keeps only single-day sessions
        entries.append(
            CalendarEntry(event, session, links.ics_name, ics_for(issue, event, session), links)
        )
    return entries


def write_ics_files(issue: Issue, folder: Path) -> list[Path]:
    """Write every session's .ics into ``folder`` (created if needed); return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in calendar_entries(issue):
        path = folder / entry.filename
        path.write_bytes(entry.ics)
        written.append(path)
    return written

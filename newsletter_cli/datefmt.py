"""Dates and times as readers see them, GOV.UK style: "Wednesday 15 October 2025, 9:30am to 11am".

GOV.UK's style guide: "5:30pm" (no ":00" for whole hours), "midday" and "midnight"
(not "12 noon"), and "to" rather than a dash between the two ends of a range.
Plain functions with no third-party imports, for templates and plain text alike.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from newsletter_cli.environment import LONDON

if TYPE_CHECKING:
    from newsletter_cli.model.parts import EventDetails, Session

TO = " to "  # between the two ends of a range: quicker to read than a dash
#: The newsletter's clock: times the tool reports (sends, reports) are UK time.


def parse_day(text: str) -> date:
    """The date written YYYY-MM-DD in ``text``; ValueError in plain words when it is not one
    ("2027-02-31 is not a real date: February 2027 has 28 days")."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if not found:
        raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-02-26")
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{text} is not a real date: a year has 12 months, not {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = format_date(date(year, month, 1)).split(" ", 1)[1]
        raise ValueError(f"{text} is not a real date: {month_name} has {days} days")
    return date(year, month, day)


def format_day(d: date) -> str:
    """'Wednesday 15 October 2025'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def format_date(d: date) -> str:
    """'15 October 2025' (no weekday)."""
    return f"{d.day} {d:%B %Y}"


def format_day_short(d: date, *, year: bool = False) -> str:
    """'Thursday 2 October' (with the year when ``year`` is true)."""
    return format_day(d) if year else f"{d:%A} {d.day} {d:%B}"


def in_uk(timestamp: float) -> datetime:
    """A Unix time as the moment it was in the UK."""
    return datetime.fromtimestamp(timestamp, LONDON)


def format_day_month(d: date) -> str:
    """'1 Oct' (for the days of a chart)."""
    return f"{d.day} {d:%b}"


def format_moment(moment: datetime, *, weekday: bool = False) -> str:
    """A moment as reports show it: '1 October 2025, 9:02am'; with ``weekday``,
    'Wednesday 1 October 2025, 9am'."""
    day = format_day(moment.date()) if weekday else format_date(moment.date())
    return f"{day}, {format_time(moment.time(), minutes=not weekday)}"


def format_time(t: time, *, minutes: bool = False) -> str:
    """'9:30am', '2pm', 'midday', 'midnight'; ``minutes=True`` (a moment, not an event time)
    gives '2:00pm', '12:00pm'."""
    if t.minute == 0 and not minutes:
        if t.hour == 12:
            return "midday"
        if t.hour == 0:
            return "midnight"
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    if t.minute == 0 and not minutes:
        return f"{hour}{suffix}"
    return f"{hour}:{t.minute:02d}{suffix}"


def format_time_range(start: time, end: time) -> str:
    """'9:30am to 11am', '2pm to 5pm', '10am to midday'."""
    return f"{format_time(start)}{TO}{format_time(end)}"


def format_date_range(start: date, end: date) -> str:
    """'1 April to 31 July 2025', '6 to 7 October 2025', '30 December 2025 to 2 January 2026'."""
    if start == end:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)}{TO}{format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B}{TO}{format_date(end)}"
    return f"{start.day}{TO}{format_date(end)}"


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def format_span(start: date, end: date | time | None = None) -> str:
    """A start and optional end as one phrase (see :func:`format_session`)."""
    if isinstance(end, time):
        if not isinstance(start, datetime):
            return format_day(start)
        end = datetime.combine(start.date(), end)
    if isinstance(start, datetime):
        day = format_day(start.date())
        if end is None:
            return f"{day}, {format_time(start.time())}"
        if isinstance(end, datetime) and end.date() == start.date():
            return f"{day}, {format_time_range(start.time(), end.time())}"
        if isinstance(end, datetime):
            return (
                f"{day}, {format_time(start.time())}{TO}"
                f"{format_day(end.date())}, {format_time(end.time())}"
            )
        end = _day(end)
        return day if end == start.date() else format_date_range(start.date(), end)
    if end is None or _day(end) == start:
        return format_day(start)
    return format_date_range(start, _day(end))


def format_session(session: Session) -> str:
    """'Wednesday 15 October 2025, 9:30am to 11am'; a date only; or a range of dates."""
    return format_span(session.start, session.end)


def format_event_when(event: EventDetails) -> str:
    """The event's ``when:`` if given, else its sessions joined by ' and ', else ''."""
    if event.when:
        return event.when
    return " and ".join(format_session(session) for session in event.all_sessions())

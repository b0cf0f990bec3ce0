"""iCalendar (RFC 5545) text for the .ics files: escaping, content lines and their folding,
DTSTART/DTEND values, and the VTIMEZONE for Europe/London.

Written as the icalendar package writes it; tests/test_calendar_bytes.py compares the bytes.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from newsletter_cli.environment import LONDON


def text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma; every line break as \\n."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """A content line folded before it reaches ``limit`` octets of UTF-8 (CRLF + space);
    a character is never split, nor a backslash or caret parted from what it escapes."""
    if line.isascii():
        return _fold_ascii(line, limit - 1)
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _fold_ascii(line: str, width: int) -> str:
    """:func:`fold` for a line of one-octet characters: ``width`` characters a line."""
    parts: list[str] = []
    start = 0
    while len(line) - start > width:
        part = line[start : start + width]
        if part[-1] in "\\^":
            part = part[:-1]
        parts.append(part)
        start += len(part)
    parts.append(line[start:])
    return "\r\n ".join(parts)


def stamp(moment: datetime) -> str:
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}"
    )


def when(value: datetime | date) -> str:
    """DTSTART's or DTEND's parameters and value: a date, or a Europe/London time."""
    if isinstance(value, datetime):
        return f";TZID={LONDON.key}:{stamp(value)}"
    return f";VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"


def _offset(delta: timedelta) -> str:
    sign = "-" if delta < timedelta(0) else "+"
    seconds = int(abs(delta).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02}{minutes:02}" + (f"{seconds:02}" if seconds else "")


#: How the time zone's changes are searched for: coarse steps, then finer, to the second
#: (icalendar's Timezone.from_tzinfo, whose VTIMEZONE these files have always carried).
_STEPS = (
    *(timedelta(days=days) for days in (64, 32, 16, 8, 4, 2, 1)),
    timedelta(hours=4), timedelta(hours=1),
    timedelta(minutes=20), timedelta(minutes=5), timedelta(minutes=1),
    timedelta(seconds=20), timedelta(seconds=5), timedelta(seconds=1),
)


def _next_change(start: datetime) -> datetime:
    """The last wall-clock moment (to the second) from ``start`` with the same UTC offset."""
    offset, end = start.utcoffset(), start
    for step in _STEPS:
        last_end = end
        end = end + step
        try:
            while end.utcoffset() == offset:
                last_end = end
                end = end + step
        except OverflowError:
            break
        end = last_end
    return end


def _zone_periods(zone: ZoneInfo, first: date, last: date) -> dict[tuple, list[datetime]]:
    """(offset from, offset to, name, standard?) -> the local times each period starts."""
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    stop = datetime(last.year, last.month, last.day, tzinfo=zone)
    periods: dict[tuple, list[datetime]] = {}
    offset_to = None
    while start < stop:
        offset_from, offset_to = offset_to, start.utcoffset()
        end = _next_change(start)
        name = start.tzname() or str(offset_to)
        key = (offset_from, offset_to, name, start.dst() == timedelta())
        periods.setdefault(key, []).append(start.replace(tzinfo=None))
        start = end + _STEPS[-1]
    return periods


@functools.cache
def vtimezone(key: str, first: date, last: date) -> tuple[str, ...]:
    """The VTIMEZONE for ``key`` from ``first`` to ``last``, as content lines."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{text(key)}",
             f"COMMENT:{text(f'This timezone only works from {first} to {last}.')}"]
    for (offset_from, offset_to, name, standard), starts in _zone_periods(
        ZoneInfo(key), first, last
    ).items():
        first_start = min(starts)
        starts.remove(first_start)
        if first_start.date() == last:
            first_start = datetime(last.year, last.month, last.day)
        kind = "STANDARD" if standard else "DAYLIGHT"
        lines += [f"BEGIN:{kind}", f"DTSTART:{stamp(first_start)}"]
        if starts:
            lines.append(f"RDATE:{','.join(stamp(moment) for moment in starts)}")
        lines += [
            f"TZNAME:{text(name)}",
            f"TZOFFSETFROM:{_offset(offset_to if offset_from is None else offset_from)}",
            f"TZOFFSETTO:{_offset(offset_to)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return tuple(lines)

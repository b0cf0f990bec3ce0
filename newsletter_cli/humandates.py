"""Dates and times as people write them, read as Europe/London wall-clock times.

"Tuesday 14th October 2025, 10:00 – 12:00", "15 Oct 2025, 09:30 – 11:00", "2nd October",
"Thursday 16th October, 2:00pm-5:00pm", "Monday 6th October, 11am and Tuesday 14th
October,10.30am -12.00pm" (two sittings), "April to July", "Sep 19". A date without a
year takes the issue's year, or the next one when that would put it months in the past.
Times stay as written on the clock in London (the issue format's own convention).

Used by the importer (:mod:`newsletter_cli.authoring.importing`) to read drafts, and by the
issue schema to say how a date written this way is written in an issue file
(:func:`reading`: "Tuesday 10th February 2026, 10:00" -> 2026-02-10 10:00).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MONTHS = {
    name: number
    for number, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)  # fmt: skip
    for name in (full, full[:3], full[:4])
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_FIRST = re.compile(
    _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+(\d{4}))?\b",
    re.IGNORECASE,
)
MONTH_FIRST = re.compile(
    _WEEKDAY + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.IGNORECASE
)
MONTH_RANGE = re.compile(
    r"\b" + _MONTH + r"\s+(?:to|until|–|-|—)\s+" + _MONTH + r"(?:\s+(\d{4}))?\b", re.IGNORECASE
)
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|noon|midday)?"
TIME_RANGE = re.compile(
    r"(?<![\d£/])" + _CLOCK + r"\s*(?:–|-|—|to|until)\s*" + _CLOCK + r"(?![\d/])", re.IGNORECASE
)
ONE_TIME = re.compile(r"(?<![\d£/])" + _CLOCK + r"(?![\d/%])", re.IGNORECASE)
DEADLINE = re.compile(
    r"(booking closes|closing date|deadline(?: to (?:register|book|apply))?|register by|"
    r"book by|no later than|close of business on|apply by|by)\b\s*:?\s*",
    re.IGNORECASE,
)


@dataclass
class Sitting:
    """One date, with its start and end times when the text gives them."""

    day: date
    start: time | None = None
    end: time | None = None
    words: str = ""  # the date as written ("Monday 6th October")

    def start_text(self) -> str:
        if self.start is None:
            return self.day.isoformat()
        return f"{datetime.combine(self.day, self.start):%Y-%m-%d %H:%M}"

    def end_text(self) -> str | None:
        return None if self.end is None else f"{self.end:%H:%M}"


@dataclass
class DateHit:
    day: date
    span: tuple[int, int]
    words: str
    guessed_year: bool
    weekday_mismatch: bool = False


def infer_year(month: int, day: int, ref: date) -> date | None:
    """The date in the issue's year, or the next year if it would be over 3 months past."""
    for year in (ref.year, ref.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            return None
        if found >= ref - timedelta(days=92):
            return found
    return found


def _hit(match: re.Match, month_text: str, day_text: str, year_text: str | None, ref: date):
    month, day = MONTHS[month_text.lower().rstrip(".")[:3]], int(day_text)
    if year_text:
        try:
            found = date(int(year_text), month, day)
        except ValueError:
            return None
    else:
        found = infer_year(month, day, ref)
    if found is None:
        return None
    weekday = match[1]
    mismatch = bool(weekday) and WEEKDAYS[found.weekday()] != weekday.lower()[:3]
    if mismatch and not year_text:
        other = infer_year(month, day, date(found.year + 1, 1, 1))
        if other and WEEKDAYS[other.weekday()] == weekday.lower()[:3]:
            found, mismatch = other, False
    return DateHit(found, match.span(), match[0].strip(" ,"), not year_text, mismatch)


def find_dates(text: str, ref: date) -> list[DateHit]:
    """Every day-and-month date in ``text``, in order."""
    hits = []
    for m in DAY_FIRST.finditer(text):
        hit = _hit(m, m[3], m[2], m[4], ref)
        hits.extend([hit] if hit else [])
    taken = [h.span for h in hits]
    for m in MONTH_FIRST.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        hit = _hit(m, m[2], m[3], m[4], ref)
        hits.extend([hit] if hit else [])
    return sorted(hits, key=lambda h: h.span)


def _clock(hour: str, minute: str | None, suffix: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    suffix = (suffix or "").lower()
    if suffix in ("noon", "midday"):
        return time(12, 0) if h == 12 else None
    if suffix == "pm" and h < 12:
        h += 12
    if suffix == "am" and h == 12:
        h = 0
    return time(h, m) if h < 24 and m < 60 else None


def _is_time(hour: str, minute: str | None, suffix: str | None) -> bool:
    return minute is not None or suffix is not None


def times_in(text: str) -> tuple[time | None, time | None]:
    """The first time range ("9:30am – 4pm", "from 10:00 to 12:00"), else the first time."""
    for m in TIME_RANGE.finditer(text):
        if not (_is_time(*m.group(1, 2, 3)) or _is_time(*m.group(4, 5, 6))):
            continue
        start_suffix = m[3] or (m[6] if m[6] and m[6].lower() != "noon" else None)
        start = _clock(m[1], m[2], start_suffix)
        end = _clock(m[4], m[5], m[6] or m[3])
        if start and end and end <= start and not m[3] and m[6] and m[6].lower() == "pm":
            start = _clock(m[1], m[2], "am")  # "11-1pm"
        if start and end and end > start:
            return start, end
    for m in ONE_TIME.finditer(text):
        if _is_time(*m.group(1, 2, 3)):
            found = _clock(m[1], m[2], m[3])
            if found:
                return found, None
    return None, None


def sittings(text: str, ref: date) -> list[Sitting]:
    """Each date in ``text`` with the times written after it (before the next date)."""
    hits = find_dates(text, ref)
    found = []
    for index, hit in enumerate(hits):
        until = hits[index + 1].span[0] if index + 1 < len(hits) else len(text)
        after = text[hit.span[1]:until]
        after = re.sub(r"\b\d{4}\b", " ", after)  # a year is not a time
        start, end = times_in(after)
        found.append(Sitting(hit.day, start, end, hit.words))
    return found


def month_range(text: str, ref: date) -> tuple[date, date, str] | None:
    """"April to July" -> (1 April, 31 July, "April to July 2025")."""
    m = MONTH_RANGE.search(text)
    if not m or DAY_FIRST.search(text):
        return None
    first, last = MONTHS[m[1].lower()[:3]], MONTHS[m[2].lower()[:3]]
    year = int(m[3]) if m[3] else ref.year
    start = date(year, first, 1)
    end_year = year + (last < first)
    end = date(end_year, last, monthrange(end_year, last)[1])
    words = f"{start:%B} to {end:%B} {end_year}"
    return start, end, words


def deadline_in(text: str, ref: date) -> DateHit | None:
    """The date after "Booking closes:", "Deadline to register:", "no later than" ..."""
    for m in DEADLINE.finditer(text):
        hits = find_dates(text[m.end():m.end() + 60], ref)
        if hits and hits[0].span[0] <= 12:
            return hits[0]
    return None


ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
#: 20/02/2026, 20.02.26, 20-02-2026: day first, as in the UK.
NUMERIC_DATE = re.compile(r"(?<![\d:])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d:])")


@dataclass
class Reading:
    """What a date-and-time text says: a day (maybe), a start time, an end time."""

    day: date | None
    start: time | None = None
    end: time | None = None
    weekday_mismatch: bool = False


def _numeric_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The first 2026-02-20 or 20/02/2026 in ``text`` (a real date) and where it is."""
    iso = ISO_DATE.search(text)
    match = NUMERIC_DATE.search(text)
    try:
        if iso and (not match or iso.start() < match.start()):
            return date(int(iso[1]), int(iso[2]), int(iso[3])), iso.span()
        if match:
            year = int(match[4]) + (2000 if len(match[4]) == 2 else 0)
            return date(year, int(match[3]), int(match[1])), match.span()
    except ValueError:
        return None
    return None


def reading(text: str, ref: date) -> Reading | None:
    """The first date in ``text`` and the times after it; or only times; else None.

    "Tuesday 10th February 2026, 10:00" -> 2026-02-10, 10:00; "20/02/2026" -> 2026-02-20;
    "9:30am" -> no day, 09:30; "10:00 – 11:30" -> no day, 10:00 to 11:30.
    """
    hits = find_dates(text, ref)
    numeric = _numeric_date(text)
    if hits and (numeric is None or hits[0].span[0] <= numeric[1][0]):
        day, span, mismatch = hits[0].day, hits[0].span, hits[0].weekday_mismatch
    elif numeric is not None:
        (day, span), mismatch = numeric, False
    else:
        start, end = times_in(text)
        return Reading(None, start, end) if start else None
    after = re.sub(r"\b\d{4}\b", " ", text[span[1]:])  # a year is not a time
    start, end = times_in(after)
    return Reading(day, start, end, mismatch)

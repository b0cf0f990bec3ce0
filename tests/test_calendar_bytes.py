"""The .ics writer gives, byte for byte, what the icalendar package gives for the same event.

The tool writes its .ics files itself (icalendar took 40 ms of every build to import); the
reference below is the icalendar code the tool used before, kept here as the yardstick.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar, Event, Timezone
from support.issues import APRIL_FILE, SEPTEMBER_FILE

from newsletter_cli import calendar
from newsletter_cli.calendar import calendar_entries, ics_filename, session_span
from newsletter_cli.model.issue import Issue, load_issue


def icalendar_ics(issue: Issue, event, session) -> bytes:
    """The .ics as icalendar writes it (the tool's code up to this change)."""
    span = session_span(session)
    name = ics_filename(issue, event, session)
    cal = Calendar()
    cal.add("prodid", calendar.PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    vevent = Event()
    vevent.add("uid", f"{name.removesuffix('.ics')}@{issue.name}.newsletter")
    vevent.add("dtstamp", datetime.combine(issue.issue_date, time(0, 0), tzinfo=UTC))
    vevent.add("dtstart", span.start)
    vevent.add("dtend", span.end)
    vevent.add("summary", calendar._summary(event, session))
    location = calendar._location(event)
    if location:
        vevent.add("location", location)
    vevent.add("description", calendar._description(issue, event, session))
    url = calendar._first_real_link(event, session)
    if url:
        vevent.add("url", url)
    vevent.add("transp", "TRANSPARENT" if span.all_day else "OPAQUE")
    if not span.all_day:
        year = span.start.year
        cal.add_component(
            Timezone.from_tzid(
                "Europe/London", first_date=date(year, 1, 1), last_date=date(year + 1, 1, 1)
            )
        )
    cal.add_component(vevent)
    return cal.to_ical()


def make_issue(*events: dict, title: str = "Test Update") -> Issue:
    return Issue.model_validate(
        {
            "title": title,
            "issue_date": "2025-09-19",
            "slug": "test-update",
            "blocks": [{"kind": "events", "events": list(events)}],
        }
    )


def assert_same_bytes(issue: Issue) -> int:
    """Every calendar entry's bytes equal icalendar's; returns how many were compared."""
    entries = calendar_entries(issue)
    for entry in entries:
        assert entry.ics == icalendar_ics(issue, entry.event, entry.session), entry.filename
    return len(entries)


@pytest.mark.parametrize("path", [APRIL_FILE, SEPTEMBER_FILE], ids=["april", "september"])
def test_the_sample_issues_files_are_icalendars_bytes(path):
    assert assert_same_bytes(load_issue(path)) >= 1


LONG = (
    "Café, “quoted”; back\\slash — a title long enough to fold more than once, with "
    "emoji 🎉🎉 and Ελληνικά and 中文字符 placed where the fold falls, " * 3
)

EVENTS = {
    "several sittings": {
        "title": "Drop-in clinic; bring questions, please",
        "location": "Room 1, Council House",
        "links": [{"text": "About", "url": "https://example.org/about?a=1,b=2;c"}],
        "sessions": [
            {"label": "morning", "start": "2025-10-06 09:30", "end": "12:00"},
            {"label": "afternoon", "start": "2025-10-06 13:00", "end": "16:00",
             "links": [{"text": "Sign up", "url": "https://example.org/pm"}]},
            {"start": "2026-03-29 10:00"},  # the day summer time starts, another year
            {"start": "2025-10-26 01:30", "end": "02:30"},  # the hour that happens twice
        ],
    },
    "all day": {"title": "Leaders Day", "start": "2025-10-02", "cost": "Free, with lunch"},
    "online": {
        "title": "Webinar",
        "online": True,
        "start": "2025-11-27 09:30",
        "end": "16:00",
        "deadline": "2025-11-20",
        "booking": "Email the team\r\nby Friday; or call.",
        "description": "- one, two\n- three; four\n\nA [link](https://example.org/x) and \\N.",
    },
    "non-ASCII and long": {
        "title": LONG[:300],
        "start": "2025-12-01 10:00",
        "location": LONG[:200],
        "description": LONG,
    },
}


@pytest.mark.parametrize("event", EVENTS.values(), ids=EVENTS.keys())
def test_made_up_events_are_icalendars_bytes(event):
    assert assert_same_bytes(make_issue(event)) >= 1


@pytest.mark.parametrize("width", range(60, 90))
def test_folding_around_every_width_is_icalendars(width):
    """Multibyte characters and escapes at each position near the 75-octet boundary."""
    for filler in ("é", "🎉", "\\", ",", ";", "^", "x"):
        title = "a" * (width - 60) + filler * 40
        issue = make_issue({"title": title, "start": "2025-10-02 10:00", "location": title})
        (entry,) = calendar_entries(issue)
        assert entry.ics == icalendar_ics(issue, entry.event, entry.session), (width, filler)


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        *(("Europe/London", date(year, 1, 1), date(year + 1, 1, 1)) for year in range(1970, 2040)),
        ("Europe/London", date(2023, 1, 1), date(2026, 1, 1)),  # several years: RDATEs
        ("Africa/Casablanca", date(2019, 1, 1), date(2026, 1, 1)),  # changes mid-year
        ("Australia/Lord_Howe", date(2025, 1, 1), date(2026, 1, 1)),  # half-hour changes
        ("America/St_Johns", date(2025, 1, 1), date(2026, 1, 1)),  # -0330
    ],
)
def test_the_time_zone_block_is_icalendars(key, first, last):
    ours = "".join(f"{calendar._fold(line)}\r\n" for line in calendar._vtimezone(key, first, last))
    theirs = Timezone.from_tzid(key, first_date=first, last_date=last).to_ical().decode()
    assert ours == theirs


def test_the_build_does_not_import_icalendar(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from newsletter_cli.model.issue import load_issue; "
        "from newsletter_cli.calendar import calendar_entries; "
        f"calendar_entries(load_issue({str(SEPTEMBER_FILE)!r})); "
        "print('icalendar' in sys.modules, 'dateutil' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    assert done.stdout.split() == ["False", "False"]

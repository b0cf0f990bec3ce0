"""Add-to-calendar links and .ics files, with Europe/London summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from support.issues import APRIL_FILE as APRIL
from support.issues import SEPTEMBER_FILE as SEPTEMBER

from newsletter_cli.calendar import (
    calendar_entries,
    calendar_links,
    ics_filename,
    ics_for,
    session_span,
    write_ics_files,
)
from newsletter_cli.model.issue import Issue, load_issue
from newsletter_cli.model.parts import Session


def make_issue(*events: dict) -> Issue:
    """A one-block issue holding ``events``."""
    return Issue.model_validate(
        {
            "title": "Test Update",
            "issue_date": "2025-09-19",
            "slug": "test-update",
            "blocks": [{"kind": "events", "events": list(events)}],
        }
    )


def only(issue: Issue):
    """The issue's single event and its first session."""
    (_block, event), *_ = issue.all_events()
    return event, event.all_sessions()[0]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def parse_ics(data: bytes):
    cal = Calendar.from_ical(data)
    (vevent,) = cal.walk("VEVENT")
    return cal, vevent


# --- time zone -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "utc"),
    [
        ("2025-10-15 09:30", datetime(2025, 10, 15, 8, 30, tzinfo=UTC)),  # BST
        ("2025-10-25 10:00", datetime(2025, 10, 25, 9, 0, tzinfo=UTC)),  # last BST day
        ("2025-10-26 10:00", datetime(2025, 10, 26, 10, 0, tzinfo=UTC)),  # GMT from 02:00
        ("2025-11-27 10:00", datetime(2025, 11, 27, 10, 0, tzinfo=UTC)),  # GMT
        ("2025-03-30 12:00", datetime(2025, 3, 30, 11, 0, tzinfo=UTC)),  # BST began 01:00Z
    ],
)
def test_london_wall_time_becomes_the_right_instant(start, utc):
    span = session_span(Session(start=start))
    assert span.start == utc
    assert span.start.astimezone(UTC) == utc


def test_no_end_means_one_hour():
    span = session_span(Session(start="2025-11-27 10:00"))
    assert span.end - span.start == timedelta(hours=1)


def test_date_only_is_all_day_with_exclusive_end():
    span = session_span(Session(start="2025-10-02"))
    assert span.all_day
    assert (span.start, span.end) == (date(2025, 10, 2), date(2025, 10, 3))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-04-01", "2025-07-31"),  # a range of months
        ("2025-10-06", "2025-10-07"),  # two days
        ("2025-10-06 11:00", "2025-10-07 13:00"),  # across midnight
    ],
)
def test_sessions_over_more_than_one_day_get_no_calendar(start, end):
    issue = make_issue({"title": "Long course", "start": start, "end": end})
    event, session = only(issue)
    assert session_span(session) is None
    assert calendar_links(issue, event, session) is None
    with pytest.raises(ValueError, match="one day"):
        ics_for(issue, event, session)


# --- links -------------------------------------------------------------------------------


def pwle():
    issue = load_issue(SEPTEMBER)
    for _block, event in issue.all_events():
        if event.title.startswith("PWLE Seminar"):
            return issue, event, event.all_sessions()[0]
    raise AssertionError("PWLE Seminar missing from the September sample")


def test_outlook_link_for_a_timed_event():
    issue, event, session = pwle()
    url = calendar_links(issue, event, session).outlook
    assert url.startswith(
        "https://outlook.office.com/calendar/0/deeplink/compose"
        "?path=/calendar/action/compose&rru=addevent&"
    )
    q = query(url)
    assert q["subject"] == "PWLE Seminar: Child contact problems and the Family Court"
    assert q["startdt"] == "2025-10-15T09:30:00+01:00"
    assert q["enddt"] == "2025-10-15T11:00:00+01:00"
    assert q["location"] == "Microsoft Teams"
    assert q["body"] == "Book by Monday 22 September 2025."  # the link is still TODO
    assert "allday" not in q
    assert "+" not in url.split("?", 1)[1]  # a raw '+' would read as a space


def test_outlook_link_for_an_all_day_event():
    issue = load_issue(SEPTEMBER)
    event = next(e for _b, e in issue.all_events() if e.title == "Regional Safeguarding Conference")
    q = query(calendar_links(issue, event, event.all_sessions()[0]).outlook)
    assert q["allday"] == "true"
    assert (q["startdt"], q["enddt"]) == ("2025-11-27", "2025-11-28")
    assert q["location"] == "Worcestershire County Cricket Club"


def test_google_link_uses_utc_and_london_zone():
    issue, event, session = pwle()
    url = calendar_links(issue, event, session).google
    assert url.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&")
    q = query(url)
    assert q["text"] == event.title
    assert q["dates"] == "20251015T083000Z/20251015T100000Z"
    assert q["ctz"] == "Europe/London"
    assert q["location"] == "Microsoft Teams"
    assert q["details"] == "Book by Monday 22 September 2025."


def test_google_link_after_the_clocks_go_back_is_gmt():
    issue = make_issue({"title": "Conference", "start": "2025-11-27 09:30", "end": "16:00"})
    event, session = only(issue)
    assert query(calendar_links(issue, event, session).google)["dates"] == (
        "20251127T093000Z/20251127T160000Z"
    )


def test_google_link_all_day_end_is_the_next_day():
    issue = make_issue({"title": "Leaders Day", "start": "2025-10-02"})
    event, session = only(issue)
    assert query(calendar_links(issue, event, session).google)["dates"] == "20251002/20251003"


def test_link_note_is_short_and_the_ics_keeps_the_description():
    issue = make_issue(
        {
            "title": "Talk",
            "start": "2025-10-02 10:00",
            "deadline": "2025-09-25",
            "description": "A **bold** idea, see [the page](https://example.org/x).\n\n"
            + "word " * 400,
            "links": [{"text": "Book a place", "url": "https://example.org/book"}],
        }
    )
    event, session = only(issue)
    body = query(calendar_links(issue, event, session).outlook)["body"]
    assert body == "Book by Thursday 25 September 2025. https://example.org/book"
    _cal, vevent = parse_ics(ics_for(issue, event, session))
    assert str(vevent["description"]).startswith("A bold idea, see the page.")


# --- .ics -------------------------------------------------------------------------------


def test_ics_timed_event_in_london_time_with_vtimezone():
    issue, event, session = pwle()
    cal, vevent = parse_ics(ics_for(issue, event, session))
    start = vevent.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(2025, 10, 15, 8, 30, tzinfo=UTC)
    assert vevent.decoded("dtend").astimezone(UTC) == datetime(2025, 10, 15, 10, 0, tzinfo=UTC)
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    (vtimezone,) = cal.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == "Europe/London"
    assert str(vevent["summary"]) == event.title
    assert str(vevent["location"]) == "Microsoft Teams"
    assert "child contact" in str(vevent["description"])
    assert "url" not in vevent  # the only link is still a placeholder (TODO)
    assert str(cal["version"]) == "2.0" and "prodid" in cal


def test_ics_all_day_event_uses_dates():
    issue = load_issue(SEPTEMBER)
    event = next(e for _b, e in issue.all_events() if e.title.startswith("Families First"))
    _cal, vevent = parse_ics(ics_for(issue, event, event.all_sessions()[0]))
    assert vevent.decoded("dtstart") == date(2025, 10, 2)
    assert vevent.decoded("dtend") == date(2025, 10, 3)
    assert str(vevent["location"]) == "The Studio, Birmingham"
    assert "Sandeep Virk" in str(vevent["description"])


def test_ics_url_is_the_first_real_link():
    issue = make_issue(
        {
            "title": "Workshop",
            "start": "2025-10-14 10:00",
            "end": "12:00",
            "links": [
                {"text": "booking form", "url": "TODO"},
                {"text": "Book here", "url": "https://example.org/book"},
                {"text": "More", "url": "https://example.org/more"},
            ],
        }
    )
    event, session = only(issue)
    _cal, vevent = parse_ics(ics_for(issue, event, session))
    assert str(vevent["url"]) == "https://example.org/book"


def test_session_link_comes_before_event_link():
    issue = make_issue(
        {
            "title": "Webinar",
            "links": [{"text": "About", "url": "https://example.org/about"}],
            "sessions": [
                {"start": "2025-10-06 11:00", "end": "12:30",
                 "links": [{"text": "Sign up", "url": "https://example.org/monday"}]},
            ],
        }
    )
    event, session = only(issue)
    _cal, vevent = parse_ics(ics_for(issue, event, session))
    assert str(vevent["url"]) == "https://example.org/monday"


def test_ics_is_stable_and_uid_depends_on_issue_and_event():
    first, again = load_issue(SEPTEMBER), load_issue(SEPTEMBER)
    a = [entry.ics for entry in calendar_entries(first)]
    b = [entry.ics for entry in calendar_entries(again)]
    assert a == b
    uids = [str(parse_ics(data)[1]["uid"]) for data in a]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@2025-09-regional-update.newsletter") for uid in uids)


# --- which sessions, and file names ---------------------------------------------------------


def test_september_sessions_with_calendar():
    entries = calendar_entries(load_issue(SEPTEMBER))
    assert [(e.event.title[:20], e.filename[:10]) for e in entries] == [
        ("Families First Partn", "2025-10-02"),
        ("Care Leavers Policy ", "2025-10-14"),
        ("PWLE Seminar: Child ", "2025-10-15"),
        ("Inequality in the Wo", "2025-10-16"),
        ("Webinar on Parenting", "2025-10-06"),
        ("Webinar on Parenting", "2025-10-14"),
        ("Regional Safeguardin", "2025-11-27"),
    ]  # the Participation Conference has no date yet, so no calendar
    assert all(e.links.ics_name == e.filename for e in entries)


def test_april_month_range_gets_no_calendar():
    entries = calendar_entries(load_issue(APRIL))
    assert [e.event.title for e in entries] == ["Reunification Conference"]


def test_filenames_are_slugs_and_unique():
    issue = make_issue(
        {"title": "Café & Talk: Part 1!", "start": "2025-10-02 10:00"},
        {"title": "Café & Talk: Part 1!", "start": "2025-10-02 14:00"},
    )
    names = [ics_filename(issue, e, e.all_sessions()[0]) for _b, e in issue.all_events()]
    assert names == ["2025-10-02-cafe-talk-part-1.ics", "2025-10-02-cafe-talk-part-1-2.ics"]


def test_write_ics_files(tmp_path):
    issue = load_issue(SEPTEMBER)
    written = write_ics_files(issue, tmp_path / "calendar")
    assert len(written) == 7
    assert sorted(p.name for p in (tmp_path / "calendar").iterdir()) == sorted(
        p.name for p in written
    )
    for path in written:
        assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_many_sittings_on_one_day_get_unique_names_in_proportionate_time():
    """400 sittings of one event on one day: 400 files, distinct names, built quickly
    (the names were worked out again for every sitting: 18 s; benchmarks/bench_calendar.py)."""
    import time as clock

    start = datetime(2025, 10, 14, 0, 0)
    sittings = [{"start": f"{start + timedelta(minutes=3 * n):%Y-%m-%d %H:%M}"}
                for n in range(400)]  # fmt: skip
    issue = make_issue({"title": "Drop-in clinic", "sessions": sittings})
    began = clock.perf_counter()
    entries = calendar_entries(issue)
    took = clock.perf_counter() - began
    names = [e.filename for e in entries]
    assert len(names) == 400 and len(set(names)) == 400
    assert names[:3] == ["2025-10-14-drop-in-clinic.ics", "2025-10-14-drop-in-clinic-2.ics",
                         "2025-10-14-drop-in-clinic-3.ics"]  # fmt: skip
    assert names[-1] == "2025-10-14-drop-in-clinic-400.ics"
    event = entries[0].event
    assert [ics_filename(issue, event, s) for s in event.all_sessions()] == names
    assert took < 10, f"{took:.1f} s for 400 sittings"

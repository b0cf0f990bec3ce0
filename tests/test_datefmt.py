"""How dates and times read in the newsletter."""

from __future__ import annotations

from datetime import date, time

import pytest
from support.issues import REPO

from newsletter_cli.datefmt import (
    format_date_range,
    format_day,
    format_event_when,
    format_session,
    format_time,
    format_time_range,
    parse_day,
)
from newsletter_cli.model.issue import load_issue
from newsletter_cli.model.parts import EventDetails, Session


def test_day_has_weekday_day_month_year():
    assert format_day(date(2025, 10, 15)) == "Wednesday 15 October 2025"
    assert format_day(date(2025, 11, 27)) == "Thursday 27 November 2025"
    assert format_day(date(2025, 6, 1)) == "Sunday 1 June 2025"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (time(9, 30), "9:30am"),
        (time(14, 0), "2pm"),
        (time(11, 0), "11am"),
        (time(12, 0), "midday"),
        (time(12, 30), "12:30pm"),
        (time(0, 0), "midnight"),
        (time(0, 15), "12:15am"),
        (time(23, 5), "11:05pm"),
    ],
)
def test_time(value, text):
    assert format_time(value) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (time(9, 30), time(11, 0), "9:30am to 11am"),
        (time(11, 0), time(12, 30), "11am to 12:30pm"),
        (time(14, 0), time(17, 0), "2pm to 5pm"),
        (time(10, 0), time(12, 0), "10am to midday"),
        (time(18, 0), time(0, 0), "6pm to midnight"),
    ],
)
def test_time_range_in_gov_uk_style(start, end, text):
    assert format_time_range(start, end) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2025, 4, 1), date(2025, 7, 31), "1 April to 31 July 2025"),
        (date(2025, 10, 6), date(2025, 10, 7), "6 to 7 October 2025"),
        (date(2025, 12, 30), date(2026, 1, 2), "30 December 2025 to 2 January 2026"),
        (date(2025, 10, 6), date(2025, 10, 6), "6 October 2025"),
    ],
)
def test_date_range(start, end, text):
    assert format_date_range(start, end) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("2025-10-15 09:30", "11:00", "Wednesday 15 October 2025, 9:30am to 11am"),
        ("2025-10-16 14:00", "17:00", "Thursday 16 October 2025, 2pm to 5pm"),
        ("2025-10-16 14:00", None, "Thursday 16 October 2025, 2pm"),
        ("2025-10-02", None, "Thursday 2 October 2025"),
        ("2025-10-02", "2025-10-02", "Thursday 2 October 2025"),
        ("2025-04-01", "2025-07-31", "1 April to 31 July 2025"),
        (
            "2025-10-06 11:00",
            "2025-10-07 13:00",
            "Monday 6 October 2025, 11am to Tuesday 7 October 2025, 1pm",
        ),
    ],
)
def test_session(start, end, text):
    assert format_session(Session(start=start, end=end)) == text


def test_event_when_prefers_the_written_when():
    event = EventDetails(
        title="Age Assessment training", start="2025-04-01", end="2025-07-31",
        when="April to July 2025",
    )
    assert format_event_when(event) == "April to July 2025"


def test_event_when_lists_every_session():
    event = EventDetails(
        title="Webinar",
        sessions=[
            Session(start="2025-10-06 11:00", end="12:30"),
            Session(start="2025-10-14 10:30", end="12:00"),
        ],
    )
    assert format_event_when(event) == (
        "Monday 6 October 2025, 11am to 12:30pm and Tuesday 14 October 2025, 10:30am to midday"
    )


def test_event_without_a_date_has_no_when():
    assert format_event_when(EventDetails(title="Participation Conference")) == ""


def test_sample_issue_events_read_as_the_seed_says():
    issue = load_issue(REPO / "issues" / "2025-09-regional-update.yaml")
    whens = {event.title: format_event_when(event) for _block, event in issue.all_events()}
    assert whens["PWLE Seminar: Child contact problems and the Family Court"] == (
        "Wednesday 15 October 2025, 9:30am to 11am"
    )
    assert whens["Care Leavers Policy Workshop convened by the Rees Centre"] == (
        "Tuesday 14 October 2025, 10am to midday"
    )
    assert whens["Regional Safeguarding Conference"] == "Thursday 27 November 2025"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-31", "2027-02-31 is not a real date: February 2027 has 28 days"),
        ("2028-02-30", "2028-02-30 is not a real date: February 2028 has 29 days"),
        ("2027-04-31", "2027-04-31 is not a real date: April 2027 has 30 days"),
        ("2027-13-01", "2027-13-01 is not a real date: a year has 12 months, not 13"),
        ("next friday", "'next friday' is not a date: write it as YYYY-MM-DD, e.g. 2027-02-26"),
    ],
)
def test_parse_day_says_why_a_date_is_not_one(text, message):
    with pytest.raises(ValueError) as caught:
        parse_day(text)
    assert str(caught.value) == message


def test_parse_day_reads_a_real_date():
    assert parse_day("2028-02-29") == date(2028, 2, 29)
    assert parse_day(" 2027-02-26 ") == date(2027, 2, 26)

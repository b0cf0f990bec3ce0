"""Nothing stale goes out (issue 8, point 4): dates are compared with today (or --at)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from newsletter_cli.checks import run_checks
from newsletter_cli.checks.dates import LONDON, london_today
from newsletter_cli.delivery.plan import prepare_send
from newsletter_cli.delivery.request import SendRequest
from newsletter_cli.environment import Environment
from newsletter_cli.errors import CheckFailed
from newsletter_cli.model.issue import load_issue

HEAD = "title: T\nissue_date: 2027-03-01\nsubject: March news\npreheader: All the news\n"
EVENTS = (
    "blocks:\n  - kind: events\n    events:\n"
    "      - title: Workshop\n        start: 2027-03-10 10:00\n        end: '12:00'\n"  # 8-10
    "        deadline: 2027-03-05\n"  # line 11
    "      - title: Conference\n        start: 2027-03-20\n"  # lines 12-13
)


def check(project, text: str, today: date, **options):
    path = project.root / "issues" / "dates.yaml"
    path.write_text(text, encoding="utf-8")
    return run_checks(load_issue(path), project, today=today, **options)


def found(report, severity: str) -> list[tuple[int | None, str]]:
    return [(f.line, f.message) for f in report.findings if f.severity == severity]


def test_nothing_is_stale_on_the_issue_date(project):
    report = check(project, HEAD + EVENTS, date(2027, 3, 1))
    assert report.ok and report.findings == []


def test_a_passed_booking_deadline_is_an_error(project):
    assert check(project, HEAD + EVENTS, date(2027, 3, 5)).findings == []  # the last day
    report = check(project, HEAD + EVENTS, date(2027, 3, 6))
    assert found(report, "error") == [
        (11, 'event "Workshop": the booking deadline 2027-03-05 has passed (today is 2027-03-06)')
    ]


def test_an_event_already_over_is_an_error(project):
    assert not check(project, HEAD + EVENTS, date(2027, 3, 10)).errors[1:]  # workshop day
    report = check(project, HEAD + EVENTS, date(2027, 3, 21))
    assert found(report, "error") == [
        (9, 'event "Workshop" is already over: its last day was 2027-03-10 (today is 2027-03-21)'),
        (13, 'event "Conference" is already over: its last day was 2027-03-20 '
             "(today is 2027-03-21)"),
    ]  # fmt: skip
    assert report.errors[0].block == "Upcoming Conferences and Events: Workshop"


def test_a_test_send_may_proof_an_old_issue(project):
    report = check(project, HEAD + EVENTS, date(2027, 3, 21), test_send=True)
    assert report.ok
    assert [m for _, m in found(report, "warning") if "already over" in m] == [
        'event "Workshop" is already over: its last day was 2027-03-10 (today is 2027-03-21)',
        'event "Conference" is already over: its last day was 2027-03-20 (today is 2027-03-21)',
    ]


def test_an_issue_dated_more_than_31_days_ago_is_a_warning(project):
    text = HEAD + "blocks:\n  - kind: article\n    heading: N\n    body: x\n"
    assert check(project, text, date(2027, 4, 1)).findings == []  # 31 days
    report = check(project, text, date(2027, 4, 2))
    assert report.ok
    assert found(report, "warning") == [
        (2, "the issue is dated 2027-03-01, 32 days ago: is this the issue you meant?")
    ]


def test_events_out_of_date_order_are_a_warning(project):
    text = HEAD + (
        "blocks:\n  - kind: events\n    events:\n"
        "      - title: B\n        start: 2027-04-02\n"  # line 8
        "      - title: Undated\n"  # line 10: ignored
        "      - title: A\n        start: 2027-04-01 09:30\n"  # line 11
        "      - title: C\n        start: 2027-04-03\n"
    )
    report = check(project, text, date(2027, 3, 1))
    assert report.ok
    assert [(line, m) for line, m in found(report, "warning") if "order" in m] == [
        (11, 'event "A" (2027-04-01) is listed after "B" (2027-04-02): readers expect '
             "events in date order"),
    ]  # fmt: skip
    in_order = text.replace("2027-04-02", "2027-03-31")
    assert not [m for _, m in found(check(project, in_order, date(2027, 3, 1)), "warning")
                if "order" in m]  # fmt: skip


def test_a_sitting_already_over_in_a_running_event_is_a_warning(project):
    text = HEAD + (
        "blocks:\n  - kind: events\n    events:\n      - title: Webinar\n        sessions:\n"
        "          - start: 2027-03-02 11:00\n"  # line 10
        "          - start: 2027-03-09 11:00\n"
    )
    report = check(project, text, date(2027, 3, 5))
    assert report.ok
    assert found(report, "warning") == [
        (10, 'event "Webinar": the sitting on 2027-03-02 is already over (today is 2027-03-05)')
    ]


def test_check_compares_with_today_in_london(invoke, project_dir):
    result = invoke("check", "issues/2025-09-regional-update.yaml", "--no-links")
    today = datetime.now(LONDON).date()
    assert today == london_today()
    assert result.exit_code == 1
    text = (project_dir / "issues/2025-09-regional-update.yaml").read_text(encoding="utf-8")
    start = text.index('"2025-11-27"', text.index("Regional Safeguarding Conference"))
    line = text[:start].count("\n") + 1
    assert (
        f'issues/2025-09-regional-update.yaml:{line}: error: event "Regional Safeguarding '
        f'Conference" is already over: its last day was 2025-11-27 (today is {today})'
    ) in result.output
    assert "the issue is dated 2025-09-19" in result.output


def _current_issue(project_dir, deadline: date) -> str:
    """A clean issue from three days ago, one event a week ahead, booking by ``deadline``."""
    today = london_today()
    path = project_dir / "issues" / "current.yaml"
    path.write_text(
        f"title: T\nissue_date: {today - timedelta(days=3)}\nsubject: News\npreheader: All the news\n"
        "blocks:\n  - kind: event\n    title: Workshop\n"
        f"    start: {today + timedelta(days=7)} 10:00\n    deadline: {deadline}\n"
        "    links:\n      - text: Book a place\n        url: https://example.org/book\n",
        encoding="utf-8",
    )
    return str(path.relative_to(project_dir))


def test_a_live_send_of_a_stale_issue_is_refused_and_a_test_send_goes(invoke, project_dir):
    issue = _current_issue(project_dir, london_today() - timedelta(days=1))
    live = invoke("send", issue, "--list", "dcs", "--yes", "--no-link-check")
    assert live.exit_code == 1
    assert "booking deadline" in live.output and "has passed" in live.output
    assert "nothing was sent" in live.output and not (project_dir / "outbox").exists()
    test = invoke("send", issue, "--test-to", "me@example.org", "--yes")
    assert test.exit_code == 0, test.output
    assert "has passed (today is" in test.output and "a live send would be refused" in test.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == 1


def test_a_scheduled_send_is_checked_against_the_day_it_goes(project, project_dir):
    issue = _current_issue(project_dir, london_today() + timedelta(days=1))
    now = datetime.now(LONDON)
    env = Environment.load(project, now=lambda: now)
    plan = prepare_send(env, SendRequest(str(issue), ("dcs",), backend="sendgrid", dry_run=True))
    assert plan.recipients > 0  # today the deadline is still ahead
    at = (now + timedelta(hours=60)).strftime("%Y-%m-%d %H:%M")  # two or three days on
    with pytest.raises(CheckFailed) as caught:
        prepare_send(env, SendRequest(str(issue), ("dcs",), backend="sendgrid", at=at,
                                      dry_run=True))  # fmt: skip
    assert "booking deadline" in str(caught.value) and "has passed" in str(caught.value)

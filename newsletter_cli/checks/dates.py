"""Dates against today: nothing stale goes out.

`check` and `send` compare the issue's dates with today in Europe/London (a scheduled
send, with the day it goes): an event already over, or one whose booking deadline has
passed, is an error (a warning for a test send, so an old issue can still be proofed);
an issue dated more than 31 days ago, a sitting already over in an event that goes on,
and events listed out of date order are warnings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from newsletter_cli.environment import LONDON
from newsletter_cli.findings import Finding, Severity
from newsletter_cli.model.blocks import Block, Events
from newsletter_cli.model.issue import Issue
from newsletter_cli.model.parts import EventDetails, Model

OLD_ISSUE_DAYS = 31


def _heading(block: Model) -> str:
    if isinstance(block, Block):
        return block.label
    return getattr(block, "heading", "") or getattr(block, "title", "")


def _first_day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _last_day(event: EventDetails) -> date | None:
    """The last day an event runs on (its sessions included), if it has any date."""
    days = []
    for session in event.all_sessions():
        end = session.end if isinstance(session.end, date) else None
        days.append(_first_day(end or session.start))
    return max(days) if days else None


def london_today() -> date:
    """Today's date in the UK, whatever the machine's time zone."""
    return datetime.now(LONDON).date()


def _start_key(event: EventDetails) -> datetime | None:
    """When an event's first sitting starts (midnight for a date only), for ordering."""
    starts = [
        s.start if isinstance(s.start, datetime) else datetime.combine(s.start, datetime.min.time())
        for s in event.all_sessions()
    ]
    return min(starts, default=None)


def _stale(event: EventDetails, block: str, today: date, stale: Severity) -> Iterator[Finding]:
    name = f'event "{event.title}"'
    last = _last_day(event)
    if last is not None and last < today:
        yield Finding(
            stale,
            f"{name} is already over: its last day was {last.isoformat()} "
            f"(today is {today.isoformat()})",
            block,
            event.field_line("start") if event.start else event.line,
        )
        return
    if event.deadline is not None and _first_day(event.deadline) < today:
        yield Finding(
            stale,
            f"{name}: the booking deadline {_first_day(event.deadline).isoformat()} has "
            f"passed (today is {today.isoformat()})",
            block,
            event.field_line("deadline"),
        )
    for session in event.sessions:
        day = _first_day(session.end if isinstance(session.end, date) else session.start)
        if day < today:
            yield Finding(
                "warning",
                f"{name}: the sitting on {_first_day(session.start).isoformat()} is already "
                f"over (today is {today.isoformat()})",
                block,
                session.line,
            )


def _order(block: Events, name: str) -> Iterator[Finding]:
    latest: tuple[datetime, EventDetails] | None = None
    for event in block.events:
        start = _start_key(event)
        if start is None:
            continue
        if latest is not None and start < latest[0]:
            yield Finding(
                "warning",
                f'event "{event.title}" ({start.date().isoformat()}) is listed after '
                f'"{latest[1].title}" ({latest[0].date().isoformat()}): readers expect '
                "events in date order",
                f"{name}: {event.title}",
                event.line,
            )
        else:
            latest = (start, event)


def date_findings(issue: Issue, today: date, *, test_send: bool = False) -> Iterator[Finding]:
    """Every finding that depends on today's date (``today``: the day the email goes)."""
    age = (today - issue.issue_date).days
    if age > OLD_ISSUE_DAYS:
        yield Finding(
            "warning",
            f"the issue is dated {issue.issue_date.isoformat()}, {age} days ago: "
            "is this the issue you meant?",
            None,
            issue.field_line("issue_date"),
        )
    stale: Severity = "warning" if test_send else "error"
    for block in issue.blocks:
        name = _heading(block)
        if isinstance(block, Events):
            yield from _order(block, name)
            for event in block.events:
                yield from _stale(event, f"{name}: {event.title}", today, stale)
        elif isinstance(block, EventDetails):
            yield from _stale(block, name, today, stale)

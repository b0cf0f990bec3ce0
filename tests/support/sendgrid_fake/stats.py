"""Category statistics for the fake SendGrid: ``GET /v3/categories/stats`` (stats spec).

Worked out from the messages the fake took and what happened to them (``fake.act``):
per category and per UTC day, SendGrid's sixteen metrics. ``start_date`` is required,
dates are ``YYYY-MM-DD`` (UTC), ``categories`` may be repeated up to 10 times, and
``aggregated_by`` is ``day`` (the fake's only grouping; week and month answer 400).
A category no message ever carried answers 404 "category does not exist".
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

METRICS = (
    "blocks", "bounce_drops", "bounces", "clicks", "deferred", "delivered", "invalid_emails",
    "opens", "processed", "requests", "spam_report_drops", "spam_reports", "unique_clicks",
    "unique_opens", "unsubscribe_drops", "unsubscribes",
)  # fmt: skip
#: Which metric each event of ``fake.act`` counts in.
EVENT_METRIC = {"bounce": "bounces", "block": "blocks", "spamreport": "spam_reports",
                "unsubscribe": "unsubscribes", "open": "opens", "click": "clicks"}  # fmt: skip


def day_of(moment: float) -> date:
    return date(*time.gmtime(moment)[:3])


def _bad(message: str, field: str | None = None) -> tuple[int, dict]:
    return 400, {"errors": [{"field": field, "message": message}]}


def answer(fake: Any, params: dict[str, list[str]]) -> tuple[int, Any]:
    """(status, body) for one GET /v3/categories/stats."""
    names = [c for value in params.get("categories", []) for c in value.split(",") if c]
    if not names:
        return _bad("categories is required", "categories")
    if len(names) > 10:
        return _bad("you may include up to 10 categories", "categories")
    try:
        start = date.fromisoformat((params.get("start_date") or [""])[0])
        end_text = (params.get("end_date") or [""])[0]
        end = date.fromisoformat(end_text) if end_text else day_of(time.time())
    except ValueError:
        return _bad("start_date and end_date must be YYYY-MM-DD", "start_date")
    if end < start:
        return _bad("end_date must be after start_date", "end_date")
    if (params.get("aggregated_by") or ["day"])[0] != "day":
        return _bad("the fake aggregates by day only", "aggregated_by")
    with fake.lock:
        carried = {c: [m for m in fake.messages if c in m["categories"]] for c in names}
        missing = [c for c, found in carried.items() if not found]
        if missing:
            return 404, {"errors": [{"field": None, "message": "category does not exist"}]}
        per_day = {c: _days(found) for c, found in carried.items()}
    days = []
    current = start
    while current <= end:
        days.append({"date": current.isoformat(), "stats": [
            {"type": "category", "name": c,
             "metrics": {m: per_day[c].get(current, {}).get(m, 0) for m in METRICS}}
            for c in names
        ]})  # fmt: skip
        current += timedelta(days=1)
    return 200, days


def _days(messages: list[dict]) -> dict[date, dict[str, int]]:
    """Per UTC day, the metrics of these messages."""
    days: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for message in messages:
        sent = day_of(message["at"])
        days[sent]["requests"] += 1
        days[sent]["processed"] += 1
        failed = any(kind in ("bounce", "block") for kind, _ in message["events"])
        if not failed:
            days[sent]["delivered"] += 1
        opened: set[date] = set()
        clicked: set[date] = set()
        for kind, at in message["events"]:
            metric = EVENT_METRIC.get(kind)
            if metric is None:
                continue
            day = day_of(at)
            days[day][metric] += 1
            if kind == "open" and day not in opened:
                opened.add(day)
                days[day]["unique_opens"] += 1
            if kind == "click" and day not in clicked:
                clicked.add(day)
                days[day]["unique_clicks"] += 1
    return days

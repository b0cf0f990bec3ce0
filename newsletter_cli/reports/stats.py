"""SendGrid's category statistics (``GET /v3/categories/stats``), one day at a time.

Every live send is tagged with its issue's category and its own (``send-1d6d49``), so
asking about one category gives one send's (or one issue's) figures. Dates in the
request are UTC days (SendGrid's statistics are kept in UTC); ``aggregated_by=day``
gives the figures of each day, and the totals are their sums.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from newsletter_cli.delivery.sendgrid_http import Endpoint, SendGridAnswer, get_json
from newsletter_cli.errors import DeliveryError

CATEGORY_STATS = Endpoint("categories/stats", "category statistics", "categories.stats.read")
#: The figures a report shows, in order, with what they count.
FIGURES = {
    "requests": "emails SendGrid was asked to deliver",
    "delivered": "accepted by the recipient's mail server",
    "opens": "times opened (each image load of each copy)",
    "unique_opens": "copies opened at least once that day, summed over the days",
    "clicks": "clicks on links",
    "unique_clicks": "copies with a click that day, summed over the days",
    "bounces": "refused for good by the recipient's server (address gone, mailbox full...)",
    "blocks": "refused for now (policy, reputation, content)",
    "spam_reports": "recipients who pressed 'report spam'",
    "unsubscribes": "recipients who unsubscribed (link, button or reply)",
}


@dataclass(frozen=True)
class Day:
    """One UTC day of a category's figures."""

    day: date
    metrics: dict[str, int]


def category_days(
    api: Any, category: str, start: date, end: date, **options: Any
) -> list[Day] | None:
    """Each day's figures for ``category`` from ``start`` to ``end`` (UTC days, inclusive);
    None when SendGrid has no such category yet (nothing with it has been processed)."""
    params = {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "categories": category,
        "aggregated_by": "day",
    }
    try:
        data = get_json(api, CATEGORY_STATS, params, **options)
    except SendGridAnswer as exc:
        if exc.status == 404:
            return None
        raise
    try:
        days = []
        for entry in data:
            metrics: Counter[str] = Counter()
            for stat in entry.get("stats") or []:
                if stat.get("name") == category:
                    metrics.update({k: int(v) for k, v in (stat.get("metrics") or {}).items()})
            days.append(Day(date.fromisoformat(entry["date"]), dict(metrics)))
    except (TypeError, ValueError, KeyError, AttributeError):
        raise DeliveryError("SendGrid's category statistics came in an unexpected shape") from None
    return sorted(days, key=lambda d: d.day)


def totals(days: list[Day]) -> dict[str, int]:
    """Each figure summed over the days."""
    summed: Counter[str] = Counter()
    for day in days:
        summed.update(day.metrics)
    return {name: summed.get(name, 0) for name in FIGURES}

"""``report --html FILE``: the report as one self-contained page for a board paper.

Rendered with Jinja2 from ``templates/report.html.j2``: CSS inline in the page, charts
as inline SVG (:mod:`.charts`), no JavaScript, nothing fetched (no fonts, no images).
It prints on A4.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from newsletter_cli.datefmt import format_date, format_day_month, format_moment, in_uk
from newsletter_cli.errors import NewsletterError
from newsletter_cli.reports import charts
from newsletter_cli.reports.matching import NO_ORGANISATION, Recipient
from newsletter_cli.reports.report import Report
from newsletter_cli.reports.stats import FIGURES

TEMPLATES = Path(__file__).with_name("templates")
MARKS = ("bounced", "blocked", "unsubscribed", "spam-report", "invalid")


def state(person: Recipient, activity: bool) -> str:
    """A person's one state for the stacked bars."""
    if person.outcomes & {"bounced", "blocked", "invalid"}:
        return "failed"
    if not activity:
        return "sent"
    for name in ("clicked", "opened", "delivered"):
        if name in person.outcomes:
            return name
    return "unknown"


def _states(groups: dict[str, list[Recipient]], activity: bool) -> list[tuple[str, dict]]:
    return [(name, dict(Counter(state(p, activity) for p in people)))
            for name, people in groups.items()]  # fmt: skip


def uk(moment: float, *, weekday: bool = True) -> str:
    return format_moment(in_uk(moment), weekday=weekday)


def context(report: Report) -> dict[str, Any]:
    """What the template shows."""
    from markupsafe import Markup

    by_list: dict[str, list[Recipient]] = {g.name: [] for g in report.by_list}
    by_org: dict[str, list[Recipient]] = {g.name: [] for g in report.by_org}
    for person in report.recipients:
        for name in person.lists:
            by_list.setdefault(name, []).append(person)
        by_org.setdefault(person.organisation.strip() or NO_ORGANISATION, []).append(person)
    order = ("clicked", "opened", "delivered", "unknown", "failed") if report.activity else (
        "sent", "failed")  # fmt: skip
    days = [(format_day_month(d.day), d.metrics.get("opens", 0), d.metrics.get("clicks", 0))
            for d in report.days or []]  # fmt: skip
    totals = report.totals
    delivered = totals.get("delivered", 0)
    people = [r for r in report.recipients if "delivered" in r.outcomes]
    cards = [("Delivered", _share(delivered, totals.get("requests", 0)),
              f"{delivered:,} of {totals.get('requests', 0):,}")]  # fmt: skip
    if report.activity:
        for outcome, name in (("opened", "Opened"), ("clicked", "Clicked")):
            count = sum(1 for r in people if outcome in r.outcomes)
            cards.append((name, _share(count, len(people)), f"{count:,} of {len(people):,} people"))
    for figure in ("bounces", "blocks", "unsubscribes", "spam_reports"):
        cards.append((figure.replace("_", " ").capitalize(), f"{totals.get(figure, 0):,}", ""))
    return {
        "report": report,
        "cards": cards,
        "figures": [
            (k.replace("_", " ").capitalize(), totals.get(k, 0), meaning)
            for k, meaning in FIGURES.items()
        ],  # fmt: skip
        "days": report.days or [],
        "day_chart": Markup(charts.day_bars(days, "Opens and clicks by day")) if days else "",
        "list_chart": Markup(
            charts.stacked_bars(_states(by_list, report.activity), order, "Outcomes by list")
        ),  # fmt: skip
        "org_chart": Markup(
            charts.stacked_bars(_states(by_org, report.activity), order, "Outcomes by organisation")
        ),  # fmt: skip
        "outcomes": ["delivered", "opened", "clicked", *MARKS[:4]]
        if report.activity
        else list(MARKS[:4]),
        "held": [
            (
                p,
                ", ".join(m for m in MARKS if m in p.outcomes),
                _day(min((p.when[m] for m in MARKS if m in p.when), default=None)),
            )
            for p in report.held_back
        ],  # fmt: skip
        "started": uk(report.start),
        "generated": uk(report.generated),
        "stats_days": f"{_day(report.start)} to {_day(report.generated)}",
    }


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _day(moment: float | None) -> str:
    if moment is None:
        return ""
    return format_date(in_uk(moment).date())


def render(report: Report) -> str:
    """The whole page as one string."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(**context(report))


def write_html(report: Report, path: Path) -> Path:
    """Write the page to ``path`` (whole or not at all)."""
    path = Path(path)
    page = render(report)
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise NewsletterError(f"cannot write the report: {exc.strerror}", path=path) from None
    return path

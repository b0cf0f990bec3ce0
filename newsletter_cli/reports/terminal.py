"""The report in the terminal: the figures with a bar each, then by list, by organisation,
and who SendGrid holds back since the send. Fits 80 columns."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from newsletter_cli.datefmt import format_date, format_moment, in_uk
from newsletter_cli.reports.matching import Group
from newsletter_cli.reports.report import Report
from newsletter_cli.reports.stats import FIGURES

BAR = 28
#: What each figure's percentage is of ("" for none).
BASE = {"requests": "requests", "delivered": "requests", "bounces": "requests",
        "blocks": "requests", "spam_reports": "delivered", "unsubscribes": "delivered"}  # fmt: skip
HEADINGS = {"delivered": "Deliv.", "opened": "Opened", "clicked": "Clicked",
            "bounced": "Bounced", "blocked": "Blocked", "unsubscribed": "Unsub.",
            "spam-report": "Spam"}  # fmt: skip
SHOWN_PEOPLE = 20


def label(figure: str) -> str:
    return figure.replace("_", " ").capitalize()


def uk_time(moment: float) -> str:
    return format_moment(in_uk(moment), weekday=True)


def uk_day(moment: float) -> str:
    return format_date(in_uk(moment).date())


def bar(share: float, width: int = BAR) -> str:
    """A bar of ``width`` eighths-precise blocks for a share from 0 to 1."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def percent(value: int, base: int | None) -> tuple[str, str]:
    """('93%', its bar) of ``base``; ('', '') for a figure that is no share of anything
    (opens and clicks count events: one person may open ten times; SendGrid's unique
    opens are summed day by day, so one person opening on two days counts twice)."""
    if base is None:
        return "", ""
    if not base:
        return "-", ""
    share = value / base
    return f"{share:.0%}", bar(share)


def people_rows(report: Report) -> list[tuple[str, int, int]]:
    """From Email Activity: how many people opened and clicked, of those it delivered to."""
    delivered = sum(1 for r in report.recipients if "delivered" in r.outcomes)
    opened = sum(1 for r in report.recipients if "opened" in r.outcomes)
    clicked = sum(1 for r in report.recipients if "clicked" in r.outcomes)
    return [("People who opened", opened, delivered), ("People who clicked", clicked, delivered)]


def show(report: Report, console: Any) -> None:
    """Print the report."""
    from rich.markup import escape

    console.print(f"[bold]{escape(report.title)}[/]")
    console.print(escape(f"{report.subject}  (to {', '.join(report.lists)})"))
    console.print(f"First sent {uk_time(report.start)} (UK time)")
    console.print(f"Figures to {uk_time(report.generated)}")
    console.print(escape(f"SendGrid category '{report.category}'; {len(report.recipients)} "
                         "recipient(s) in the journal"))  # fmt: skip
    console.print()
    if report.days is not None:
        console.print(_figures(report))
    for group_name, groups in (("List", report.by_list), ("Organisation", report.by_org)):
        if groups:
            console.print()
            console.print(_groups(report, group_name, groups))
    held = report.held_back
    console.print()
    if held:
        console.print(f"[bold]Held back by SendGrid since the send[/] ({len(held)}):")
        console.print(_people(held))
    else:
        console.print("Nobody bounced, was blocked, unsubscribed or reported spam since the send.")
    for note in report.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")


def _table(**options: Any) -> Any:
    from rich import box
    from rich.table import Table

    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False,
                 padding=(0, 0), **options)  # fmt: skip


def _figures(report: Report) -> Any:
    table = _table()
    table.add_column("Figure", no_wrap=True)
    table.add_column("Count", justify="right")
    table.add_column("%", justify="right")
    table.add_column("", no_wrap=True, style="cyan")
    totals = report.totals
    for figure in FIGURES:
        untracked = next((n for n in report.untracked if figure.endswith(n)), None)
        if untracked:  # no zeros for what nobody measured
            if figure == untracked:
                table.add_row(label(figure), "not measured: tracking is off", "", "")
            continue
        base = BASE.get(figure)
        shown, drawn = percent(totals.get(figure, 0), totals.get(base, 0) if base else None)
        table.add_row(label(figure), f"{totals.get(figure, 0):,}", shown, drawn)
    if report.activity:
        for name, value, base in people_rows(report):
            if not any(name.endswith(n.removesuffix("s") + "ed") for n in report.untracked):
                table.add_row(name, f"{value:,}", *percent(value, base))
    return table


def _groups(report: Report, heading: str, groups: list[Group]) -> Any:
    from rich.markup import escape

    outcomes = [o for o in HEADINGS if report.activity or o not in ("delivered", "opened",
                                                                     "clicked")]  # fmt: skip
    table = _table()
    table.add_column(heading, no_wrap=True, overflow="ellipsis", max_width=22)
    table.add_column("People", justify="right", min_width=6)
    for outcome in outcomes:
        table.add_column(HEADINGS[outcome], justify="right", min_width=cell_len(HEADINGS[outcome]))
    for group in groups:
        table.add_row(escape(group.name), f"{group.recipients:,}",
                      *(_cell(group, o) for o in outcomes))  # fmt: skip
    return table


def _cell(group: Group, outcome: str) -> str:
    count = group.counts[outcome]
    if not count:
        return "-"
    if outcome in ("opened", "clicked"):  # a rate: what a manager compares across groups
        return f"{group.share(outcome):.0%}"
    return f"{count:,}"


def _people(people: list) -> Any:
    from rich.markup import escape

    table = _table()
    table.add_column("Email", no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column("Organisation", no_wrap=True, overflow="ellipsis", max_width=17)
    table.add_column("What", no_wrap=True)
    table.add_column("When (UK)", no_wrap=True, min_width=16)
    marks = ("bounced", "blocked", "unsubscribed", "spam-report", "invalid")
    for person in people[:SHOWN_PEOPLE]:
        what = [m for m in marks if m in person.outcomes]
        when = min((person.when[m] for m in what if m in person.when), default=None)
        table.add_row(escape(person.email), escape(person.organisation), ", ".join(what),
                      uk_day(when) if when else "")  # fmt: skip
    if len(people) > SHOWN_PEOPLE:
        table.add_row(f"... and {len(people) - SHOWN_PEOPLE} more (--csv lists all)", "", "", "")
    return table

"""``newsletter report``: what happened to a send, or to every live send of an issue.

Three sources, each asked only about this send (or issue):

1. SendGrid's category statistics for the send's own category (or the issue's): the
   figures, and opens and clicks day by day (:mod:`.stats`).
2. SendGrid's suppression lists since the send went (:mod:`.suppressed`): who bounced,
   was blocked, unsubscribed or reported spam, matched to the journal's recipients.
3. Email Activity, where the account has the add-on: each recipient's message,
   delivered / opened / clicked, one query per journalled batch (a batch holds at most
   1,000 recipients, Email Activity's most per query). Without the add-on (403/404) the
   report says what is missing and shows the rest.

Requests use UTC; everything shown is UK time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from newsletter_cli.config import load_config
from newsletter_cli.delivery import sendgrid_activity as activity
from newsletter_cli.delivery.backends.registry import backend_class
from newsletter_cli.delivery.backends.sendgrid import send_category
from newsletter_cli.delivery.sendgrid_http import env_client
from newsletter_cli.delivery.sendgrid_settings import unsubscribe_group
from newsletter_cli.errors import NewsletterError, Refused
from newsletter_cli.journal import existing_journal
from newsletter_cli.journal.history import find_send, issue_key, no_send
from newsletter_cli.journal.status import Status
from newsletter_cli.recipients.roster import load_roster
from newsletter_cli.reports import matching, stats
from newsletter_cli.reports.matching import OUTCOMES, Group, Recipient
from newsletter_cli.reports.suppressed import fetch

if TYPE_CHECKING:
    from newsletter_cli.journal.store import JournalStore, SendRecord
    from newsletter_cli.project import Project
    from newsletter_cli.reports.stats import Day

#: Who a send reached, or may have: the people a report is about.
REACHED = (Status.ACCEPTED, Status.UNCERTAIN)
#: Suppressions a minute older than the send's first request still count (clock skew).
SLACK = 60
ACTIVITY_MISSING = (
    "Per-recipient delivered, opened and clicked need SendGrid's Email Activity add-on (and "
    "an API key with the 'messages.read' permission); SendGrid said it is not available, so "
    "those columns are left out. Everything else is shown."
)


@dataclass
class Report:
    """Everything ``report`` shows, ready for the terminal, CSV/JSON or HTML."""

    title: str
    issue: str
    subject: str
    lists: tuple[str, ...]
    sends: list[SendRecord]
    category: str
    start: float  # when the first request left (unix)
    generated: float
    days: list[Day] | None  # None: SendGrid has no statistics for the category yet
    totals: dict[str, int]
    recipients: list[Recipient]
    by_list: list[Group]
    by_org: list[Group]
    activity: bool  # Email Activity answered: delivered/opened/clicked are known
    notes: list[str] = field(default_factory=list)
    #: "opens", "clicks": not measured, because newsletter.toml switches that tracking off.
    untracked: tuple[str, ...] = ()

    @property
    def held_back(self) -> list[Recipient]:
        """Recipients who bounced, were blocked, unsubscribed or reported spam since."""
        marks = {"bounced", "blocked", "unsubscribed", "spam-report", "invalid"}
        return [r for r in self.recipients if r.outcomes & marks]

    def rows(self) -> list[dict[str, Any]]:
        """Every figure as a row (section, name, metric, value...), for CSV and JSON."""
        shown = OUTCOMES if self.activity else OUTCOMES[3:]
        rows = [_row("figure", "", k, v) for k, v in self.totals.items()]
        for day in self.days or []:
            rows += [
                _row("day", day.day.isoformat(), k, day.metrics.get(k, 0))
                for k in ("delivered", "opens", "unique_opens", "clicks", "unique_clicks")
            ]
        for section, groups in (("list", self.by_list), ("organisation", self.by_org)):
            for group in groups:
                rows.append(_row(section, group.name, "recipients", group.recipients))
                rows += [_row(section, group.name, o, group.counts[o]) for o in shown]
        for person in self.recipients:
            extra = {"organisation": person.organisation, "lists": list(person.lists)}
            rows += [_row("recipient", person.email, o, 1, **extra)
                     for o in sorted(person.outcomes)]  # fmt: skip
            if person.opens or person.clicks:
                rows += [
                    _row("recipient", person.email, "opens", person.opens, **extra),
                    _row("recipient", person.email, "clicks", person.clicks, **extra),
                ]
        return rows


def _row(section: str, name: str, metric: str, value: int, **extra: Any) -> dict[str, Any]:
    return {
        "section": section,
        "name": name,
        "metric": metric,
        "value": value,
        "organisation": extra.get("organisation", ""),
        "lists": extra.get("lists", []),
    }


def build_report(
    project: Project,
    *,
    send_id: str | None = None,
    issue: str | None = None,
    api: Any = None,
    now: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    **options: Any,
) -> Report:
    """The report for one live SendGrid send, or for every live SendGrid send of an issue."""
    now = time.time() if now is None else now
    journal = existing_journal(project)
    if journal is None:
        raise no_send(send_id or str(issue), [])
    with journal:
        if send_id is not None:
            record = find_send(journal, send_id)
            _check_live(record)
            sends = [record]
            category, title = send_category(record.id), f"Send {record.id}"
        else:
            name = issue_key(project, str(issue))
            sends = [r for r in journal.sends(name) if _live(r)]
            if not sends:
                raise Refused(f"no live SendGrid send of {name} in the journal",
                              hint="'newsletter history' lists the sends")  # fmt: skip
            category, title = name, f"Issue {name}"
        recipients = _recipients(journal, sends)

    api = api if api is not None else env_client()
    return assemble(project, title, category, sends, recipients, api, now,
                    sleep=sleep, **options)  # fmt: skip


def _live(record: SendRecord) -> bool:
    return backend_class(record.backend).has_activity and record.mode == "live"


def _check_live(record: SendRecord) -> None:
    if not _live(record):
        raise Refused(
            f"send {record.id} went through {record.backend} ({record.mode}): only live "
            "SendGrid sends have SendGrid's statistics",
            hint="'newsletter history' lists the sends",
        )


def _recipients(journal: JournalStore, sends: list[SendRecord]) -> dict[str, Recipient]:
    """The people the sends reached (or may have), one each (the first send that did)."""
    people: dict[str, Recipient] = {}
    for record in sends:
        for row in journal.recipients(record.id, REACHED):
            if row.email not in people:
                people[row.email] = Recipient(row.email, row.name, row.organisation,
                                              tuple(row.lists), record.id, row.batch)  # fmt: skip
    return people


def assemble(
    project: Project,
    title: str,
    category: str,
    sends: list[SendRecord],
    people: dict[str, Recipient],
    api: Any,
    now: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
    **options: Any,
) -> Report:
    """Ask SendGrid about ``people`` and put the report together."""
    start = min(s.send_at or s.created for s in sends)
    notes: list[str] = []
    order = _add_lists(project, people, notes)
    days = stats.category_days(api, category, _utc_day(start), _utc_day(now), sleep=sleep,
                               **options)  # fmt: skip
    if days is None:
        notes.append(f"SendGrid has no statistics for category {category} yet (they appear "
                     "within minutes of SendGrid processing the send).")  # fmt: skip
    config = load_config(project)
    untracked = tuple(name for name, on in (("opens", config.sendgrid.track_opens),
                                            ("clicks", config.sendgrid.track_clicks)) if not on)
    notes.extend(f"{name} not measured: tracking is off ([sendgrid] track_{name} = false "
                 "in newsletter.toml)" for name in untracked)  # fmt: skip
    group = unsubscribe_group(project, config)
    held = fetch(api, group, since=int(start) - SLACK, sleep=sleep, **options)
    matching.apply_held(people, held)
    activity = _activity(api, sends, people, notes, sleep)
    recipients = sorted(people.values(), key=lambda r: r.email)
    first = sends[0]
    return Report(
        title=title, issue=first.issue, subject=first.subject,
        lists=tuple(dict.fromkeys(n for s in sends for n in s.lists)), sends=sends,
        category=category, start=start, generated=now, days=days,
        totals=stats.totals(days or []), recipients=recipients,
        by_list=matching.by_list(recipients, order), by_org=matching.by_organisation(recipients),
        activity=activity, notes=notes, untracked=untracked,
    )  # fmt: skip


def _utc_day(moment: float) -> date:
    return datetime.fromtimestamp(moment, UTC).date()


def _add_lists(project: Project, people: dict[str, Recipient], notes: list[str]) -> list[str]:
    """Add every list today's contact files put each person on; the lists' order."""
    try:
        roster = load_roster(project)
    except NewsletterError as exc:
        notes.append(f"Lists are the send's own only: the recipients could not be read ({exc}).")
        return []
    contacts = {c.email: c for c in roster.contacts}
    for person in people.values():
        contact = contacts.get(person.email)
        if contact is None:
            continue
        on = roster.lists_of(contact)
        person.lists = tuple(n for n in roster.list_names() if n in on or n in person.lists)
        person.organisation = person.organisation or contact.organisation
        person.name = person.name or contact.name
    return roster.list_names()


def _activity(
    api: Any,
    sends: list[SendRecord],
    people: dict[str, Recipient],
    notes: list[str],
    sleep: Callable[[float], None],
) -> bool:
    """Ask Email Activity about each batch; False (and a note) when the account has none."""
    batches = sorted({(p.send_id, p.batch) for p in people.values()},
                     key=lambda b: (b[0], b[1] or 0))  # fmt: skip
    for send_id, batch in batches:
        args = {"newsletter_send": send_id}
        if batch is not None:
            args["newsletter_batch"] = str(batch)
        try:
            found = activity.messages(api, activity.args_query(**args), sleep=sleep)
        except activity.ActivityUnavailable:
            notes.append(ACTIVITY_MISSING)
            return False
        if len(found) >= activity.ACTIVITY_LIMIT and batch is None:
            notes.append(f"Email Activity lists at most 1,000 messages per query: send "
                         f"{send_id} (from before batch numbers) is shown in part.")  # fmt: skip
        matching.apply_activity(people, found)
    missing = sum(1 for p in people.values() if not p.found)
    if missing:
        notes.append(
            f"{missing} recipient(s) not found in Email Activity (it keeps messages "
            "for a limited time): their delivered, opened and clicked are unknown."
        )
    return True

"""Outcomes matched back to the people a send reached, and counted by list and organisation.

Each recipient (from the journal: name, organisation and lists as they were when
queued, plus every list today's contact files put them on) collects outcomes:

- from SendGrid's suppression lists since the send: bounced, blocked, unsubscribed,
  spam-report, invalid;
- from Email Activity, where the account has it: delivered, opened, clicked (with
  the number of opens and clicks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsletter_cli.delivery.sendgrid_activity import ActivityMessage
from newsletter_cli.reports.suppressed import Held

#: Outcomes from the suppression lists (the word for each reason SendGrid gives).
HELD_OUTCOME = {"bounced": "bounced", "blocked": "blocked", "unsubscribed": "unsubscribed",
                "unsubscribed-all": "unsubscribed", "spam-report": "spam-report",
                "invalid": "invalid"}  # fmt: skip
#: Outcomes from Email Activity.
ACTIVITY_OUTCOMES = ("delivered", "opened", "clicked")
#: The columns of the tables by list and by organisation, in order.
OUTCOMES = (*ACTIVITY_OUTCOMES, "bounced", "blocked", "unsubscribed", "spam-report")
NO_ORGANISATION = "(no organisation given)"


@dataclass
class Recipient:
    """One person a send reached (or may have), and what became of their copy."""

    email: str
    name: str
    organisation: str
    lists: tuple[str, ...]
    send_id: str
    batch: int | None
    outcomes: set[str] = field(default_factory=set)
    opens: int = 0
    clicks: int = 0
    found: bool = False  # Email Activity listed their message
    when: dict[str, float] = field(default_factory=dict)  # outcome -> unix time (held lists)


@dataclass
class Group:
    """One list or organisation: how many of its people had each outcome."""

    name: str
    recipients: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def share(self, outcome: str) -> float:
        return self.counts[outcome] / self.recipients if self.recipients else 0.0


def apply_held(recipients: dict[str, Recipient], held: Iterable[Held]) -> None:
    """Mark everyone on a suppression list since the send."""
    for entry in held:
        person = recipients.get(entry.email)
        outcome = HELD_OUTCOME.get(entry.reason)
        if person is None or outcome is None:
            continue
        person.outcomes.add(outcome)
        if entry.created is not None:
            person.when.setdefault(outcome, float(entry.created))


def apply_activity(recipients: dict[str, Recipient], found: Sequence[ActivityMessage]) -> None:
    """Mark what Email Activity says about each message: delivered, opened, clicked."""
    for message in found:
        person = recipients.get(message.to_email.lower())
        if person is None:
            continue
        person.found = True
        if message.status == "delivered":
            person.outcomes.add("delivered")
        person.opens += message.opens_count
        person.clicks += message.clicks_count
        if person.opens:
            person.outcomes.add("opened")
        if person.clicks:
            person.outcomes.add("clicked")


def by_list(recipients: Iterable[Recipient], order: Sequence[str]) -> list[Group]:
    """A group per list (in ``order``, then any other), each person in every list they are on."""
    groups: dict[str, Group] = {}
    for person in recipients:
        for name in person.lists:
            _count(groups.setdefault(name, Group(name)), person)
    ranked = [groups.pop(name) for name in order if name in groups]
    return ranked + sorted(groups.values(), key=lambda g: g.name)


def by_organisation(recipients: Iterable[Recipient]) -> list[Group]:
    """A group per organisation (local authority), largest first."""
    groups: dict[str, Group] = {}
    for person in recipients:
        name = person.organisation.strip() or NO_ORGANISATION
        _count(groups.setdefault(name, Group(name)), person)
    return sorted(groups.values(), key=lambda g: (-g.recipients, g.name.lower()))


def _count(group: Group, person: Recipient) -> None:
    group.recipients += 1
    group.counts.update(person.outcomes)

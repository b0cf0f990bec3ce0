"""What the journal already says before a send: this send's earlier runs, and who another
send of the same issue has reached (once per person per issue)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsletter_cli.delivery.backends.base import HAS_IT, Status
from newsletter_cli.journal import existing_journal

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project


@dataclass
class Prior:
    """The journal's view of a planned send. Nothing is changed by looking."""

    previous: Counter[Status] = field(default_factory=Counter)  # this send so far
    issue_changed: bool = False  # the issue file changed since this send started
    tested: bool = False  # a --test-to send of this issue exists
    #: Of this plan's recipients: how many an earlier run of this send reached / left uncertain.
    accepted_before: int = 0
    uncertain_before: int = 0
    #: Of this plan's recipients: who another live send of the issue reached -> that send.
    received: dict[str, str] = field(default_factory=dict)


def look_back(
    project: Project,
    *,
    send_id: str,
    issue: str,
    issue_sha: str,
    emails: Iterable[str],
    mode: str,
    delivers: bool,
    config: Config | None = None,
) -> Prior:
    """What the journal knows about ``send_id`` and about ``issue``'s other live sends.

    Only live sends count and are checked (test and sandbox sends reach nobody on a list);
    a send that delivers is held back only by other sends that delivered, while an outbox
    rehearsal is held back by any live send of the issue.
    """
    prior = Prior()
    journal = existing_journal(project, sending=True, config=config)
    if journal is None:
        return prior
    with journal:
        known: dict[str, Status] = {}
        record = journal.get_send(send_id)
        if record is not None:
            prior.previous = journal.counts(send_id)
            prior.issue_changed = bool(record.issue_sha) and record.issue_sha != issue_sha
            known = journal.statuses(send_id)
        emails = list(emails)
        mine = Counter(known.get(e) for e in emails)
        prior.accepted_before = mine[Status.ACCEPTED]
        prior.uncertain_before = mine[Status.UNCERTAIN] + mine[Status.SENDING]
        sends = journal.sends(issue)
        prior.tested = any(r.mode == "test" for r in sends)
        if mode == "live" and any(r.mode == "live" and r.id != send_id for r in sends):
            others = journal.received(issue, exclude=send_id, delivering=delivers, among=emails)
            prior.received = {e: s for e, s in others.items() if known.get(e) not in HAS_IT}
    return prior

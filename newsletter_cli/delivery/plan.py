"""Planning a send: check, resolve the lists, render each audience's version, count.

:func:`prepare_send` changes nothing: the dry run and the confirmation screen use it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from newsletter_cli.checks import run_checks
from newsletter_cli.checks.dates import date_findings
from newsletter_cli.config import load_config
from newsletter_cli.delivery.backends.base import Status
from newsletter_cli.delivery.backends.registry import (
    backend_delivers,
    smtp_preflight,
    smtp_sent_since,
    unsubscribe_group,
)
from newsletter_cli.delivery.deliver import Variant
from newsletter_cli.delivery.prior import look_back
from newsletter_cli.delivery.sendgrid_settings import API_KEY_ENV, api_host, api_key
from newsletter_cli.delivery.smtp_limits import DAY
from newsletter_cli.delivery.smtp_settings import plan_notes
from newsletter_cli.delivery.sync_state import stale_warning
from newsletter_cli.errors import CheckFailed, ConfigError, InputError, Refused
from newsletter_cli.issue import load_issue
from newsletter_cli.links.check import check_links
from newsletter_cli.recipients.addresses import address_problem, normalise
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.recipients.leftout import (
    describe,
    problems_affecting,
    refuse_unreadable_suppressions,
)
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.roster import load_roster
from newsletter_cli.render import TOKENS, render_email

if TYPE_CHECKING:
    from newsletter_cli.issue import Issue
    from newsletter_cli.project import Project

LONDON = ZoneInfo("Europe/London")
MAX_SCHEDULE_AHEAD = timedelta(hours=72)


@dataclass
class SendPlan:
    """Everything decided before anything is sent: shown to the user to confirm."""

    send_id: str
    issue: Issue
    issue_sha: str
    lists: tuple[str, ...]
    mode: str  # live | sandbox | test
    backend: str
    subject: str
    variants: list[Variant]
    suppressed: list[Contact] = field(default_factory=list)
    send_at: datetime | None = None
    previous: Counter[Status] = field(default_factory=Counter)  # the journal so far
    #: Of this plan's recipients: how many an earlier run already sent to / left uncertain.
    accepted_before: int = 0
    uncertain_before: int = 0
    issue_changed: bool = False
    resend_uncertain: bool = False
    warnings: list[str] = field(default_factory=list)
    sender: str = ""  # From, as recipients see it
    reply_to: str = ""
    #: Of this plan's recipients: who another live send of the issue reached -> that send.
    received: dict[str, str] = field(default_factory=dict)
    allow_repeat: bool = False
    #: Per address, the send's lists the person is on (stored in the journal, for proof).
    lists_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Problems in recipients/ that may keep someone off these lists (named, never silent).
    left_out: list[Problem] = field(default_factory=list)
    backend_label: str = ""  # how the confirmation screen names the backend (smtp: the server)

    @property
    def recipients(self) -> int:
        return sum(len(v.contacts) for v in self.variants)

    @property
    def repeats(self) -> Counter[str]:
        """Earlier send id -> how many of this plan's recipients it already reached."""
        return Counter(self.received.values())

    @property
    def skipped(self) -> int:
        """How many are skipped because another send of the issue reached them."""
        return 0 if self.allow_repeat else len(self.received)

    @property
    def already_accepted(self) -> int:
        return self.accepted_before

    @property
    def uncertain(self) -> int:
        return self.uncertain_before

    @property
    def to_send(self) -> int:
        """Recipients this run will send to (unless an address turns out invalid)."""
        done = self.accepted_before + (0 if self.resend_uncertain else self.uncertain_before)
        return max(0, self.recipients - done - self.skipped)

    @property
    def test(self) -> bool:
        return self.mode == "test"


def make_send_id(issue_name: str, lists: Iterable[str], mode: str, backend: str) -> str:
    """The same issue, lists, mode and backend always give the same id (so re-runs resume)."""
    names = sorted(set(lists))
    digest = hashlib.sha256(json.dumps([issue_name, names, mode, backend]).encode()).hexdigest()
    label = "+".join(names)
    if len(label) > 40:
        label = label[:40].rstrip("+-")
    tail = ("" if mode == "live" else f"-{mode}") + ("-outbox" if backend == "outbox" else "")
    raw = f"{issue_name}--{label}{tail}-{digest[:6]}"
    return re.sub(r"[^A-Za-z0-9+._-]+", "-", raw)


def make_test_send_id(issue_name: str, addresses: Iterable[str], now: datetime) -> str:
    """A test send gets a fresh id each time: it never counts as sending to a list."""
    digest = hashlib.sha256(json.dumps([issue_name, sorted(addresses)]).encode()).hexdigest()
    return f"{issue_name}--test-{now:%Y%m%d-%H%M%S}-{digest[:4]}"


def file_sha(path: Path | None) -> str:
    if path is None or not Path(path).is_file():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def parse_at(text: str, now: datetime) -> datetime:
    """'2025-10-01 09:00' (London time) or ISO with offset; at most 72 hours ahead."""
    value = text.strip()
    try:
        when = datetime.fromisoformat(value.replace(" ", "T", 1) if " " in value else value)
    except ValueError:
        raise InputError(
            f"--at {text!r}: write a date and time as YYYY-MM-DD HH:MM (UK time)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=LONDON)
    if when <= now:
        raise InputError(f"--at {text!r} is in the past")
    if when - now > MAX_SCHEDULE_AHEAD:
        raise InputError(f"--at {text!r} is more than 72 hours ahead; SendGrid cannot schedule it")
    return when


def find_issue(project: Project, ref: str) -> Path:
    """An issue file given as a path, or as a name in issues/."""
    path = Path(ref)
    if path.is_file():
        return path
    for candidate in (project.issues_dir / ref, project.issues_dir / f"{ref}.yaml"):
        if candidate.is_file():
            return candidate
    raise InputError("no such issue file", path=ref, hint="give the path of an issue .yaml file")


def group_by_audience(
    issue: Issue, contacts: Iterable[Contact], keys_of: Callable[[Contact], frozenset[str]]
) -> dict[tuple[int, ...], tuple[frozenset[str], list[Contact]]]:
    """Contacts grouped by which blocks they see: {visible block numbers: (keys, contacts)}."""
    groups: dict[tuple[int, ...], tuple[frozenset[str], list[Contact]]] = {}
    for contact in contacts:
        keys = keys_of(contact)
        visible = tuple(
            i for i, b in enumerate(issue.blocks) if not b.only_for or keys & set(b.only_for)
        )
        groups.setdefault(visible, (keys, []))[1].append(contact)
    return groups


def _check_links(issue: Issue, project: Project, path: Path, shown: int = 5) -> list[str]:
    """Try every link; raise CheckFailed for a broken one, return the warnings."""
    report = check_links(issue, project)
    if report.errors:
        first = report.errors[0]
        raise CheckFailed(
            f"{len(report.errors)} link(s) do not work; nothing was sent (first: {first.message})",
            path=first.path or path,
            line=first.line,
            hint=f"run 'newsletter check {path} --links' to see them all "
            "(--no-link-check sends without trying the links)",
        )
    lines = [f"link: {w.message}" for w in report.warnings[:shown]]
    if len(report.warnings) > shown:
        lines.append(f"... and {len(report.warnings) - shown} more: newsletter check --links")
    return lines


def prepare_send(
    project: Project,
    issue_ref: str,
    lists: Sequence[str] = (),
    *,
    test_to: Sequence[str] = (),
    backend: str | None = None,
    at: str | None = None,
    sandbox: bool = False,
    resend_uncertain: bool = False,
    allow_repeat: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    link_check: bool = False,
) -> SendPlan:
    """Check, resolve and render; change nothing. Raises if the send must not happen.

    ``link_check``: for a send to lists (not a test or sandbox send), try every link
    first (see newsletter_cli.links); a broken one stops the send.
    """
    now = now or datetime.now(LONDON)
    config = load_config(project)
    backend_name = backend or config.delivery.backend
    if backend_name not in ("outbox", "sendgrid", "smtp"):
        raise ConfigError(f"unknown backend {backend_name!r}; use outbox, sendgrid or smtp")
    sandbox = sandbox or (backend_name == "sendgrid" and config.sendgrid.sandbox)
    if sandbox and backend_name != "sendgrid":
        raise Refused(f"--sandbox is SendGrid's sandbox mode; the {backend_name} backend has none",
                      hint="add --backend sendgrid, or leave out --sandbox")  # fmt: skip
    send_at = parse_at(at, now) if at else None
    if send_at is not None and backend_name != "sendgrid":
        raise Refused(f"the {backend_name} backend cannot schedule a send (--at)",
                      hint="add --backend sendgrid to schedule, or leave out --at")  # fmt: skip
    if test_to and lists:
        raise InputError("give either --test-to or --list, not both",
                         hint="send the test first, then the real send")  # fmt: skip
    if not test_to and not lists:
        raise InputError("no list given: add --list NAME (or --test-to ADDRESS for a test)")

    path = find_issue(project, issue_ref)
    issue = load_issue(path)
    # Dates are compared with the day the email goes: today, or the --at day.
    day = (send_at or now).astimezone(LONDON).date()
    report = run_checks(issue, project, today=day, test_send=bool(test_to))
    if not report.ok:
        first = report.errors[0]
        raise CheckFailed(
            f"the issue has {len(report.errors)} check error(s); nothing was sent "
            f"(first: {first.message})",
            path=path,
            line=getattr(first, "line", None),
            hint=f"run 'newsletter check {path}' and fix them",
        )

    warnings: list[str] = []
    if backend_name == "sendgrid":
        api_host()
        if dry_run:
            if not os.environ.get(API_KEY_ENV, "").strip():
                warnings.append(f"{API_KEY_ENV} is not set: a real send would stop")
        else:
            api_key()
        unsubscribe_group(project, config)
    smtp = None
    if backend_name == "smtp":
        smtp, problem = smtp_preflight(project, config, dry_run)
        warnings.extend([problem] if problem else [])

    suppressed: list[Contact] = []
    lists_of: dict[str, tuple[str, ...]] = {}
    left_out: list[Problem] = []
    if test_to:
        stale = [f for f in date_findings(issue, day) if f.severity == "error"]
        warnings.extend(f"{f.message}: a live send would be refused" for f in stale)
        addresses = []
        for raw in test_to:
            address = normalise(raw)
            problem = address_problem(address)
            if problem:
                raise InputError(f"--test-to {raw!r}: {problem}")
            addresses.append(address)
        addresses = list(dict.fromkeys(addresses))
        email = render_email(issue, project, audience=None, recipient=TOKENS, test=True)
        variants = [Variant("test", email, [Contact(email=a) for a in addresses])]
        mode = "test"
        names = tuple(addresses)
        send_id = make_test_send_id(issue.name, addresses, now)
    else:
        roster = load_roster(project)
        refuse_unreadable_suppressions(roster)
        resolution = roster.resolve(list(lists))
        names = tuple(resolution.names)
        suppressed = list(resolution.suppressed)
        for contact in (*resolution.members, *suppressed):
            on = roster.lists_of(contact)
            lists_of[contact.email] = tuple(n for n in names if n in on)
        groups = group_by_audience(issue, resolution.members, roster.audience_keys)
        variants = []
        for visible, (keys, contacts) in groups.items():
            email = render_email(issue, project, audience=keys, recipient=TOKENS)
            label = "blocks " + ",".join(str(i + 1) for i in visible)
            variants.append(Variant(label, email, contacts))
        mode = "sandbox" if sandbox else "live"
        send_id = make_send_id(issue.name, names, mode, backend_name)
        if not resolution.members:
            warnings.append("the lists have nobody to send to")
        left_out = problems_affecting(roster, names)
        warnings.extend(describe(left_out))

    subject = variants[0].email.subject if variants else issue.subject
    sha = file_sha(path)
    prior = look_back(
        project, send_id=send_id, issue=issue.name, issue_sha=sha,
        emails=(c.email for v in variants for c in v.contacts), mode=mode,
        delivers=backend_delivers(backend_name),
    )  # fmt: skip
    if mode == "live" and not prior.tested and backend_name != "outbox":
        warnings.append("no test send of this issue yet: try --test-to YOUR-ADDRESS first")
    if mode == "live" and backend_name == "sendgrid":
        warnings.extend(w for w in [stale_warning(project, now.timestamp())] if w)
    if prior.issue_changed and prior.previous.get(Status.ACCEPTED):
        warnings.append(
            "the issue file changed since this send started: people still to get it will "
            "receive the new version"
        )
    if link_check and mode == "live":  # last: the slow part, once everything else holds
        warnings.extend(_check_links(issue, project, path))
    plan = SendPlan(
        send_id=send_id,
        issue=issue,
        issue_sha=sha,
        lists=names,
        mode=mode,
        backend=backend_name,
        subject=subject,
        variants=variants,
        suppressed=suppressed,
        send_at=send_at,
        previous=prior.previous,
        accepted_before=prior.accepted_before,
        uncertain_before=prior.uncertain_before,
        issue_changed=prior.issue_changed,
        resend_uncertain=resend_uncertain,
        warnings=warnings,
        sender=f"{config.sender.from_name} <{config.sender.from_email}>".strip(),
        reply_to=config.sender.reply_to or config.sender.from_email,
        received=prior.received,
        allow_repeat=allow_repeat,
        lists_of=lists_of,
        left_out=left_out,
    )
    if smtp is not None:
        sent = smtp_sent_since(project, now.timestamp() - DAY)
        plan.backend_label, notes = plan_notes(smtp, plan.to_send, sent)
        plan.warnings.extend(notes)
    return plan


def find_send_id(
    project: Project,
    issue_ref: str,
    lists: Sequence[str],
    *,
    backend: str | None = None,
    sandbox: bool = False,
) -> str:
    """The id ``send ISSUE --list ...`` has, without checking or rendering anything."""
    if not lists:
        raise InputError("no list given: add --list NAME (the lists of the send to look at)")
    config = load_config(project)
    backend_name = backend or config.delivery.backend
    sandbox = sandbox or (backend_name == "sendgrid" and config.sendgrid.sandbox)
    issue = load_issue(find_issue(project, issue_ref))
    names = load_roster(project).resolve(list(lists)).names
    return make_send_id(issue.name, names, "sandbox" if sandbox else "live", backend_name)

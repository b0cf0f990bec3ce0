"""Sending an issue: plan (resolve, render, count), confirm, deliver, resume.

:func:`prepare_send` does everything that changes nothing (the dry run and the
confirmation screen use it); :func:`run_send` delivers. :func:`deliver` is the
core, independent of files: rendered variants and contacts in, journal updated
batch by batch, so a re-run of the same send resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from newsletter_cli.delivery.base import (
    SENDABLE,
    Backend,
    BatchResult,
    Outcome,
    SendContext,
    Status,
)
from newsletter_cli.delivery.journal import Journal, SendRecord
from newsletter_cli.delivery.lock import send_lock
from newsletter_cli.errors import (
    CheckFailed,
    ConfigError,
    DeliveryError,
    InputError,
    NewsletterError,
    Refused,
)
from newsletter_cli.recipients.contact import Contact

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.delivery.sendgrid_backend import RetryPolicy
    from newsletter_cli.issue import Issue
    from newsletter_cli.project import Project
    from newsletter_cli.render import RenderedEmail

LONDON = ZoneInfo("Europe/London")
MAX_SCHEDULE_AHEAD = timedelta(hours=72)
#: SendGrid cannot reliably cancel a scheduled send less than 10 minutes before it goes.
CANCEL_MARGIN = timedelta(minutes=10)
#: Stop after this many batches in a row came back uncertain (SendGrid not answering).
UNCERTAIN_BATCHES_IN_A_ROW = 3
API_KEY_ENV = "SENDGRID_API_KEY"
API_HOST_ENV = "SENDGRID_API_HOST"
_KEY_SHAPE = re.compile(r"^[\x21-\x7e]+$")


@dataclass
class Variant:
    """One rendering of the issue and the contacts who get exactly that version."""

    key: str
    email: RenderedEmail
    contacts: list[Contact]


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

    @property
    def recipients(self) -> int:
        return sum(len(v.contacts) for v in self.variants)

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
        return max(0, self.recipients - done)

    @property
    def test(self) -> bool:
        return self.mode == "test"


@dataclass
class RunResult:
    """What one run did, and where the whole send stands afterwards."""

    send_id: str
    backend: str
    delivers: bool
    this_run: Counter[Status]
    totals: Counter[Status]
    requests: int = 0
    recovered: int = 0  # in-flight recipients of a crashed run, now uncertain
    stopped: NewsletterError | None = None
    folder: Path | None = None  # the outbox folder, for the outbox backend

    @property
    def complete(self) -> bool:
        """True when nobody is left to send to (uncertain ones aside)."""
        return self.stopped is None and not any(self.totals.get(s, 0) for s in SENDABLE)


# -- the core ---------------------------------------------------------------------------------


def deliver(
    journal: Journal,
    backend: Backend,
    context: SendContext,
    variants: Sequence[Variant],
    *,
    resend_uncertain: bool = False,
    batch_size: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    address_problem: Callable[[str], str | None] | None = None,
) -> RunResult:
    """Send each variant to its contacts not yet accepted, recording every step.

    The send must already exist in the journal (:meth:`Journal.open_send`).
    ``on_progress(done, total)`` is called after each batch.
    """
    send_id = context.send_id
    recovered = journal.recover_in_flight(send_id)
    size = max(1, min(batch_size or backend.max_batch, backend.max_batch))
    sendable = set(SENDABLE) | ({Status.UNCERTAIN} if resend_uncertain else set())

    seen: set[str] = set()
    plan: list[tuple[RenderedEmail, list[Contact]]] = []
    invalid: list[tuple[str, Status, str | None]] = []
    for variant in variants:
        keep = []
        for contact in variant.contacts:
            if contact.email in seen:
                continue  # one copy each, even if a contact is in two variants by mistake
            seen.add(contact.email)
            problem = address_problem(contact.email) if address_problem else None
            if problem:
                invalid.append((contact.email, Status.INVALID, problem))
            else:
                keep.append(contact)
        plan.append((variant.email, keep))
    this_run: Counter[Status] = Counter()
    if invalid:
        journal.set_new(send_id, invalid)
        this_run[Status.INVALID] = len(invalid)
    journal.enqueue(send_id, (c.email for _, contacts in plan for c in contacts))
    statuses = journal.statuses(send_id)
    work = [
        (email, [c for c in contacts if statuses.get(c.email) in sendable])
        for email, contacts in plan
    ]
    total = sum(len(contacts) for _, contacts in work)
    done = 0
    requests = 0
    stopped: NewsletterError | None = None
    uncertain_in_a_row = 0
    if on_progress:
        on_progress(0, total)
    for email, contacts in work:
        for start in range(0, len(contacts), size):
            batch = contacts[start : start + size]
            result = _send_one_batch(journal, backend, context, email, batch, sendable)
            requests += result.requests
            this_run.update(o.status for o in result.outcomes)
            done += len(batch)
            if on_progress:
                on_progress(done, total)
            if result.outcomes and all(o.status is Status.UNCERTAIN for o in result.outcomes):
                uncertain_in_a_row += 1
            else:
                uncertain_in_a_row = 0
            if result.stop is None and uncertain_in_a_row >= UNCERTAIN_BATCHES_IN_A_ROW:
                result.stop = DeliveryError(
                    f"{uncertain_in_a_row} requests in a row got no answer; stopped",
                    hint="check the network, then run the same command again to resume",
                )
            if result.stop is not None:
                stopped = result.stop
                break
        if stopped is not None:
            break
    totals = journal.counts(send_id)
    if stopped is None and not any(totals.get(s, 0) for s in SENDABLE | {Status.UNCERTAIN}):
        journal.update_send(send_id, state="done")
    return RunResult(
        send_id, backend.name, backend.delivers, this_run, totals, requests, recovered, stopped
    )


def _send_one_batch(
    journal: Journal,
    backend: Backend,
    context: SendContext,
    email: RenderedEmail,
    batch: list[Contact],
    sendable: set[Status],
) -> BatchResult:
    """Mark the batch in flight, send it, record what came back. Commit at each step."""
    emails = [c.email for c in batch]
    journal.set_status(context.send_id, emails, Status.SENDING, only_from=sendable)
    try:
        result = backend.send_batch(email, batch, context)
    except BaseException:
        # Interrupted or broken mid-batch: if the backend could have delivered, we
        # cannot know whether it did. Never guess "not sent".
        fallback = Status.UNCERTAIN if backend.delivers else Status.QUEUED
        journal.set_status(
            context.send_id, emails, fallback,
            reason="interrupted while this batch was being sent",
            only_from=[Status.SENDING],
        )  # fmt: skip
        raise
    answered = {o.email for o in result.outcomes}
    missing = [
        Outcome(e, Status.UNCERTAIN, reason="the backend gave no outcome")
        for e in emails
        if e not in answered
    ]
    result.outcomes += missing
    journal.record(context.send_id, result.outcomes)
    return result


# -- ids, hashing, time -----------------------------------------------------------------------


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


# -- backends -------------------------------------------------------------------------------


def api_key() -> str:
    """The SendGrid API key from the environment, checked for shape (never echoed)."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise ConfigError(
            f"{API_KEY_ENV} is not set",
            hint=f"set {API_KEY_ENV} in the environment to send through SendGrid, "
            "or use --backend outbox to write the emails to files",
        )
    if not _KEY_SHAPE.match(key):
        raise ConfigError(f"{API_KEY_ENV} contains spaces or unusual characters; check it")
    return key


def make_backend(
    name: str,
    project: Project,
    config: Config,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Backend:
    """The backend called ``name`` ("outbox" or "sendgrid"), set up from the config."""
    sender = config.sender
    if name == "outbox":
        from newsletter_cli.delivery.outbox import OutboxBackend

        return OutboxBackend(
            project.outbox_dir,
            from_email=sender.from_email,
            from_name=sender.from_name,
            reply_to=sender.reply_to,
        )
    if name != "sendgrid":
        raise ConfigError(f"unknown backend {name!r}; use outbox or sendgrid")
    key = api_key()
    group = _unsubscribe_group(project, config)
    from newsletter_cli.delivery.sendgrid_backend import SendGridBackend
    from newsletter_cli.delivery.sendgrid_body import Envelope

    envelope = Envelope(
        from_email=sender.from_email,
        from_name=sender.from_name,
        reply_to=sender.reply_to,
        unsubscribe_group=group,
        categories=tuple(config.sendgrid.categories),
    )
    extra = {"sleep": sleep} if sleep is not None else {}
    return SendGridBackend(
        key, envelope, host=os.environ.get(API_HOST_ENV) or None, policy=policy, **extra
    )


def _unsubscribe_group(project: Project, config: Config) -> int:
    group = config.sendgrid.unsubscribe_group
    if group is None:
        raise ConfigError(
            "no SendGrid unsubscribe group: every email needs a working unsubscribe link",
            path=project.config_path.name,
            hint="add 'unsubscribe_group = <id>' under [sendgrid] "
            "(SendGrid: Suppressions > Unsubscribe Groups)",
        )
    return group


# -- planning -------------------------------------------------------------------------------


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


def _left_out(roster: Any, names: Sequence[str], shown: int = 10) -> list[str]:
    """Rows that might belong on these lists but were left out: never skipped in silence."""
    found = {p for name in names for p in roster.problems_for(name) if p.severity == "error"}
    ordered = sorted(found, key=lambda p: (p.path, p.line or 0))
    lines = [f"left out, may belong on these lists: {p}" for p in ordered[:shown]]
    if len(ordered) > shown:
        lines.append(f"... and {len(ordered) - shown} more: see newsletter lists check")
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
    dry_run: bool = False,
    now: datetime | None = None,
) -> SendPlan:
    """Check, resolve and render; change nothing. Raises if the send must not happen."""
    from newsletter_cli.checks import run_checks
    from newsletter_cli.config import load_config
    from newsletter_cli.issue import load_issue
    from newsletter_cli.recipients.addresses import address_problem, normalise
    from newsletter_cli.render import TOKENS, render_email

    now = now or datetime.now(LONDON)
    config = load_config(project)
    backend_name = backend or config.delivery.backend
    if backend_name not in ("outbox", "sendgrid"):
        raise ConfigError(f"unknown backend {backend_name!r}; use outbox or sendgrid")
    sandbox = sandbox or (backend_name == "sendgrid" and config.sendgrid.sandbox)
    if sandbox and backend_name != "sendgrid":
        raise Refused("--sandbox is SendGrid's sandbox mode; the outbox backend has none",
                      hint="add --backend sendgrid, or leave out --sandbox")  # fmt: skip
    send_at = parse_at(at, now) if at else None
    if send_at is not None and backend_name != "sendgrid":
        raise Refused("the outbox backend cannot schedule a send (--at)",
                      hint="add --backend sendgrid to schedule, or leave out --at")  # fmt: skip
    if test_to and lists:
        raise InputError("give either --test-to or --list, not both",
                         hint="send the test first, then the real send")  # fmt: skip
    if not test_to and not lists:
        raise InputError("no list given: add --list NAME (or --test-to ADDRESS for a test)")

    path = find_issue(project, issue_ref)
    issue = load_issue(path)
    report = run_checks(issue, project)
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
        if dry_run:
            if not os.environ.get(API_KEY_ENV, "").strip():
                warnings.append(f"{API_KEY_ENV} is not set: a real send would stop")
        else:
            api_key()
        _unsubscribe_group(project, config)

    suppressed: list[Contact] = []
    if test_to:
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
        from newsletter_cli.recipients.roster import load_roster

        roster = load_roster(project)
        resolution = roster.resolve(list(lists))
        names = tuple(resolution.names)
        suppressed = list(resolution.suppressed)
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
        warnings.extend(_left_out(roster, names))

    subject = variants[0].email.subject if variants else issue.subject
    sha = file_sha(path)
    previous: Counter[Status] = Counter()
    changed = False
    tested = False
    accepted_before = uncertain_before = 0
    journal = Journal.open_existing(project.journal_path)
    if journal is not None:
        with journal:
            record = journal.get_send(send_id)
            if record is not None:
                previous = journal.counts(send_id)
                changed = bool(record.issue_sha) and record.issue_sha != sha
                known = journal.statuses(send_id)
                mine = Counter(known.get(c.email) for v in variants for c in v.contacts)
                accepted_before = mine[Status.ACCEPTED]
                uncertain_before = mine[Status.UNCERTAIN] + mine[Status.SENDING]
            tested = any(r.mode == "test" and r.issue == issue.name for r in journal.sends())
    if mode == "live" and not tested and backend_name == "sendgrid":
        warnings.append("no test send of this issue yet: try --test-to YOUR-ADDRESS first")
    if changed and previous.get(Status.ACCEPTED):
        warnings.append(
            "the issue file changed since this send started: people still to get it will "
            "receive the new version"
        )
    return SendPlan(
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
        previous=previous,
        accepted_before=accepted_before,
        uncertain_before=uncertain_before,
        issue_changed=changed,
        resend_uncertain=resend_uncertain,
        warnings=warnings,
    )


def run_send(
    project: Project,
    plan: SendPlan,
    *,
    backend: Backend | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Deliver a prepared plan, journalled; resumes if the same send ran before."""
    from newsletter_cli.config import load_config
    from newsletter_cli.recipients.addresses import address_problem

    if backend is None:
        backend = make_backend(plan.backend, project, load_config(project))
    with send_lock(project.state_dir, plan.send_id), Journal(project.journal_path) as journal:
        record = journal.open_send(
            plan.send_id,
            issue=plan.issue.name,
            lists=plan.lists,
            mode=plan.mode,
            backend=plan.backend,
            subject=plan.subject,
            issue_sha=plan.issue_sha,
        )
        send_at = batch_id = None
        if plan.send_at is not None:
            send_at = int(plan.send_at.timestamp())
            batch_id = record.batch_id
            if batch_id is None:
                batch_id = backend.schedule()
            journal.update_send(plan.send_id, send_at=send_at, batch_id=batch_id, state="open")
        if plan.suppressed:
            journal.set_new(
                plan.send_id, [(c.email, Status.SUPPRESSED, None) for c in plan.suppressed]
            )
        context = SendContext(
            send_id=plan.send_id,
            issue_name=plan.issue.name,
            test=plan.test,
            sandbox=plan.mode == "sandbox",
            send_at=send_at,
            batch_id=batch_id,
        )
        result = deliver(
            journal,
            backend,
            context,
            plan.variants,
            resend_uncertain=plan.resend_uncertain,
            on_progress=on_progress,
            address_problem=address_problem,
        )
    if plan.suppressed:
        result.this_run[Status.SUPPRESSED] = len(plan.suppressed)
    if plan.backend == "outbox":
        result.folder = project.outbox_dir / plan.send_id
    return result


# -- after the send ---------------------------------------------------------------------------


@dataclass
class SendHistory:
    record: SendRecord
    counts: Counter[Status]


def history(project: Project) -> list[SendHistory]:
    """Every send in the journal with its counts, oldest first."""
    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        return []
    with journal:
        return [SendHistory(r, journal.counts(r.id)) for r in journal.sends()]


def send_details(project: Project, send_id: str):
    """One send: its record, counts and the recipients that did not get it (with reasons)."""
    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        raise _no_send(send_id)
    with journal:
        record = journal.get_send(send_id) or _match_prefix(journal, send_id)
        problems = journal.recipients(
            record.id,
            [Status.FAILED, Status.UNCERTAIN, Status.SENDING, Status.INVALID, Status.QUEUED],
        )
        return SendHistory(record, journal.counts(record.id)), problems


def _no_send(send_id: str) -> NewsletterError:
    from newsletter_cli.errors import UnknownNameError

    return UnknownNameError(
        f"no send with id {send_id!r}", hint="'newsletter history' lists the sends"
    )


def _match_prefix(journal: Journal, send_id: str) -> SendRecord:
    found = [r for r in journal.sends() if r.id.startswith(send_id)]
    if len(found) != 1:
        raise _no_send(send_id)
    return found[0]


def cancel_send(
    project: Project, send_id: str, *, backend: Backend | None = None, now: float | None = None
) -> tuple[SendRecord, int]:
    """Cancel a scheduled send not yet gone; its recipients become ``cancelled``."""
    from newsletter_cli.config import load_config

    journal = Journal.open_existing(project.journal_path)
    if journal is None:
        raise _no_send(send_id)
    with journal:
        record = journal.get_send(send_id) or _match_prefix(journal, send_id)
        if not record.batch_id or record.send_at is None:
            raise Refused(
                f"send {record.id} was not scheduled (--at): what was sent cannot be called back"
            )
        now = time.time() if now is None else now
        if record.send_at - now < CANCEL_MARGIN.total_seconds():
            raise Refused(
                f"send {record.id} goes (or went) at "
                f"{datetime.fromtimestamp(record.send_at, LONDON):%Y-%m-%d %H:%M}; "
                "SendGrid cannot cancel less than 10 minutes before"
            )
        with send_lock(project.state_dir, record.id):
            if backend is None:
                backend = make_backend(record.backend, project, load_config(project))
            backend.cancel(record.batch_id)
            accepted = [r.email for r in journal.recipients(record.id, [Status.ACCEPTED])]
            journal.set_status(
                record.id, accepted, Status.CANCELLED,
                reason="scheduled send cancelled", only_from=[Status.ACCEPTED],
            )  # fmt: skip
            journal.update_send(record.id, state="cancelled", batch_id=None, send_at=None)
        return record, len(accepted)

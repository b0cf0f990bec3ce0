"""Planning a send: check, resolve the lists, render each audience's version, count.

:func:`prepare_send` changes nothing: the dry run and the confirmation screen use it.
It takes the command's :class:`~newsletter_cli.delivery.request.SendRequest` and the
:class:`~newsletter_cli.environment.Environment` (settings read once), and goes in steps:
validate the request, check the issue, the backend's pre-flight check, resolve the
recipients and render their versions, look back in the journal.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.checks import run_checks
from newsletter_cli.delivery.backends.base import Backend, Readiness, Status
from newsletter_cli.delivery.backends.registry import backend_class
from newsletter_cli.delivery.deliver import Variant
from newsletter_cli.delivery.prior import Prior, look_back
from newsletter_cli.delivery.schedule import Choice, held_until, parse_at
from newsletter_cli.delivery.versions import (
    Audience,
    list_audience,
    make_send_id,
    test_audience,
)
from newsletter_cli.errors import CheckFailed, InputError
from newsletter_cli.links.check import check_links
from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import find_issue as find_issue_file
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.roster import load_roster

if TYPE_CHECKING:
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.environment import Environment
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project


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
    #: True when the send is held in the journal until ``send --due`` hands it over
    #: (``--at`` beyond what the backend itself can schedule).
    held: bool = False
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
    def backend_class(self) -> type[Backend]:
        """What the plan's backend can do (asked of its class, never by its name)."""
        return backend_class(self.backend)

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


def file_sha(path: Path | None) -> str:
    if path is None or not Path(path).is_file():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def find_issue(project: Project, ref: str) -> Path:
    """An issue file given as a path, or as a short name in issues/ (see project.find_issue)."""
    return find_issue_file(ref, project)


def _check_links(
    env: Environment, issue: Issue, path: Path, *, fresh: bool = False, shown: int = 5
) -> list[str]:
    """Try every link; raise CheckFailed for a broken one, return the warnings."""
    report = check_links(issue, env.project, config=env.config, now=env.now().timestamp(),
                         fresh=fresh)  # fmt: skip
    if report.errors:
        first = report.errors[0]
        raise CheckFailed(
            f"{len(report.errors)} link(s) do not work; nothing was sent (first: {first.message})",
            path=first.path or path,
            line=first.line,
            hint=f"run 'newsletter check {path}' to see them all "
            "(--no-link-check sends without trying the links)",
        )
    lines = [f"link: {w.message}" for w in report.warnings[:shown]]
    if len(report.warnings) > shown:
        lines.append(f"... and {len(report.warnings) - shown} more: newsletter check ISSUE")
    return lines


def validate(env: Environment, request: SendRequest) -> Choice:
    """The backend and options the request asks for, refused when they do not go together."""
    now = env.now()
    backend = backend_class(request.backend or env.config.delivery.backend)
    sandbox = request.sandbox or backend.sandbox_default(env.config)
    backend.refuse_unsupported(sandbox=sandbox, scheduled=False)
    send_at = parse_at(request.at, now) if request.at else None
    held = held_until(backend, send_at, now)
    backend.refuse_unsupported(sandbox=False, scheduled=send_at is not None and not held)
    if held and request.test_to:
        raise InputError(
            "a test send goes now: leave out --at with --test-to",
            hint="schedule the send to the lists once the test looks right",
        )
    if request.test_to and request.lists:
        raise InputError("give either --test-to or --list, not both",
                         hint="send the test first, then the real send")  # fmt: skip
    if not request.test_to and not request.lists:
        raise InputError("no list given: add --list NAME (or --test-to ADDRESS for a test)")
    return Choice(backend, sandbox, send_at, now, held)


def checked_issue(env: Environment, request: SendRequest, day: date) -> tuple[Issue, Path]:
    """The issue file, loaded and checked as it would be sent on ``day``."""
    path = find_issue(env.project, request.issue)
    issue = load_issue(path)
    report = run_checks(issue, env.project, today=day, test_send=request.test, config=env.config)
    if not report.ok:
        first = report.errors[0]
        raise CheckFailed(
            f"the issue has {len(report.errors)} check error(s); nothing was sent "
            f"(first: {first.message})",
            path=path,
            line=getattr(first, "line", None),
            hint=f"run 'newsletter check {path}' and fix them",
        )
    return issue, path


def look_back_at(
    env: Environment, issue: Issue, sha: str, audience: Audience, backend: type[Backend]
) -> tuple[Prior, list[str]]:
    """What the journal says about this send and the issue's other sends, and warnings."""
    prior = look_back(
        env.project, send_id=audience.send_id, issue=issue.name, issue_sha=sha,
        emails=(c.email for v in audience.variants for c in v.contacts), mode=audience.mode,
        delivers=backend.delivers, config=env.config,
    )  # fmt: skip
    warnings = []
    if audience.mode == "live" and not prior.tested and backend.delivers:
        warnings.append("no test send of this issue yet: try --test-to YOUR-ADDRESS first")
    if prior.issue_changed and prior.previous.get(Status.ACCEPTED):
        warnings.append(
            "the issue file changed since this send started: people still to get it will "
            "receive the new version"
        )
    return prior, warnings


def prepare_send(env: Environment, request: SendRequest) -> SendPlan:
    """Check, resolve and render; change nothing. Raises if the send must not happen.

    ``request.link_check``: for a send to lists (not a test or sandbox send), try every
    link first (see newsletter_cli.links); a broken one stops the send.
    """
    choice = validate(env, request)
    issue, path = checked_issue(env, request, choice.day)
    ready: Readiness = choice.backend.preflight(env.project, env.config, dry_run=request.dry_run)
    pick = test_audience if request.test else list_audience
    audience = pick(env, request, issue, choice)
    sha = file_sha(path)
    prior, seen = look_back_at(env, issue, sha, audience, choice.backend)
    warnings = [*ready.warnings, *audience.warnings, *seen]
    if request.link_check and audience.mode == "live":  # last: the slow part
        warnings.extend(_check_links(env, issue, path, fresh=request.fresh_links))
    plan = _plan(env, request, choice, issue, audience, prior, sha, warnings)
    plan.backend_label, notes = choice.backend.describe(
        env.project, env.config, ready, mode=plan.mode, to_send=plan.to_send,
        now=choice.now.timestamp(),
    )  # fmt: skip
    plan.warnings.extend(notes)
    return plan


def _plan(
    env: Environment, request: SendRequest, choice: Choice, issue: Issue, audience: Audience,
    prior: Prior, sha: str, warnings: list[str],
) -> SendPlan:  # fmt: skip
    """The steps' findings, put together for the confirmation screen and the send."""
    sender = env.config.sender
    variants = audience.variants
    return SendPlan(
        send_id=audience.send_id,
        issue=issue,
        issue_sha=sha,
        lists=audience.names,
        mode=audience.mode,
        backend=choice.backend.name,
        subject=variants[0].email.subject if variants else issue.subject,
        variants=variants,
        suppressed=audience.suppressed,
        send_at=choice.send_at,
        held=choice.held,
        previous=prior.previous,
        accepted_before=prior.accepted_before,
        uncertain_before=prior.uncertain_before,
        issue_changed=prior.issue_changed,
        resend_uncertain=request.resend_uncertain,
        warnings=warnings,
        sender=f"{sender.from_name} <{sender.from_email}>".strip(),
        reply_to=sender.reply_to or sender.from_email,
        received=prior.received,
        allow_repeat=request.allow_repeat,
        lists_of=audience.lists_of,
        left_out=audience.left_out,
    )


def find_send_id(env: Environment, request: SendRequest) -> str:
    """The id ``send ISSUE --list ...`` has, without checking or rendering anything."""
    if not request.lists:
        raise InputError("no list given: add --list NAME (the lists of the send to look at)")
    backend = backend_class(request.backend or env.config.delivery.backend)
    sandbox = request.sandbox or backend.sandbox_default(env.config)
    issue = load_issue(find_issue(env.project, request.issue))
    names = load_roster(env.project).resolve(list(request.lists)).names
    return make_send_id(issue.name, names, "sandbox" if sandbox else "live", backend.name)

"""Who gets which version: the recipients resolved, grouped by audience, each rendered.

A send to lists gets one rendering per audience and lists (:func:`list_audience`); a test
send one version with every block (:func:`test_audience`). The send id comes from here too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from newsletter_cli.checks.dates import date_findings
from newsletter_cli.delivery.backends.registry import backend_class
from newsletter_cli.delivery.deliver import Variant
from newsletter_cli.errors import InputError
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
    from newsletter_cli.delivery.request import SendRequest
    from newsletter_cli.delivery.schedule import Choice
    from newsletter_cli.environment import Environment
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.recipients.roster import Roster


def make_send_id(issue_name: str, lists: Iterable[str], mode: str, backend: str) -> str:
    """The same issue, lists, mode and backend always give the same id (so re-runs resume)."""
    names = sorted(set(lists))
    digest = hashlib.sha256(json.dumps([issue_name, names, mode, backend]).encode()).hexdigest()
    label = "+".join(names)
    if len(label) > 40:
        label = label[:40].rstrip("+-")
    tail = ("" if mode == "live" else f"-{mode}") + backend_class(backend).send_id_tail
    raw = f"{issue_name}--{label}{tail}-{digest[:6]}"
    return re.sub(r"[^A-Za-z0-9+._-]+", "-", raw)


def make_test_send_id(issue_name: str, addresses: Iterable[str], now: datetime) -> str:
    """A test send gets a fresh id each time: it never counts as sending to a list."""
    digest = hashlib.sha256(json.dumps([issue_name, sorted(addresses)]).encode()).hexdigest()
    return f"{issue_name}--test-{now:%Y%m%d-%H%M%S}-{digest[:4]}"


def group_by_audience(
    issue: Issue,
    contacts: Iterable[Contact],
    keys_of: Callable[[Contact], frozenset[str]],
    lists_of: Callable[[Contact], tuple[str, ...]] = lambda contact: (),
) -> dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[frozenset[str], list[Contact]]]:
    """Contacts grouped by which blocks they see and which of the sent-to lists they are on
    (the footer names those): {(visible block numbers, lists): (keys, contacts)}."""
    groups: dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[frozenset[str], list[Contact]]]
    groups = {}
    for contact in contacts:
        keys = keys_of(contact)
        visible = tuple(
            i for i, b in enumerate(issue.blocks) if not b.only_for or keys & set(b.only_for)
        )
        groups.setdefault((visible, lists_of(contact)), (keys, []))[1].append(contact)
    return groups


@dataclass
class Audience:
    """Who gets which version: the resolved recipients, rendered."""

    mode: str  # live | sandbox | test
    send_id: str
    names: tuple[str, ...]
    variants: list[Variant]
    suppressed: list[Contact] = field(default_factory=list)
    lists_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    left_out: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def test_audience(env: Environment, request: SendRequest, issue: Issue, choice: Choice) -> Audience:
    """A test send: the typed addresses, one version with every block, '[TEST]' subject."""
    stale = [f for f in date_findings(issue, choice.day) if f.severity == "error"]
    addresses = []
    for raw in request.test_to:
        address = normalise(raw)
        problem = address_problem(address)
        if problem:
            raise InputError(f"--test-to {raw!r}: {problem}")
        addresses.append(address)
    addresses = list(dict.fromkeys(addresses))
    email = render_email(issue, env.project, audience=None, recipient=TOKENS, test=True,
                         config=env.config)  # fmt: skip
    return Audience(
        mode="test",
        send_id=make_test_send_id(issue.name, addresses, choice.now),
        names=tuple(addresses),
        variants=[Variant("test", email, [Contact(email=a) for a in addresses])],
        warnings=[f"{f.message}: a live send would be refused" for f in stale],
    )


def list_audience(env: Environment, request: SendRequest, issue: Issue, choice: Choice) -> Audience:
    """A send to lists: members resolved (suppression wins), one version per audience."""
    roster = load_roster(env.project)
    refuse_unreadable_suppressions(roster)
    resolution = roster.resolve(list(request.lists))
    names = tuple(resolution.names)
    lists_of = {}
    for contact in (*resolution.members, *resolution.suppressed):
        on = roster.lists_of(contact)
        lists_of[contact.email] = tuple(n for n in names if n in on)
    groups = group_by_audience(
        issue, resolution.members, roster.audience_keys, lambda c: lists_of[c.email]
    )
    mode = "sandbox" if choice.sandbox else "live"
    left_out = problems_affecting(roster, names)
    warnings = [] if resolution.members else ["the lists have nobody to send to"]
    return Audience(
        mode=mode,
        send_id=make_send_id(issue.name, names, mode, choice.backend.name),
        names=names,
        variants=render_versions(env, issue, groups, roster, names),
        suppressed=list(resolution.suppressed),
        lists_of=lists_of,
        left_out=left_out,
        warnings=warnings + describe(left_out),
    )


def render_versions(
    env: Environment,
    issue: Issue,
    groups: dict[tuple[tuple[int, ...], tuple[str, ...]], tuple[frozenset[str], list[Contact]]],
    roster: Roster,
    names: tuple[str, ...],
) -> list[Variant]:
    """One rendering per audience and lists (the footer names them, in words), with
    recipient tokens; newsletter.toml is not read again."""
    variants = []
    for (visible, on), (keys, contacts) in groups.items():
        words = [roster.lists[name].description or name for name in on]
        email = render_email(issue, env.project, audience=keys, recipient=TOKENS, lists=words,
                             config=env.config)  # fmt: skip
        label = "blocks " + ",".join(str(i + 1) for i in visible)
        if len(names) > 1:
            label += " for " + ", ".join(on)
        variants.append(Variant(label, email, contacts))
    return variants

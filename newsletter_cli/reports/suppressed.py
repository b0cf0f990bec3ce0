"""What SendGrid holds back: its suppression lists, fetched with paging.

Six lists, as ``sendgrid_suppressions_v3.json`` describes them:

- the newsletter's unsubscribe group (``asm/groups/{id}/suppressions``: a plain array of
  addresses, no paging, no dates), with the dates from ``asm/suppressions`` (every group's
  suppressions, each with ``group_id`` and ``created_at``);
- global unsubscribes, bounces, blocks, spam reports and invalid emails
  (``suppression/...``: arrays of ``{created, email, ...}`` paged with ``limit`` and
  ``offset``, filtered by ``start_time``).

Each needs its own API key permission; a 401/403 names it (see :mod:`.sendgrid_http`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsletter_cli.delivery.sendgrid_http import Endpoint, SendGridAnswer, get_json, get_pages
from newsletter_cli.errors import ConfigError, DeliveryError

GROUP = Endpoint(
    "asm/groups/{group}/suppressions", "the unsubscribe group's members",
    "asm.groups.suppressions.read",
)  # fmt: skip
ALL_GROUPS = Endpoint(
    "asm/suppressions", "the unsubscribe groups' suppressions", "asm.groups.suppressions.read"
)


@dataclass(frozen=True)
class Kind:
    """One of SendGrid's paged suppression lists."""

    endpoint: Endpoint
    reason: str  # the word in recipients/suppressions-sendgrid.csv
    source: str


LISTS = (
    Kind(Endpoint("suppression/unsubscribes", "global unsubscribes",
                  "suppression.unsubscribes.read"), "unsubscribed-all", "sendgrid:unsubscribes"),
    Kind(Endpoint("suppression/bounces", "bounces", "suppression.bounces.read"),
         "bounced", "sendgrid:bounces"),
    Kind(Endpoint("suppression/blocks", "blocks", "suppression.blocks.read"),
         "blocked", "sendgrid:blocks"),
    Kind(Endpoint("suppression/spam_reports", "spam reports", "suppression.spam_reports.read"),
         "spam-report", "sendgrid:spam_reports"),
    Kind(Endpoint("suppression/invalid_emails", "invalid emails",
                  "suppression.invalid_emails.read"), "invalid", "sendgrid:invalid_emails"),
)  # fmt: skip
#: Every permission ``suppressions sync`` needs.
SCOPES = (GROUP.scope, *(k.endpoint.scope for k in LISTS))
UNSUBSCRIBED = "unsubscribed"


@dataclass(frozen=True)
class Held:
    """One address SendGrid holds back, and why."""

    email: str  # lower case
    reason: str  # unsubscribed | unsubscribed-all | bounced | blocked | spam-report | invalid
    source: str  # sendgrid:group-12345, sendgrid:bounces ...
    created: int | None  # unix time; None when SendGrid does not say


def fetch(api: Any, group: int, *, since: int | None = None, **options: Any) -> list[Held]:
    """Every address SendGrid holds back (``since``: only those added since that unix time).

    Without ``since``: the group's members (with dates where SendGrid gives them) and every
    entry of the five lists. With ``since`` (a report): entries created since then.
    """
    found = list(group_members(api, group, since=since, **options))
    params = {"start_time": since} if since is not None else {}
    for kind in LISTS:
        seen: set[str] = set()
        for page in get_pages(api, kind.endpoint, params, **options):
            for item in page:
                held = _entry(item, kind)
                if held is not None and held.email not in seen:  # SendGrid may repeat one
                    seen.add(held.email)
                    found.append(held)
    return found


def group_members(
    api: Any, group: int, *, since: int | None = None, **options: Any
) -> Iterable[Held]:
    """The unsubscribe group's members: ``reason`` unsubscribed."""
    source = f"sendgrid:group-{group}"
    dated = {}
    for item in _list(get_json(api, ALL_GROUPS, **options), ALL_GROUPS):
        if isinstance(item, dict) and item.get("group_id") == group and item.get("email"):
            dated[str(item["email"]).strip().lower()] = _unix(item.get("created_at"))
    if since is not None:  # a report: those dated since then
        return [Held(e, UNSUBSCRIBED, source, when) for e, when in sorted(dated.items())
                if when is not None and when >= since]  # fmt: skip
    try:
        members = _list(get_json(api, GROUP, path_args={"group": group}, **options), GROUP)
    except SendGridAnswer as exc:
        if exc.status == 404:
            raise ConfigError(
                f"SendGrid has no unsubscribe group {group}",
                hint="check 'unsubscribe_group' under [sendgrid] in newsletter.toml "
                "(SendGrid: Suppressions > Unsubscribe Groups)",
            ) from None
        raise
    emails = dict.fromkeys(str(m).strip().lower() for m in members if isinstance(m, str))
    return [Held(e, UNSUBSCRIBED, source, dated.get(e)) for e in emails if e]


def _entry(item: Any, kind: Kind) -> Held | None:
    if not isinstance(item, dict) or not item.get("email"):
        return None
    return Held(str(item["email"]).strip().lower(), kind.reason, kind.source,
                _unix(item.get("created")))  # fmt: skip


def _unix(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _list(data: Any, endpoint: Endpoint) -> list:
    if not isinstance(data, list):
        raise DeliveryError(f"SendGrid's answer about {endpoint.what} was not a list")
    return data

"""SendGrid's Email Activity API (``GET /v3/messages``): which messages SendGrid has.

Email Activity is a paid add-on: an account without it (or a key without the
``messages.read`` permission) answers 403 or 404, reported as :class:`ActivityUnavailable`.
The API allows 6 requests a minute; a 429 is waited out (:mod:`.sendgrid_http`). One
query returns at most 1,000 messages and has no paging, so queries are narrow (one
send's one batch: a batch never holds more than 1,000 recipients).

Reusable: :func:`messages` takes any query in SendGrid's query language, and
:func:`args_query` builds one on the ``custom_args`` every request carries.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsletter_cli.delivery.sendgrid_http import (
    Endpoint,
    ReadPolicy,
    SendGridAnswer,
    client,
    get_json,
)
from newsletter_cli.errors import AuthError, DeliveryError

#: Most messages one query may return (SendGrid's maximum for ``limit``).
ACTIVITY_LIMIT = 1000
#: How long to wait after a 429 without a usable X-RateLimit-Reset (6 requests a minute).
RATE_WAIT = 10.0
#: The endpoint, and the API key permission it needs.
MESSAGES = Endpoint("messages", "Email Activity", "messages.read")
UNAVAILABLE = (
    "SendGrid's Email Activity is not available to this account or key (it is a paid "
    "add-on, and the key needs the 'messages.read' permission)"
)


class ActivityUnavailable(DeliveryError):
    """The account has no Email Activity add-on, or the key may not read it."""


@dataclass(frozen=True)
class ActivityMessage:
    """One message as Email Activity lists it."""

    to_email: str
    msg_id: str
    status: str  # processed | delivered | not_delivered
    subject: str = ""
    last_event_time: str = ""
    opens_count: int = 0
    clicks_count: int = 0


def args_query(**custom_args: str) -> str:
    """A query for messages carrying all these custom_args (SendGrid calls them unique_args)."""
    parts = []
    for key, value in custom_args.items():
        if '"' in value or "'" in key:
            raise ValueError(f"cannot query {key}={value!r}: quotes are not allowed")
        parts.append(f"unique_args['{key}']=\"{value}\"")
    return " AND ".join(parts)


__all__ = ["ActivityMessage", "ActivityUnavailable", "args_query", "client", "messages"]


def messages(
    api: Any,
    query: str,
    *,
    limit: int = ACTIVITY_LIMIT,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> list[ActivityMessage]:
    """The messages Email Activity has for ``query`` (at most ``limit``, newest first)."""
    policy = ReadPolicy(rate_default=RATE_WAIT, timeout=timeout)
    try:
        body = get_json(api, MESSAGES, {"query": query, "limit": limit}, policy=policy,
                        sleep=sleep, clock=clock)  # fmt: skip
    except (SendGridAnswer, AuthError) as exc:
        if getattr(exc, "status", None) in (403, 404):
            raise ActivityUnavailable(
                UNAVAILABLE, hint="the uncertain recipients stay uncertain; check them in "
                "SendGrid's Activity page, then use --resend-uncertain for those it does not "
                "have",
            ) from None  # fmt: skip
        raise
    return _parse(body)


def _parse(data: Any) -> list[ActivityMessage]:
    try:
        found = data["messages"]
        return [
            ActivityMessage(
                to_email=str(m["to_email"]).lower(),
                msg_id=str(m["msg_id"]),
                status=str(m.get("status", "")),
                subject=str(m.get("subject", "")),
                last_event_time=str(m.get("last_event_time", "")),
                opens_count=int(m.get("opens_count") or 0),
                clicks_count=int(m.get("clicks_count") or 0),
            )
            for m in found
        ]
    except (ValueError, KeyError, TypeError):
        raise DeliveryError("SendGrid's Email Activity answered in an unexpected shape") from None

"""SendGrid's Email Activity API (``GET /v3/messages``): which messages SendGrid has.

Email Activity is a paid add-on: an account without it (or a key without "Email
Activity" access) answers 403 or 404, reported as :class:`ActivityUnavailable`. The
API allows 6 requests a minute; a 429 is waited out. One query returns at most
1,000 messages and has no paging, so queries are narrow (one send's one batch).

Reusable: :func:`messages` takes any query in SendGrid's query language, and
:func:`args_query` builds one on the ``custom_args`` every request carries.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass

import python_http_client
import sendgrid

from newsletter_cli.delivery.sendgrid_backend import DEFAULT_HOST, error_messages
from newsletter_cli.errors import AuthError, DeliveryError

#: Most messages one query may return (SendGrid's maximum for ``limit``).
ACTIVITY_LIMIT = 1000
#: How long to wait after a 429 without a usable X-RateLimit-Reset (6 requests a minute).
RATE_WAIT = 10.0
#: Most 429 waits for one query, and tries for a 5xx.
RATE_WAITS = 12
ATTEMPTS = 3
UNAVAILABLE = (
    "SendGrid's Email Activity is not available to this account or key (it is a paid "
    "add-on, and the key needs Email Activity access)"
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


def args_query(**custom_args: str) -> str:
    """A query for messages carrying all these custom_args (SendGrid calls them unique_args)."""
    parts = []
    for key, value in custom_args.items():
        if '"' in value or "'" in key:
            raise ValueError(f"cannot query {key}={value!r}: quotes are not allowed")
        parts.append(f"unique_args['{key}']=\"{value}\"")
    return " AND ".join(parts)


def client(api_key: str, host: str | None = None) -> sendgrid.SendGridAPIClient:
    """The official client, pointed at ``host`` (SENDGRID_API_HOST in tests)."""
    return sendgrid.SendGridAPIClient(api_key=api_key, host=(host or DEFAULT_HOST).rstrip("/"))


def messages(
    api: sendgrid.SendGridAPIClient,
    query: str,
    *,
    limit: int = ACTIVITY_LIMIT,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> list[ActivityMessage]:
    """The messages Email Activity has for ``query`` (at most ``limit``, newest first)."""
    waits = tries = 0
    while True:
        tries += 1
        try:
            response = api.client.messages.get(
                query_params={"query": query, "limit": limit}, timeout=timeout
            )
        except python_http_client.exceptions.HTTPError as exc:
            status = int(getattr(exc, "status_code", 0) or 0)
            detail = error_messages(getattr(exc, "body", b""))
            if status == 429 and waits < RATE_WAITS:
                waits += 1
                sleep(_reset_wait(getattr(exc, "headers", None), clock))
                continue
            if status >= 500 and tries < ATTEMPTS:
                sleep(2.0**tries)
                continue
            raise _error(status, detail) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(f"could not reach SendGrid: {exc.reason}") from None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            raise DeliveryError(
                f"SendGrid's Email Activity did not answer ({type(exc).__name__})"
            ) from None
        return _parse(response.body)


def _error(status: int, detail: str) -> DeliveryError:
    if status in (403, 404):
        return ActivityUnavailable(
            UNAVAILABLE, hint="the uncertain recipients stay uncertain; check them in "
            "SendGrid's Activity page, then use --resend-uncertain for those it does not have",
        )  # fmt: skip
    if status == 401:
        return AuthError(
            "SendGrid rejected the API key (401)", hint="check SENDGRID_API_KEY"
        )
    return DeliveryError(
        f"SendGrid's Email Activity answered {status}" + (f": {detail}" if detail else "")
    )


def _reset_wait(headers: object, clock: Callable[[], float]) -> float:
    get = getattr(headers, "get", None)
    reset = get("X-RateLimit-Reset") if get else None
    try:
        return max(0.0, min(60.0, float(reset) - clock())) if reset else RATE_WAIT
    except ValueError:
        return RATE_WAIT


def _parse(body: bytes | str) -> list[ActivityMessage]:
    try:
        data = json.loads(body)
        found = data["messages"]
        return [
            ActivityMessage(
                to_email=str(m["to_email"]).lower(),
                msg_id=str(m["msg_id"]),
                status=str(m.get("status", "")),
                subject=str(m.get("subject", "")),
                last_event_time=str(m.get("last_event_time", "")),
            )
            for m in found
        ]
    except (ValueError, KeyError, TypeError):
        raise DeliveryError("SendGrid's Email Activity answered in an unexpected shape") from None

"""Reading SendGrid's v3 API with the official client: one GET, its waits and its errors.

Shared by every command that asks SendGrid something (``send --check-uncertain``,
``suppressions sync``, ``report``) and, for the rate-limit wait and the error text,
by the mail-send backend:

- 429: wait until ``X-RateLimit-Reset`` (or ``Retry-After``), capped, then ask again.
- 500, 502, 503, 504, or no answer: a few tries with a growing pause (a GET is safe to repeat).
  Both waits are :mod:`newsletter_cli.delivery.retry`'s, shared with the backends.
- 401/403: :class:`~newsletter_cli.errors.AuthError` naming the API key permission
  (SendGrid's "scope") the request needs, e.g. ``suppression.bounces.read``.
- anything else: :class:`SendGridAnswer` with SendGrid's own message and the status.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from newsletter_cli.delivery.retry import Backoff
from newsletter_cli.delivery.sendgrid_settings import api_host, api_key
from newsletter_cli.errors import AuthError, DeliveryError

DEFAULT_HOST = "https://api.sendgrid.com"
#: The most items SendGrid's paged suppression lists give per request.
PAGE_SIZE = 500

# python_http_client logs request headers (the Authorization header) at DEBUG level.
logging.getLogger("python_http_client").setLevel(logging.WARNING)
logging.getLogger("python_http_client.client").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Endpoint:
    """One GET endpoint: its path under /v3/, what it is called in messages, its scope."""

    path: str  # "suppression/bounces", "asm/groups/{group}/suppressions"
    what: str  # "bounces"
    scope: str  # the API key permission it needs: "suppression.bounces.read"


@dataclass(frozen=True)
class ReadPolicy:
    """How hard to try. Tests pass tiny numbers; the defaults suit the real service."""

    rate_waits: int = 12  # most 429 waits for one request
    rate_cap: float = 60.0  # longest wait for one 429
    rate_default: float = 10.0  # wait after a 429 that says nothing usable
    attempts: int = 3  # tries for a 5xx or no answer
    backoff: float = 2.0  # first pause after a 5xx, doubled each time (with jitter)
    backoff_cap: float = 30.0
    timeout: float = 30.0


class SendGridAnswer(DeliveryError):
    """SendGrid answered a read with an error; ``status`` is its HTTP status."""

    def __init__(self, message: str, *, status: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def client(api_key: str, host: str | None = None) -> Any:
    """The official client, pointed at ``host`` (SENDGRID_API_HOST in tests)."""
    import sendgrid

    return sendgrid.SendGridAPIClient(api_key=api_key, host=(host or DEFAULT_HOST).rstrip("/"))


def env_client() -> Any:
    """The client for the key and host in the environment (SENDGRID_API_KEY, _HOST)."""
    return client(api_key(sending=False), api_host())


def error_messages(body: bytes | str | None) -> str:
    """SendGrid's ``{"errors": [{"message", "field"}]}`` as 'field: message; ...'."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    try:
        errors = json.loads(text).get("errors") or []
    except (ValueError, AttributeError):
        return text.strip()[:300]
    parts = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        field = error.get("field")
        message = str(error.get("message") or "").strip()
        if field and field != "null":
            parts.append(f"{field}: {message}")
        elif message:
            parts.append(message)
    return "; ".join(parts)


def auth_error(endpoint: Endpoint, status: int) -> AuthError:
    """401/403 in words, naming the permission the key needs."""
    if status == 401:
        error = AuthError(
            f"SendGrid rejected the API key (401) when asked for {endpoint.what}",
            hint=f"check SENDGRID_API_KEY; this needs a key with the '{endpoint.scope}' permission",
        )
    else:
        error = AuthError(
            f"SendGrid refused {endpoint.what} (403): the API key lacks the "
            f"'{endpoint.scope}' permission",
            hint=f"in SendGrid, Settings > API Keys: give the key '{endpoint.scope}' "
            "(read access), or use a key that has it",
        )
    error.status = status  # type: ignore[attr-defined]
    return error


def get_json(
    api: Any,
    endpoint: Endpoint,
    params: Mapping[str, Any] | None = None,
    *,
    path_args: Mapping[str, Any] | None = None,
    policy: ReadPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Any:
    """GET one endpoint through the client; its JSON, after waiting out 429s."""
    import python_http_client

    policy = policy or ReadPolicy()
    path = endpoint.path.format(**(path_args or {}))
    node = api.client
    for part in path.split("/"):
        node = node._(part)
    backoff = Backoff(policy.backoff, policy.backoff_cap, sleep=sleep, clock=clock)
    waits = tries = 0
    while True:
        tries += 1
        try:
            response = node.get(query_params=dict(params or {}) or None, timeout=policy.timeout)
        except python_http_client.exceptions.HTTPError as exc:
            status = int(getattr(exc, "status_code", 0) or 0)
            if status == 429 and waits < policy.rate_waits:
                waits += 1
                headers = getattr(exc, "headers", None)
                backoff.wait_asked(headers, cap=policy.rate_cap, default=policy.rate_default)
                continue
            if status >= 500 and tries < policy.attempts:
                backoff.pause(tries)
                continue
            detail = error_messages(getattr(exc, "body", b""))
            raise answer_error(endpoint, status, detail) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(f"could not reach SendGrid: {exc.reason}") from None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            if tries < policy.attempts:
                backoff.pause(tries)
                continue
            raise DeliveryError(
                f"SendGrid did not answer when asked for {endpoint.what} ({type(exc).__name__})"
            ) from None
        try:
            return json.loads(response.body or b"null")
        except ValueError:
            raise DeliveryError(f"SendGrid's answer about {endpoint.what} was not JSON") from None


def answer_error(endpoint: Endpoint, status: int, detail: str) -> DeliveryError:
    """The error for a final non-2xx answer."""
    if status in (401, 403):
        return auth_error(endpoint, status)
    text = f"SendGrid answered {status} when asked for {endpoint.what}"
    return SendGridAnswer(text + (f": {detail}" if detail else ""), status=status)


def get_pages(
    api: Any,
    endpoint: Endpoint,
    params: Mapping[str, Any] | None = None,
    *,
    page_size: int = PAGE_SIZE,
    **options: Any,
) -> Iterator[list]:
    """Every page of a list paged with ``limit``/``offset`` (SendGrid's suppression lists).

    The spec gives no total and no next link: a page shorter than ``limit`` is the last.
    """
    offset = 0
    while True:
        page = get_json(api, endpoint, {**(params or {}), "limit": page_size, "offset": offset},
                        **options)  # fmt: skip
        if not isinstance(page, list):
            raise DeliveryError(f"SendGrid's answer about {endpoint.what} was not a list")
        yield page
        if len(page) < page_size:
            return
        offset += page_size

"""Trying one web address: HEAD (GET where HEAD is refused), redirects followed one by one.

Standard library only (``urllib``): it does HEAD and GET with a timeout and the
system's certificates, and with automatic redirects switched off every hop can
be seen and reported (a permanent one names the new address). Concurrency comes
from a thread pool in :mod:`newsletter_cli.links.check`.

Outcomes: 404 and 410, and a name that does not exist (DNS), are errors; 401,
403 and 429 (what bot protection answers), 5xx, timeouts and refused connections
are warnings once a second try gives the same; a permanent redirect (301, 308) is
a warning naming where the link should point now. A redirect that leaves the web or
leads into another host's internal network (see :mod:`.hops`) is an error, and nothing
is opened or requested there.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException
from urllib.parse import urljoin

from newsletter_cli.links.hops import (
    Refused,
    Resolver,
    addresses_for,
    host_of,
    opener,
    system_resolver,
)

USER_AGENT = "Mozilla/5.0 (compatible; newsletter-link-check/0.1)"
MAX_REDIRECTS = 10
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
#: HEAD refused: not allowed or not implemented, or forbidden by servers that do allow GET.
HEAD_REFUSED = {403, 405, 501}
RETRY = {401, 403, 429}  # and every 5xx
MISSING = {404: "404 Not Found", 410: "410 Gone"}
MAX_WAIT = 5.0  # seconds: the most a Retry-After makes us wait before the second try
NO_SUCH_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
#: How much of a refused hop's address a message shows (a data: address can be long).
SHOWN = 100


@dataclass(frozen=True)
class LinkResult:
    """What trying one address found."""

    url: str
    level: str  # ok | warning | error
    message: str = ""
    kind: str = "ok"  # ok, moved, missing, dns, blocked, server, timeout, connect, other, ...
    status: int | None = None
    final_url: str = ""
    redirects: tuple[tuple[int, str], ...] = ()
    attempts: int = 1
    how: str = "http"  # http, file, mailto, cache

    @property
    def cacheable(self) -> bool:
        """Good answers and permanent moves are kept for a day; failures are tried again."""
        return self.how == "http" and self.kind in ("ok", "moved")


@dataclass
class _Answer:
    """One attempt: the last status and every redirect on the way, or why there was none."""

    url: str
    status: int | None = None
    hops: list[tuple[int, str]] = field(default_factory=list)
    failure: str | None = None  # dns, dns-temporary, timeout, connect, tls, redirects, refused
    detail: str = ""
    retry_after: float | None = None


def _retry_after(headers) -> float | None:
    value = (headers.get("Retry-After") or "").strip() if headers else ""
    return float(value) if value.isdigit() else None


def _request(
    url: str, method: str, timeout: float, addresses: list[str]
) -> tuple[int, object]:
    """One request to ``url``, connecting only to ``addresses`` (checked by the caller)."""
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with opener(host_of(url), addresses).open(request, timeout=timeout) as response:
            return response.status, response.headers  # the body is never read
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, exc.headers


def _failure(exc: BaseException, timeout: float) -> tuple[str, str]:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        if reason.errno in NO_SUCH_NAME:
            return "dns", "the name does not exist (DNS)"
        return "dns-temporary", f"the name could not be looked up ({reason.strerror})"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "timeout", f"no answer within {timeout:g} s"
    if isinstance(reason, ssl.SSLError):
        return "tls", f"a secure connection failed ({getattr(reason, 'reason', None) or reason})"
    if isinstance(reason, ConnectionRefusedError):
        return "connect", "the connection was refused"
    return "connect", f"the connection failed ({reason})"


def attempt(url: str, timeout: float, resolve: Resolver = system_resolver) -> _Answer:
    """One try: HEAD (then GET if HEAD is refused), following up to 10 redirects.

    Each address is checked (:func:`.hops.addresses_for`) before anything is sent to it.
    """
    answer = _Answer(url)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        host = host_of(current)
        if host == "invalid" or host.endswith(".invalid"):
            # RFC 6761: such names never resolve, and resolvers should say so at once.
            answer.failure, answer.detail = "dns", "the name does not exist (DNS)"
            answer.url = current
            return answer
        try:
            addresses = addresses_for(current, host_of(url), resolve)
            status, headers = _request(current, "HEAD", timeout, addresses)
            if status in HEAD_REFUSED:
                status, headers = _request(current, "GET", timeout, addresses)
        except Refused as exc:
            answer.failure, answer.detail, answer.url = "refused", str(exc), current
            return answer
        except (urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
            answer.failure, answer.detail = _failure(exc, timeout)
            answer.url = current
            return answer
        location = headers.get("Location") if headers else None  # type: ignore[attr-defined]
        if status in REDIRECTS and location:
            current = urljoin(current, location.strip())
            answer.hops.append((status, current))
            continue
        answer.url, answer.status = current, status
        answer.retry_after = _retry_after(headers)
        return answer
    answer.failure, answer.detail, answer.url = "redirects", "more than 10 redirects", current
    return answer


def judge(url: str, answer: _Answer) -> tuple[str, str, str, bool]:
    """(level, kind, message, worth another try) for one attempt."""
    moved = [(code, where) for code, where in answer.hops if code in PERMANENT]
    via = f" (redirected to {answer.url})" if answer.hops else ""
    if answer.failure == "dns":
        return "error", "dns", f"{answer.detail}: {host_of(answer.url)}", False
    if answer.failure == "refused":
        shown = answer.url if len(answer.url) <= SHOWN else answer.url[: SHOWN - 3] + "..."
        code = f" ({answer.hops[-1][0]})" if answer.hops else ""
        message = f"redirected{code} to {shown}: {answer.detail}; not followed"
        return "error", "refused", message, False
    if answer.failure == "redirects":
        return "warning", "redirects", answer.detail, False
    if answer.failure is not None:
        kind = "timeout" if answer.failure == "timeout" else "connect"
        return "warning", kind, answer.detail + via, True
    status = answer.status or 0
    if status in MISSING:
        return "error", "missing", f"{MISSING[status]}{via}: the page is not there", False
    if status in RETRY:
        why = "may be a site's bot protection"
        return "warning", "blocked", f"answered {status}{via} ({why})", True
    if status >= 500:
        return "warning", "server", f"answered {status}, a server error{via}", True
    if status >= 400 or status < 200:
        return "warning", "other", f"answered {status}{via}", False
    if status >= 300:
        return "warning", "other", f"answered {status} without saying where to{via}", False
    if moved:
        return (
            "warning", "moved",
            f"has moved permanently ({moved[0][0]}): link to {answer.url} instead", False,
        )  # fmt: skip
    return "ok", "ok", "", False


def try_url(
    url: str, *, timeout: float = 10.0, retry_delay: float = 1.0, resolve: Resolver | None = None
) -> LinkResult:
    """Try ``url``; a warning that may pass (bot protection, 5xx, timeout) is tried once more.

    ``resolve`` looks names up (the system's resolver unless given; tests give their own).
    """
    resolve = resolve or system_resolver
    answer = attempt(url, timeout, resolve)
    level, kind, message, again = judge(url, answer)
    attempts = 1
    if again:
        wait = min(answer.retry_after, MAX_WAIT) if answer.retry_after else retry_delay
        if wait > 0:
            time.sleep(wait)
        answer = attempt(url, timeout, resolve)
        level, kind, message, _ = judge(url, answer)
        attempts = 2
        if level != "ok":
            message += " (tried twice)"
    return LinkResult(
        url=url, level=level, message=message, kind=kind, status=answer.status,
        final_url=answer.url, redirects=tuple(answer.hops), attempts=attempts,
    )  # fmt: skip

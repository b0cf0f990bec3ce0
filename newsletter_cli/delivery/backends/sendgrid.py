"""Delivery through SendGrid's v3 Mail Send API, with the official ``sendgrid`` client.

Faults, and what each one does (never a double send):

- 202 (200 in sandbox mode): accepted; SendGrid's ``X-Message-Id`` is kept.
- 429: wait as ``X-RateLimit-Reset`` says (capped), then the same request again.
- 500, 502, 503, or a connection that failed before the request was sent:
  bounded retries with exponential backoff and jitter.
- Timeout, or the connection dropped after the request left, or 504: SendGrid
  may or may not have taken it. The batch is ``uncertain`` and is NOT retried
  (a retry could deliver twice); ``--resend-uncertain`` sends it again later.
- 400: SendGrid's own messages (field and reason); the send stops.
- 401/403: "SendGrid rejected the API key", naming the permission it needs (``mail.send``).
- 413: the batch is split in two, and each half sent; each half's outcomes go to
  ``context.report`` as soon as its answer comes, so they are journalled at once.

Every request carries ``custom_args``: the issue, the send id and the batch number
(``newsletter_issue``, ``newsletter_send``, ``newsletter_batch``), which is what
``send --check-uncertain`` and ``report`` ask SendGrid's Email Activity about; and
categories: the issue's name and the send's own (:func:`send_category`), which is what
``report`` asks SendGrid's category statistics about. A test send carries the send's
category only, so it never counts in the issue's figures.

The API key is used for the Authorization header only. It is never part of a
message, an outcome or a journal row: every text that leaves this module goes
through :meth:`SendGridBackend.scrub`.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.error
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from newsletter_cli.delivery.backends.base import (
    Backend,
    BatchResult,
    Outcome,
    Readiness,
    SendContext,
    Status,
)
from newsletter_cli.delivery.retry import Backoff
from newsletter_cli.delivery.sendgrid_body import (
    MAX_PERSONALIZATIONS,
    Envelope,
    Template,
    build_body,
    header_refusal,
    prepare,
)
from newsletter_cli.delivery.sendgrid_http import DEFAULT_HOST, error_messages
from newsletter_cli.delivery.sendgrid_settings import (
    API_KEY_ENV,
    api_host,
    api_key,
    unsubscribe_group,
)
from newsletter_cli.delivery.sync_state import stale_warning
from newsletter_cli.errors import AuthError, DeliveryError
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail
from newsletter_cli.secrets import SENDGRID, KeychainError, lookup

if TYPE_CHECKING:
    import python_http_client

    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

RETRY_STATUSES = {500, 502, 503}
AUTH_MESSAGE = "SendGrid rejected the API key"
#: The API key permissions a send needs (``--at`` and ``cancel`` also the batch ones).
SEND_SCOPES = ("mail.send", "mail.batch.create", "user.scheduled_sends.create")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Tests pass tiny numbers; the defaults suit the real service."""

    attempts: int = 5  # tries per request for 5xx and connection failures
    backoff: float = 1.0  # first wait, doubled each time
    backoff_cap: float = 30.0
    rate_limit_cap: float = 60.0  # longest wait for one 429
    rate_limit_waits: int = 20  # most 429 waits for one request
    timeout: float = 30.0  # seconds to wait for an answer


@dataclass(frozen=True)
class _Answer:
    kind: str  # ok | rate | retry | unsent | uncertain | bad | auth | too_large
    status: int | None = None
    message_id: str | None = None
    detail: str = ""
    headers: object = None  # a 429's, for how long to wait


class SendGridBackend(Backend):
    """The ``sendgrid`` backend. ``sleep``, ``clock`` and ``rng`` are injectable for tests.

    The ``sendgrid`` client is imported when one is set up, so asking the class what it can
    do costs nothing."""

    name = "sendgrid"
    max_batch = MAX_PERSONALIZATIONS
    can_schedule = True
    schedule_ahead = timedelta(hours=72)  # SendGrid's limit for send_at
    has_sandbox = True
    has_activity = True
    accepted_by = "SendGrid"
    uncertain_advice = (
        "Later, the same command with --check-uncertain asks SendGrid's Email Activity "
        "which it has (--resend-uncertain sends to them all again)."
    )

    @classmethod
    def from_config(cls, project: Project, config: Config, **options: Any) -> SendGridBackend:
        """Set up with SENDGRID_API_KEY, SENDGRID_API_HOST and newsletter.toml's sender."""
        key = api_key()
        sender = config.sender
        envelope = Envelope(
            from_email=sender.from_email,
            from_name=sender.from_name,
            reply_to=sender.reply_to,
            unsubscribe_group=unsubscribe_group(project, config),
            categories=tuple(config.sendgrid.categories),
            track_opens=config.sendgrid.track_opens,
            track_clicks=config.sendgrid.track_clicks,
        )
        options = {k: v for k, v in options.items() if v is not None}
        return cls(key, envelope, host=api_host(), **options)

    @classmethod
    def sandbox_default(cls, config: Config) -> bool:
        return config.sendgrid.sandbox

    @classmethod
    def preflight(cls, project: Project, config: Config, *, dry_run: bool) -> Readiness:
        """The host, the key (a dry run without one: a warning) and the unsubscribe group."""
        ready = Readiness()
        api_host()
        if dry_run:
            try:
                found = lookup(SENDGRID).value
            except KeychainError as exc:
                ready.warnings.append(f"{exc.message}: a real send would stop")
            else:
                if not found:
                    ready.warnings.append(f"{API_KEY_ENV} is not set: a real send would stop")
        else:
            api_key()
        unsubscribe_group(project, config)
        return ready

    @classmethod
    def describe(
        cls, project: Project, config: Config, ready: Readiness, *, mode: str, to_send: int,
        now: float,
    ) -> tuple[str, list[str]]:  # fmt: skip
        """Real email or the sandbox; for a live send, a stale suppression sync."""
        if mode == "sandbox":
            return "SendGrid sandbox (checked by SendGrid, delivered to nobody)", []
        stale = stale_warning(project, now) if mode == "live" else None
        return "SendGrid (real email)", [stale] if stale else []

    def __init__(
        self,
        api_key: str,
        envelope: Envelope,
        *,
        host: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._key = api_key
        self.envelope = envelope
        self.host = (host or DEFAULT_HOST).rstrip("/")
        self.policy = policy or RetryPolicy()
        self.backoff = Backoff(self.policy.backoff, self.policy.backoff_cap,
                               sleep=sleep, clock=clock, rng=rng)  # fmt: skip
        import sendgrid  # heavy: only when a send goes through SendGrid

        self._api = sendgrid.SendGridAPIClient(api_key=api_key, host=self.host)
        self._templates: dict[int, tuple[RenderedEmail, Template]] = {}
        self.requests = 0

    # -- the protocol ------------------------------------------------------------------

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
        template = self._template(email)
        envelope = replace(
            self.envelope,
            categories=(*send_categories(context), *self.envelope.categories),
            custom_args=custom_args(context),
            send_at=context.send_at,
            batch_id=context.batch_id,
            sandbox=context.sandbox,
        )  # fmt: skip
        result = BatchResult()
        safe = []
        for contact in contacts:
            refusal = header_refusal(contact, template, envelope)
            if refusal is None:
                safe.append(contact)
            else:  # never sent: nothing in a file may add a header
                result.outcomes.append(
                    Outcome(contact.email, Status.FAILED, reason=f"not sent: {refusal}")
                )
        if safe:
            self._deliver(safe, template, envelope, result, context.report)
        return result

    def schedule(self) -> str:
        """Create a SendGrid batch id (POST /v3/mail/batch) for a scheduled send."""
        answer, response = self._call(lambda t: self._api.client.mail.batch.post(timeout=t))
        if answer.kind != "ok" or response is None:
            raise self._stop_error(answer, "SendGrid did not create a batch id for --at")
        try:
            return str(json.loads(response.body)["batch_id"])
        except (ValueError, KeyError, TypeError):
            raise DeliveryError("SendGrid's answer to /v3/mail/batch had no batch_id") from None

    def cancel(self, batch_id: str) -> None:
        """Cancel a scheduled batch (POST /v3/user/scheduled_sends, status "cancel")."""
        body = {"batch_id": batch_id, "status": "cancel"}
        answer, _ = self._call(
            lambda t: self._api.client.user.scheduled_sends.post(request_body=body, timeout=t)
        )
        if answer.kind != "ok":
            raise self._stop_error(answer, "SendGrid did not cancel the scheduled send")

    def scrub(self, text: str) -> str:
        """``text`` with the API key (and its Bearer header) blanked out."""
        if self._key:
            text = text.replace(self._key, "[API key]")
        return text

    # -- delivery with retries ---------------------------------------------------------

    def _template(self, email: RenderedEmail) -> Template:
        cached = self._templates.get(id(email))
        if cached is None or cached[0] is not email:
            cached = (email, prepare(email))
            self._templates[id(email)] = cached
        return cached[1]

    def _deliver(
        self,
        contacts: list[Contact],
        template: Template,
        envelope: Envelope,
        result: BatchResult,
        report: Callable[[list[Outcome]], None] | None = None,
    ) -> None:
        """Send one request (retrying as the policy says); split on 413."""
        if result.stop is not None:  # an earlier half stopped the send: nothing more leaves
            result.outcomes += [
                Outcome(c.email, Status.QUEUED, reason="not sent: the send stopped")
                for c in contacts
            ]
            return
        body = build_body(template, contacts, envelope)
        tries = waits = 0
        while True:
            tries += 1
            answer, _ = self._call(
                lambda t: self._api.client.mail.send.post(request_body=body, timeout=t)
            )
            result.requests += 1
            if answer.kind == "ok":
                taken = [
                    Outcome(c.email, Status.ACCEPTED, message_id=answer.message_id)
                    for c in contacts
                ]
                result.outcomes += taken
                if report is not None:
                    report(taken)
                return
            if answer.kind == "rate" and waits < self.policy.rate_limit_waits:
                waits += 1
                tries -= 1  # a rate limit is not a failed try
                self.backoff.wait_asked(answer.headers, cap=self.policy.rate_limit_cap)
                continue
            if answer.kind in ("retry", "unsent") and tries < self.policy.attempts:
                self.backoff.pause(tries)
                continue
            if answer.kind == "too_large" and len(contacts) > 1:
                half = len(contacts) // 2
                self._deliver(contacts[:half], template, envelope, result, report)
                self._deliver(contacts[half:], template, envelope, result, report)
                return
            if answer.kind == "uncertain":
                result.outcomes += [
                    Outcome(c.email, Status.UNCERTAIN, reason=answer.detail) for c in contacts
                ]
                return
            reason = answer.detail
            if answer.kind in ("retry", "unsent"):
                reason = f"{answer.detail} (gave up after {tries} tries)"
            elif answer.kind == "rate":
                reason = f"{answer.detail} (still rate-limited after {waits} waits)"
            result.outcomes += [Outcome(c.email, Status.FAILED, reason=reason) for c in contacts]
            result.stop = self._stop_error(replace(answer, detail=reason), "the send stopped")
            return

    def _stop_error(self, answer: _Answer, what: str) -> DeliveryError:
        if answer.kind == "auth":
            return AuthError(
                f"{AUTH_MESSAGE} ({answer.status})",
                hint="check SENDGRID_API_KEY: it must be a key with the 'mail.send' permission "
                "('mail.batch.create' and 'user.scheduled_sends.create' too for --at and cancel)",
            )
        return DeliveryError(self.scrub(f"{what}: {answer.detail}"))

    # -- one HTTP call -----------------------------------------------------------------

    def _call(self, request: Callable[[float], object]) -> tuple[_Answer, object | None]:
        """Make one HTTP call through the sendgrid client; classify what came back."""
        import python_http_client

        self.requests += 1
        try:
            response = request(self.policy.timeout)
        except python_http_client.exceptions.HTTPError as exc:
            return self._classify_error(exc), None
        except urllib.error.URLError as exc:
            # urllib wraps only failures while connecting and sending: the request never
            # arrived whole, so SendGrid cannot have taken it.
            detail = self.scrub(f"could not reach SendGrid: {exc.reason}")
            return _Answer("unsent", detail=detail), None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            # The request left; the answer did not come back.
            what = "no answer in time" if isinstance(exc, TimeoutError) else "connection lost"
            detail = (
                f"{what} after the request was sent ({type(exc).__name__}); "
                "SendGrid may or may not have taken it"
            )
            return _Answer("uncertain", detail=self.scrub(detail)), None
        status = getattr(response, "status_code", None)
        if status in (200, 201, 202, 204):
            headers = getattr(response, "headers", None)
            message_id = headers.get("X-Message-Id") if headers is not None else None
            return _Answer("ok", status=status, message_id=message_id), response
        return _Answer("bad", status=status, detail=f"unexpected answer {status}"), None

    def _classify_error(self, exc: python_http_client.exceptions.HTTPError) -> _Answer:
        status = int(getattr(exc, "status_code", 0) or 0)
        messages = self.scrub(error_messages(getattr(exc, "body", b"")))
        detail = f"SendGrid answered {status}" + (f": {messages}" if messages else "")
        if status == 429:
            return _Answer("rate", status, detail=detail, headers=exc.headers)
        if status in RETRY_STATUSES:
            return _Answer("retry", status, detail=detail)
        if status == 504:
            return _Answer(
                "uncertain", status, detail=f"{detail}; SendGrid may or may not have taken it"
            )
        if status in (401, 403):
            return _Answer("auth", status, detail=f"{AUTH_MESSAGE} ({status})")
        if status == 413:
            return _Answer("too_large", status, detail="SendGrid answered 413: request too large")
        return _Answer("bad", status, detail=detail)


def send_category(send_id: str) -> str:
    """The send's own SendGrid category: 'send-' and the hash at the end of its id
    ('2025-09-regional-update--dcs-1d6d49' gives 'send-1d6d49'): short, and unique per send."""
    return "send-" + send_id.rsplit("-", 1)[-1][:40]


def send_categories(context: SendContext) -> tuple[str, ...]:
    """The issue's category and the send's own; a test send carries only its own."""
    mine = send_category(context.send_id)
    return (mine,) if context.test else (context.issue_name, mine)


def custom_args(context: SendContext) -> tuple[tuple[str, str], ...]:
    """What every request of a send carries, to find its messages in Email Activity later."""
    args = [("newsletter_issue", context.issue_name), ("newsletter_send", context.send_id)]
    if context.batch is not None:
        args.append(("newsletter_batch", str(context.batch)))
    return tuple(args)

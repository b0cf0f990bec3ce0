"""Delivery through an SMTP submission server (Microsoft 365, a council relay...), with smtplib.

One message per recipient, the same bytes the outbox writes, over one connection that
is reused from message to message and opened again when the server closes it.
What each answer does (never a double send):

- 250 after the message: accepted; the server's queue id is kept as the message id.
- 4xx on MAIL FROM, RCPT TO or after the message (451, 452...): the same message again
  after a backoff, a few times; then that recipient failed, with the server's words.
- 421 (the server is closing), a connection refused or lost before the whole message
  was sent: a new connection and the same message again; a server that keeps doing it
  stops the send (resumable: the recipient never got it).
- 5xx on RCPT TO or after the message: that recipient failed, with the server's words;
  the send goes on (it stops after several refused messages in a row: a quota?).
- 5xx on MAIL FROM, a refused login (535): the send stops.
- The connection lost after the whole message was sent, before the answer: uncertain,
  never sent again automatically (``--resend-uncertain`` does, after a check).

The connection, the login and what each answer means are in ``delivery.smtp_session``.
"""

from __future__ import annotations

import random
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsletter_cli.delivery import microsoft365
from newsletter_cli.delivery.backends.base import (
    Backend,
    BatchResult,
    Outcome,
    Readiness,
    SendContext,
    Status,
)
from newsletter_cli.delivery.message import Letterhead
from newsletter_cli.delivery.personalise import PersonalMessages
from newsletter_cli.delivery.retry import Backoff
from newsletter_cli.delivery.smtp_limits import DAY, DailyQuota, Pacer
from newsletter_cli.delivery.smtp_session import SmtpSession, auth_hint
from newsletter_cli.delivery.smtp_settings import (
    SmtpServer,
    plan_notes,
    smtp_password,
    smtp_server,
)
from newsletter_cli.errors import AuthError, ConfigError, DeliveryError
from newsletter_cli.headertext import UnsafeHeader
from newsletter_cli.journal import existing_journal
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project


@dataclass(frozen=True)
class SmtpPolicy:
    """How hard to try. Tests pass tiny numbers; the defaults suit a real server."""

    attempts: int = 4  # tries per message for 4xx answers and lost connections
    backoff: float = 2.0  # first wait, doubled each time
    backoff_cap: float = 60.0
    refused_in_a_row: int = 5  # stop after this many messages in a row refused after DATA


class SmtpBackend(Backend):
    """The ``smtp`` backend. ``sleep``, ``clock`` and ``ssl_context`` are injectable for tests."""

    name = "smtp"
    max_batch = 1  # one journal step per message: a crash leaves at most one uncertain
    accepted_by = "The SMTP server"
    uncertain_advice = (
        "Check the mailbox's Sent Items or the mail server's message trace; to send to "
        "them again, run the same command with --resend-uncertain."
    )

    @classmethod
    def from_config(cls, project: Project, config: Config, **options: Any) -> SmtpBackend:
        """The SMTP backend; its daily limit counts what the journal says went in the last day."""
        server = smtp_server(project, config)
        sender = config.sender
        letterhead = Letterhead(sender.from_email, sender.from_name, sender.reply_to)
        token = microsoft365.token_source(server) if server.auth == "oauth" else None
        return cls(server, smtp_password(server), letterhead,
                   sent_since=lambda since: cls.sent_since(project, config, since),
                   token=token, **options)  # fmt: skip

    @classmethod
    def preflight(cls, project: Project, config: Config, *, dry_run: bool) -> Readiness:
        """The SMTP settings, checked before anything is sent; a warning for a dry run without
        the password (a real send needs it and stops here without it)."""
        server = smtp_server(project, config)
        try:
            smtp_password(server)
            if server.auth == "oauth" and microsoft365.signed_in(server) is None:
                raise microsoft365.not_signed_in(server)
        except ConfigError as exc:
            if not dry_run:
                raise
            return Readiness([f"{exc.message}: a real send would stop"], server)
        return Readiness([], server)

    @classmethod
    def describe(
        cls, project: Project, config: Config, ready: Readiness, *, mode: str, to_send: int,
        now: float,
    ) -> tuple[str, list[str]]:  # fmt: skip
        """The server, its limits and how long the send will take."""
        server = ready.settings
        assert isinstance(server, SmtpServer)
        return plan_notes(server, to_send, cls.sent_since(project, config, now - DAY))

    @classmethod
    def sent_since(cls, project: Project, config: Config | None, since: float) -> int:
        """Recipients this project's SMTP sends had accepted since unix time ``since``."""
        journal = existing_journal(project, config=config)
        if journal is None:
            return 0
        with journal:
            return journal.accepted_since(cls.name, since)

    def __init__(
        self,
        server: SmtpServer,
        password: str | None,
        letterhead: Letterhead,
        *,
        sent_since: Callable[[float], int] | None = None,
        policy: SmtpPolicy | None = None,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        token: Callable[[], str] | None = None,
    ) -> None:
        self.server = server
        self.session = SmtpSession(server, password, token=token, ssl_context=ssl_context)
        self.letterhead = letterhead
        self.policy = policy or SmtpPolicy()
        self.backoff = Backoff(self.policy.backoff, self.policy.backoff_cap,
                               sleep=sleep, clock=clock, rng=rng)  # fmt: skip
        self.pacer = Pacer(server.messages_per_minute, clock=clock, sleep=sleep)
        self.quota = DailyQuota(server.recipients_per_day, sent_since, clock=clock)
        self._messages: PersonalMessages | None = None
        self._refused_in_a_row = 0
        self.requests = 0

    @property
    def connections(self) -> int:
        """Connections opened so far."""
        return self.session.connections

    # -- the protocol ------------------------------------------------------------------

    def send_batch(
        self, email: RenderedEmail, contacts: Sequence[Contact], context: SendContext
    ) -> BatchResult:
        self.check_context(context)
        result = BatchResult()
        for contact in contacts:
            reason = "not sent: the send stopped"
            if result.stop is None:
                result.stop = self.quota.check()
                reason = "not sent: the daily limit is reached"
            if result.stop is not None:
                result.outcomes.append(Outcome(contact.email, Status.QUEUED, reason=reason))
                continue
            outcome, stop, tries = self._deliver(email, contact, context)
            result.outcomes.append(outcome)
            result.requests += tries
            result.stop = stop
        return result

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        self.session.close()

    def scrub(self, text: str) -> str:
        """``text`` with the password (or access token) blanked out."""
        return self.session.scrub(text)

    # -- one message, with retries -----------------------------------------------------

    def payload(self, email: RenderedEmail, contact: Contact, context: SendContext) -> bytes:
        """The message on the wire (the outbox's bytes), dot-stuffed and ended for DATA."""
        messages = self._messages
        if messages is None or (messages.issue_name, messages.send_id) != (
            context.issue_name, context.send_id,
        ):  # fmt: skip
            messages = PersonalMessages(self.letterhead, context.issue_name, context.send_id)
            self._messages = messages
        # Each version built once, filled per person; a dot starting a line is doubled.
        stuffed = messages.wire(email, contact, stuffed=True)
        return stuffed + (b".\r\n" if stuffed.endswith(b"\r\n") else b"\r\n.\r\n")

    def _deliver(
        self, email: RenderedEmail, contact: Contact, context: SendContext
    ) -> tuple[Outcome, DeliveryError | None, int]:
        try:
            data = self.payload(email, contact, context)
        except UnsafeHeader as exc:  # never sent: nothing in a file may add a header
            return Outcome(contact.email, Status.FAILED, reason=f"not sent: {exc}"), None, 0
        tries = 0
        while True:
            tries += 1
            fresh_failure = self.session.reused  # a reused connection may have timed out idle
            self.pacer.wait()
            answer = self.session.transaction(self.letterhead.from_email, contact.email, data)
            self.requests += 1
            if answer.kind == "ok":
                self.quota.count()
                self._refused_in_a_row = 0
                return Outcome(contact.email, Status.ACCEPTED, answer.message_id), None, tries
            if answer.kind == "uncertain":
                return Outcome(contact.email, Status.UNCERTAIN, reason=answer.detail), None, tries
            if answer.kind in ("retry", "unavailable") and tries < self.policy.attempts:
                if not (answer.kind == "unavailable" and fresh_failure and tries == 1):
                    self.backoff.pause(tries)
                continue
            reason = answer.detail
            if answer.kind in ("retry", "unavailable"):
                reason = f"{reason} (gave up after {tries} tries)"
            failed = Outcome(contact.email, Status.FAILED, reason=reason)
            if answer.kind == "auth":
                hint = auth_hint(reason, oauth=self.session.oauth)
                return failed, AuthError(reason, hint=hint), tries
            if answer.kind in ("stop", "unavailable"):
                return failed, DeliveryError(f"the send stopped: {reason}"), tries
            if answer.kind == "retry" or answer.stage == "data":
                self._refused_in_a_row += 1
            if self._refused_in_a_row >= self.policy.refused_in_a_row:
                return failed, DeliveryError(
                    f"{self._refused_in_a_row} messages in a row were refused (last: {reason}); "
                    "stopped rather than fail the whole list"
                ), tries
            return failed, None, tries

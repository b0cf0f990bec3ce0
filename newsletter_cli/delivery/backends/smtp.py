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

The password is used for the login only; every text leaving this module is scrubbed.
"""

from __future__ import annotations

import random
import re
import smtplib
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
from newsletter_cli.delivery.microsoft365 import xoauth2
from newsletter_cli.delivery.personalise import PersonalMessages
from newsletter_cli.delivery.retry import Backoff
from newsletter_cli.delivery.smtp_limits import DAY, DailyQuota, Pacer
from newsletter_cli.delivery.smtp_settings import (
    PASSWORD_ENV,
    SmtpServer,
    plan_notes,
    smtp_password,
    smtp_server,
)
from newsletter_cli.errors import AuthError, ConfigError, DeliveryError, NewsletterError
from newsletter_cli.headertext import UnsafeHeader
from newsletter_cli.journal import existing_journal
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

_QUEUE_ID = (
    re.compile(r"queued as\s+<?([^\s<>]+)", re.IGNORECASE),  # Postfix, aiosmtpd sinks
    re.compile(r"\bid=(\S+)"),  # Exim
    re.compile(r"<([^\s<>]+)>"),  # Microsoft 365: "2.0.0 OK <id@...> [Hostname=...]"
)
AUTH_CODES = {530, 534, 535, 538}


@dataclass(frozen=True)
class SmtpPolicy:
    """How hard to try. Tests pass tiny numbers; the defaults suit a real server."""

    attempts: int = 4  # tries per message for 4xx answers and lost connections
    backoff: float = 2.0  # first wait, doubled each time
    backoff_cap: float = 60.0
    refused_in_a_row: int = 5  # stop after this many messages in a row refused after DATA


@dataclass(frozen=True)
class _Answer:
    kind: str  # ok | retry | unavailable | refused | uncertain | stop | auth
    detail: str = ""
    message_id: str | None = None
    stage: str = ""  # mail | rcpt | data


def queue_id(reply: str) -> str:
    """The server's id for an accepted message, from its 250 reply (else the reply itself)."""
    for pattern in _QUEUE_ID:
        found = pattern.search(reply)
        if found:
            return found[1]
    return reply.strip()[:200]


def _auth_hint(reason: str, oauth: bool = False) -> str:
    if oauth:
        return (
            "SMTP AUTH must be enabled for the mailbox and the app registration must have "
            "the SMTP.Send permission; 'newsletter login microsoft365' signs in again"
        )
    if "5.7.30" in reason:  # Microsoft 365 with passwords for SMTP AUTH retired
        return (
            "this Microsoft 365 tenant no longer accepts a password for SMTP (Basic "
            "authentication retired): sign in with OAuth instead (client_id under [smtp], "
            "then 'newsletter login microsoft365'; see 'Passwords and sign-in' in the manual), "
            "or send through another SMTP relay, or --backend sendgrid"
        )
    return (
        f"check [smtp] user and the password ('newsletter login smtp' or {PASSWORD_ENV}; "
        "Microsoft 365: SMTP AUTH must be enabled for the mailbox; an app password with MFA)"
    )


def _words(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} " + "; ".join(line.strip() for line in text.splitlines() if line.strip())


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
        self._password = password
        self._token = token  # OAuth: gives an access token for AUTH XOAUTH2
        self._secrets: list[str] = [password] if password else []
        self.letterhead = letterhead
        self.policy = policy or SmtpPolicy()
        self._ssl = ssl_context
        self.backoff = Backoff(self.policy.backoff, self.policy.backoff_cap,
                               sleep=sleep, clock=clock, rng=rng)  # fmt: skip
        self.pacer = Pacer(server.messages_per_minute, clock=clock, sleep=sleep)
        self.quota = DailyQuota(server.recipients_per_day, sent_since, clock=clock)
        self._smtp: smtplib.SMTP | None = None
        self._messages: PersonalMessages | None = None
        self._reused = False
        self._refused_in_a_row = 0
        self.connections = 0
        self.requests = 0

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
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def scrub(self, text: str) -> str:
        """``text`` with the password (or access token) blanked out."""
        for secret in self._secrets:
            text = text.replace(secret, "[password]")
        return text

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
            fresh_failure = self._reused  # a reused connection may have timed out idle
            self.pacer.wait()
            answer = self._attempt(data, contact.email)
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
                hint = _auth_hint(reason, oauth=self._token is not None)
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

    # -- one SMTP transaction ----------------------------------------------------------

    def _attempt(self, data: bytes, to: str) -> _Answer:
        """MAIL, RCPT, DATA and the message, on the open connection (opened if needed)."""
        try:
            smtp = self._connection()
        except _Refusal as refusal:
            return refusal.answer
        try:
            code, reply = smtp.mail(self.letterhead.from_email)
            if code != 250:
                return self._refused(smtp, "mail", code, reply)
            code, reply = smtp.rcpt(to)
            if code not in (250, 251):
                return self._refused(smtp, "rcpt", code, reply)
            code, reply = smtp.docmd("DATA")
            if code != 354:
                return self._refused(smtp, "data", code, reply)
            smtp.send(data)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return _Answer("unavailable", self.scrub(
                f"the connection was lost before the whole message was sent ({exc}); "
                "the server cannot have taken it"
            ))  # fmt: skip
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return _Answer("uncertain", self.scrub(
                f"the connection was lost after the message was sent, before the server "
                f"answered ({exc}); it may or may not have taken it"
            ))  # fmt: skip
        if code == 250:
            self._reused = True
            words = reply.decode("utf-8", "replace")
            return _Answer("ok", message_id=queue_id(words))
        return self._refused(smtp, "data", code, reply)

    def _refused(self, smtp: smtplib.SMTP, stage: str, code: int, reply: bytes) -> _Answer:
        """Classify a refusal at ``stage``; reset the transaction so the connection goes on."""
        what = {"mail": "the sender (MAIL FROM)", "rcpt": "the recipient (RCPT TO)",
                "data": "the message"}[stage]  # fmt: skip
        detail = self.scrub(f"the server refused {what}: {_words(code, reply)}")
        if code == 421 or code < 400:
            self._drop()
            return _Answer("unavailable", detail, stage=stage)
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        if code < 500:
            return _Answer("retry", detail, stage=stage)
        if code in AUTH_CODES:
            return _Answer("auth", detail, stage=stage)
        if stage == "mail":
            return _Answer("stop", detail, stage=stage)
        return _Answer("refused", detail, stage=stage)

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None
        self._reused = False

    # -- the connection ----------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = ssl.create_default_context()  # verifies the certificate and host name
        return self._ssl

    def _connection(self) -> smtplib.SMTP:
        """The open connection, or a new one: greeting, EHLO, STARTTLS, login."""
        if self._smtp is not None:
            return self._smtp
        server = self.server
        where = f"{server.host}:{server.port}"
        self.connections += 1
        try:
            if server.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=server.timeout, context=self._context()
                )
            else:
                smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        except smtplib.SMTPConnectError as exc:
            raise self._greeting_refusal(exc.smtp_code, exc.smtp_error) from None
        except ssl.SSLError as exc:
            raise _Refusal("stop", self._tls_problem(exc, where)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise _Refusal("unavailable", f"cannot reach the SMTP server {where}: {exc}") from None
        try:
            self._hello(smtp, where)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        self._reused = False
        return smtp

    def _hello(self, smtp: smtplib.SMTP, where: str) -> None:
        """EHLO, STARTTLS and login on a new connection."""
        server = self.server
        try:
            code, reply = smtp.ehlo()
            if code != 250:
                raise self._greeting_refusal(code, reply)
            if server.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise _Refusal("stop", f"{where} does not offer STARTTLS, so the connection "
                                           "would not be encrypted; nothing was sent")  # fmt: skip
                code, reply = smtp.starttls(context=self._context())
                smtp.ehlo()
            if server.user:
                self._login(smtp, where)
        except smtplib.SMTPAuthenticationError as exc:
            kind = "auth" if exc.smtp_code >= 500 else "unavailable"
            words = _words(exc.smtp_code, exc.smtp_error)
            raise _Refusal(
                kind, self.scrub(f"{where} refused the login for {server.user}: {words}")
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise _Refusal("stop", f"{where} offers no login (AUTH) on this connection; "
                                   "check [smtp] security and port") from None  # fmt: skip
        except smtplib.SMTPResponseException as exc:
            raise self._greeting_refusal(exc.smtp_code, exc.smtp_error) from None
        except ssl.SSLError as exc:
            raise _Refusal("stop", self._tls_problem(exc, where)) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise _Refusal("unavailable", f"{where} closed the connection: {exc}") from None

    def _login(self, smtp: smtplib.SMTP, where: str) -> None:
        """AUTH with the password, or XOAUTH2 with a fresh Microsoft 365 access token."""
        user = self.server.user or ""
        if self._token is None:
            smtp.login(user, self._password or "")
            return
        if "xoauth2" not in smtp.esmtp_features.get("auth", "").lower().split():
            raise _Refusal("stop", f"{where} does not offer AUTH XOAUTH2 (OAuth sign-in); "
                                   'check [smtp], or set auth = "password"')  # fmt: skip
        try:
            token = self._token()
        except NewsletterError as exc:
            raise _Refusal("auth", f"{exc.message}; {exc.hint or ''}".rstrip("; ")) from None
        self._secrets.append(token)
        answer = xoauth2(user, token)
        code, reply = smtp.auth(
            "XOAUTH2", lambda challenge=None: answer if challenge is None else "",
            initial_response_ok=True,
        )  # fmt: skip
        if code != 235:  # smtplib raises for a refusal; anything else is not a login
            raise smtplib.SMTPAuthenticationError(code, reply)

    def _greeting_refusal(self, code: int, reply: bytes | str) -> _Refusal:
        text = f"the SMTP server is not taking mail: {_words(code, reply)}"
        return _Refusal("unavailable" if 400 <= code < 500 else "stop", text)

    @staticmethod
    def _tls_problem(exc: ssl.SSLError, where: str) -> str:
        if isinstance(exc, ssl.SSLCertVerificationError):
            problem = f"the certificate of {where} could not be verified ({exc.verify_message})"
        else:
            problem = f"the TLS connection to {where} failed ({exc.reason or exc})"
        return (
            f"{problem}; nothing was sent. For a server with a private certificate "
            "authority, set SSL_CERT_FILE to that authority's certificate"
        )


class _Refusal(Exception):
    """A connection that could not be set up, classified."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.answer = _Answer(kind, detail)

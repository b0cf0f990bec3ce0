"""One connection to an SMTP submission server, and what its answers mean.

Connect (plain, STARTTLS or TLS), say EHLO, log in (a password, or XOAUTH2 with a Microsoft
365 access token) and run one MAIL/RCPT/DATA transaction; every answer is classified
(ok, retry, unavailable, refused, uncertain, stop, auth) for the backend to act on.
The password is used for the login only; every text leaving this module is scrubbed.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from newsletter_cli.delivery.microsoft365 import xoauth2
from newsletter_cli.delivery.smtp_settings import PASSWORD_ENV, SmtpServer
from newsletter_cli.errors import NewsletterError

_QUEUE_ID = (
    re.compile(r"queued as\s+<?([^\s<>]+)", re.IGNORECASE),  # Postfix, aiosmtpd sinks
    re.compile(r"\bid=(\S+)"),  # Exim
    re.compile(r"<([^\s<>]+)>"),  # Microsoft 365: "2.0.0 OK <id@...> [Hostname=...]"
)
AUTH_CODES = {530, 534, 535, 538}


@dataclass(frozen=True)
class Answer:
    """What one attempt came to, for the backend to act on."""

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


def auth_hint(reason: str, oauth: bool = False) -> str:
    """What to check after a refused login (Microsoft 365's 5.7.30: passwords retired)."""
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


def reply_words(code: int, reply: bytes | str) -> str:
    """A reply on one line, with its code."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} " + "; ".join(line.strip() for line in text.splitlines() if line.strip())


class SmtpSession:
    """The open connection (opened when needed) to ``server``; ``ssl_context`` for tests."""

    def __init__(
        self,
        server: SmtpServer,
        password: str | None,
        *,
        token: Callable[[], str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.server = server
        self._password = password
        self._token = token  # OAuth: gives an access token for AUTH XOAUTH2
        self._secrets: list[str] = [password] if password else []
        self._ssl = ssl_context
        self._smtp: smtplib.SMTP | None = None
        self.reused = False  # the open connection has carried a message already
        self.connections = 0

    @property
    def oauth(self) -> bool:
        """True when the login is XOAUTH2 with an access token."""
        return self._token is not None

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

    def transaction(self, from_email: str, to: str, data: bytes) -> Answer:
        """MAIL, RCPT, DATA and the message, on the open connection (opened if needed)."""
        try:
            smtp = self._connection()
        except Refusal as refusal:
            return refusal.answer
        try:
            code, reply = smtp.mail(from_email)
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
            return Answer("unavailable", self.scrub(
                f"the connection was lost before the whole message was sent ({exc}); "
                "the server cannot have taken it"
            ))  # fmt: skip
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Answer("uncertain", self.scrub(
                f"the connection was lost after the message was sent, before the server "
                f"answered ({exc}); it may or may not have taken it"
            ))  # fmt: skip
        if code == 250:
            self.reused = True
            words = reply.decode("utf-8", "replace")
            return Answer("ok", message_id=queue_id(words))
        return self._refused(smtp, "data", code, reply)

    def _refused(self, smtp: smtplib.SMTP, stage: str, code: int, reply: bytes) -> Answer:
        """Classify a refusal at ``stage``; reset the transaction so the connection goes on."""
        what = {"mail": "the sender (MAIL FROM)", "rcpt": "the recipient (RCPT TO)",
                "data": "the message"}[stage]  # fmt: skip
        detail = self.scrub(f"the server refused {what}: {reply_words(code, reply)}")
        if code == 421 or code < 400:
            self._drop()
            return Answer("unavailable", detail, stage=stage)
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        if code < 500:
            return Answer("retry", detail, stage=stage)
        if code in AUTH_CODES:
            return Answer("auth", detail, stage=stage)
        if stage == "mail":
            return Answer("stop", detail, stage=stage)
        return Answer("refused", detail, stage=stage)

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None
        self.reused = False

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
            raise Refusal("stop", self._tls_problem(exc, where)) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Refusal("unavailable", f"cannot reach the SMTP server {where}: {exc}") from None
        try:
            self._hello(smtp, where)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        self.reused = False
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
                    raise Refusal("stop", f"{where} does not offer STARTTLS, so the connection "
                                           "would not be encrypted; nothing was sent")  # fmt: skip
                code, reply = smtp.starttls(context=self._context())
                smtp.ehlo()
            if server.user:
                self._login(smtp, where)
        except smtplib.SMTPAuthenticationError as exc:
            kind = "auth" if exc.smtp_code >= 500 else "unavailable"
            words = reply_words(exc.smtp_code, exc.smtp_error)
            raise Refusal(
                kind, self.scrub(f"{where} refused the login for {server.user}: {words}")
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise Refusal("stop", f"{where} offers no login (AUTH) on this connection; "
                                   "check [smtp] security and port") from None  # fmt: skip
        except smtplib.SMTPResponseException as exc:
            raise self._greeting_refusal(exc.smtp_code, exc.smtp_error) from None
        except ssl.SSLError as exc:
            raise Refusal("stop", self._tls_problem(exc, where)) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise Refusal("unavailable", f"{where} closed the connection: {exc}") from None

    def _login(self, smtp: smtplib.SMTP, where: str) -> None:
        """AUTH with the password, or XOAUTH2 with a fresh Microsoft 365 access token."""
        user = self.server.user or ""
        if self._token is None:
            smtp.login(user, self._password or "")
            return
        if "xoauth2" not in smtp.esmtp_features.get("auth", "").lower().split():
            raise Refusal("stop", f"{where} does not offer AUTH XOAUTH2 (OAuth sign-in); "
                                   'check [smtp], or set auth = "password"')  # fmt: skip
        try:
            token = self._token()
        except NewsletterError as exc:
            raise Refusal("auth", f"{exc.message}; {exc.hint or ''}".rstrip("; ")) from None
        self._secrets.append(token)
        answer = xoauth2(user, token)
        code, reply = smtp.auth(
            "XOAUTH2", lambda challenge=None: answer if challenge is None else "",
            initial_response_ok=True,
        )  # fmt: skip
        if code != 235:  # smtplib raises for a refusal; anything else is not a login
            raise smtplib.SMTPAuthenticationError(code, reply)

    def _greeting_refusal(self, code: int, reply: bytes | str) -> Refusal:
        text = f"the SMTP server is not taking mail: {reply_words(code, reply)}"
        return Refusal("unavailable" if 400 <= code < 500 else "stop", text)

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


class Refusal(Exception):
    """A connection that could not be set up, classified."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.answer = Answer(kind, detail)

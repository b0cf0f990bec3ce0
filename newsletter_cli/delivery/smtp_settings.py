"""The SMTP server a send goes through: newsletter.toml's ``[smtp]``, a preset, the login.

The password comes from ``NEWSLETTER_SMTP_PASSWORD`` or the system keychain
(``newsletter login smtp``; newsletter.toml refuses one); it is handed to the server at
login and never printed or stored in the project. With ``auth = "oauth"`` there is no
password: the Microsoft 365 sign-in (:mod:`newsletter_cli.delivery.microsoft365`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsletter_cli.errors import ConfigError
from newsletter_cli.secrets import SMTP, lookup

if TYPE_CHECKING:
    from newsletter_cli.config import Config, SmtpSettings
    from newsletter_cli.project import Project

PASSWORD_ENV = SMTP.env  # NEWSLETTER_SMTP_PASSWORD
DEFAULT_TENANT = "organizations"  # any work or school account
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
SECURITY_WORDS = {"starttls": "STARTTLS", "tls": "TLS", "none": "no encryption"}


@dataclass(frozen=True)
class Preset:
    """A provider's server and published sending limits."""

    label: str
    host: str
    port: int
    security: str
    messages_per_minute: int
    recipients_per_day: int
    source: str


PRESETS = {
    # Microsoft Learn, "Message storage and concurrent connection throttling for SMTP
    # Authenticated Submission": 30 messages a minute, 10,000 recipients a day.
    "microsoft365": Preset(
        "Microsoft 365", "smtp.office365.com", 587, "starttls", 30, 10_000,
        "https://learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/"
        "smtp-submission-improvements",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to connect, and the limits to keep to."""

    host: str
    port: int
    security: str  # starttls | tls | none
    user: str | None = None
    messages_per_minute: int | None = None
    recipients_per_day: int | None = None
    timeout: float = 60.0
    label: str = "SMTP"
    auth: str = "password"  # password | oauth
    tenant: str = DEFAULT_TENANT
    client_id: str | None = None

    def describe(self) -> str:
        """'smtp.office365.com:587 with STARTTLS, as team@example.org'."""
        text = f"{self.host}:{self.port} with {SECURITY_WORDS[self.security]}"
        return text + (f", as {self.user}" if self.user else ", no login")


def smtp_server(project: Project, config: Config) -> SmtpServer:
    """The ``[smtp]`` settings with the preset's values for what is not set."""
    settings = config.smtp
    preset = PRESETS[settings.preset] if settings.preset else None
    host = settings.host or (preset.host if preset else None)
    if not host:
        raise ConfigError(
            "no SMTP server: [smtp] needs a host",
            path=project.config_path.name,
            hint='add [smtp] with host = "smtp.example.org" (or preset = "microsoft365") '
            "and user = ...",
        )
    security = settings.security or (preset.security if preset else "starttls")
    port = settings.port or (preset.port if preset and host == preset.host else None)
    return SmtpServer(
        host=host,
        port=port or DEFAULT_PORTS[security],
        security=security,
        user=settings.user,
        messages_per_minute=settings.messages_per_minute
        or (preset.messages_per_minute if preset else None),
        recipients_per_day=settings.recipients_per_day
        or (preset.recipients_per_day if preset else None),
        timeout=settings.timeout,
        label=preset.label if preset else "SMTP",
        **_auth(project, settings),
    )


def _auth(project: Project, settings: SmtpSettings) -> dict:
    """How to log in: a password, or OAuth (the default when a client_id is set)."""
    auth = settings.auth or ("oauth" if settings.client_id else "password")
    if auth == "password":
        return {}
    missing = [name for name in ("user", "client_id") if not getattr(settings, name)]
    if missing:
        raise ConfigError(
            f'[smtp] auth = "oauth" needs {" and ".join(missing)}',
            path=project.config_path.name,
            hint="user is the mailbox to send as; client_id the Application (client) ID "
            "registered in Entra ID (see 'Passwords and sign-in' in the manual)",
        )
    return {"auth": "oauth", "tenant": settings.tenant or DEFAULT_TENANT,
            "client_id": settings.client_id}  # fmt: skip


def smtp_password(server: SmtpServer) -> str | None:
    """The password for ``server.user`` (environment, else keychain); None when there is no
    user or the server signs in with OAuth."""
    if server.auth == "oauth":
        return None
    if server.user is None:
        if lookup(SMTP, keychain=False).value:
            raise ConfigError(
                f"{PASSWORD_ENV} is set but [smtp] has no user to log in as",
                hint="add user = \"...\" under [smtp], or unset the variable",
            )
        return None
    password = lookup(SMTP, server.user).value
    if not password:
        raise ConfigError(
            f"{PASSWORD_ENV} is not set, and the keychain has no password for {server.user}",
            hint=f"run '{SMTP.login}' to keep the password for {server.host} in this "
            f"computer's keychain, or set {PASSWORD_ENV} (for Microsoft 365, an app password "
            "if the mailbox uses MFA)",
        )
    return password


def duration(seconds: float) -> str:
    """'about 1 hour 7 minutes', 'under a minute'."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    parts += [f"{minutes} minute{'s' * (minutes != 1)}"] if minutes else []
    return "about " + " ".join(parts)


def plan_notes(server: SmtpServer, to_send: int, sent_last_day: int) -> tuple[str, list[str]]:
    """The backend line of the confirmation screen, and warnings about the limits."""
    line = f"{server.label} {server.describe()} (real email, one message per recipient)"
    warnings = []
    if server.messages_per_minute:
        took = duration(to_send * 60 / server.messages_per_minute)
        line += f"; at most {server.messages_per_minute} a minute: {took}"
    if server.recipients_per_day:
        left = max(0, server.recipients_per_day - sent_last_day)
        line += f"; {left:,} of {server.recipients_per_day:,} a day left"
        if to_send > left:
            warnings.append(
                f"the daily limit allows {left:,} more recipient(s) ({sent_last_day:,} sent "
                f"through SMTP in the last 24 hours): the send will stop there, the rest "
                "left queued; run the same command again the next day to go on"
            )
    return line, warnings

"""Choosing and setting up a delivery backend from newsletter.toml and the environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.backends.smtp import SmtpBackend
from newsletter_cli.delivery.message import Letterhead
from newsletter_cli.delivery.sendgrid_body import Envelope
from newsletter_cli.delivery.sendgrid_settings import api_host, api_key
from newsletter_cli.delivery.smtp_settings import smtp_password, smtp_server
from newsletter_cli.errors import ConfigError
from newsletter_cli.journal import existing_journal

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.delivery.backends.base import Backend
    from newsletter_cli.delivery.backends.sendgrid import RetryPolicy
    from newsletter_cli.delivery.smtp_settings import SmtpServer
    from newsletter_cli.project import Project


def make_backend(
    name: str,
    project: Project,
    config: Config,
    *,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Backend:
    """The backend called ``name`` ("outbox" or "sendgrid"), set up from the config."""
    sender = config.sender
    if name == "outbox":
        return OutboxBackend(
            project.outbox_dir,
            from_email=sender.from_email,
            from_name=sender.from_name,
            reply_to=sender.reply_to,
        )
    if name == "smtp":
        return smtp_backend(project, config)
    if name != "sendgrid":
        raise ConfigError(f"unknown backend {name!r}; use outbox, sendgrid or smtp")
    key = api_key()
    group = unsubscribe_group(project, config)
    from newsletter_cli.delivery.backends.sendgrid import SendGridBackend

    envelope = Envelope(
        from_email=sender.from_email,
        from_name=sender.from_name,
        reply_to=sender.reply_to,
        unsubscribe_group=group,
        categories=tuple(config.sendgrid.categories),
    )
    extra = {"sleep": sleep} if sleep is not None else {}
    return SendGridBackend(
        key, envelope, host=api_host(), policy=policy, **extra
    )


def backend_delivers(name: str) -> bool:
    """Whether the backend called ``name`` reaches people (its class's ``delivers``),
    known before it is set up (no key needed): for the once-per-issue check."""
    if name == "outbox":
        chosen = OutboxBackend
    elif name == "sendgrid":
        from newsletter_cli.delivery.backends.sendgrid import SendGridBackend as chosen
    elif name == "smtp":
        chosen = SmtpBackend
    else:
        raise ConfigError(f"unknown backend {name!r}; use outbox, sendgrid or smtp")
    return bool(chosen.delivers)


def unsubscribe_group(project: Project, config: Config) -> int:
    group = config.sendgrid.unsubscribe_group
    if group is None:
        raise ConfigError(
            "no SendGrid unsubscribe group: every email needs a working unsubscribe link",
            path=project.config_path.name,
            hint="add 'unsubscribe_group = <id>' under [sendgrid] "
            "(SendGrid: Suppressions > Unsubscribe Groups)",
        )
    return group


def smtp_backend(project: Project, config: Config) -> Backend:
    """The SMTP backend; its daily limit counts what the journal says went in the last day."""
    server = smtp_server(project, config)
    sender = config.sender
    letterhead = Letterhead(sender.from_email, sender.from_name, sender.reply_to)
    return SmtpBackend(
        server,
        smtp_password(server),
        letterhead,
        sent_since=lambda since: smtp_sent_since(project, since),
    )


def smtp_preflight(project: Project, config: Config, dry_run: bool) -> tuple[SmtpServer, str]:
    """The SMTP settings, checked before anything is sent; a warning for a dry run without
    the password (a real send needs it and stops here without it)."""
    server = smtp_server(project, config)
    try:
        smtp_password(server)
    except ConfigError as exc:
        if not dry_run:
            raise
        return server, f"{exc.message}: a real send would stop"
    return server, ""


def smtp_sent_since(project: Project, since: float) -> int:
    """Recipients this project's SMTP sends had accepted since unix time ``since``."""
    journal = existing_journal(project)
    if journal is None:
        return 0
    with journal:
        return journal.accepted_since("smtp", since)

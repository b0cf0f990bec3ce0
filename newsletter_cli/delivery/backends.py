"""Choosing and setting up a delivery backend from newsletter.toml and the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsletter_cli.errors import ConfigError

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.delivery.base import Backend
    from newsletter_cli.delivery.sendgrid_backend import RetryPolicy
    from newsletter_cli.delivery.smtp_settings import SmtpServer
    from newsletter_cli.project import Project

API_KEY_ENV = "SENDGRID_API_KEY"  # the same as secrets.SENDGRID.env
API_HOST_ENV = "SENDGRID_API_HOST"
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


def api_key(*, sending: bool = True) -> str:
    """The SendGrid API key (environment, else keychain), checked for shape (never echoed).

    ``sending=False`` for the commands that only ask SendGrid questions (sync, report)."""
    from newsletter_cli.secrets import SENDGRID, lookup

    secret = lookup(SENDGRID)
    key = secret.value
    if not key:
        hint = (
            f"run '{SENDGRID.login}' (or set {API_KEY_ENV}) to send through SendGrid, "
            "or use --backend outbox to write the emails to files"
            if sending
            else f"run '{SENDGRID.login}' (or set {API_KEY_ENV}): a key that may read what "
            "this command asks SendGrid (see 'After you send' in the manual)"
        )
        raise ConfigError(
            f"no SendGrid key: {API_KEY_ENV} is not set and the keychain has none", hint=hint
        )
    if not _PRINTABLE.match(key):
        raise ConfigError(
            f"the SendGrid key {secret} contains spaces or unusual characters; check it"
        )
    return key


def api_host() -> str | None:
    """``SENDGRID_API_HOST`` when set: only ``http(s)://host[:port]``, checked before sending.

    (The tests point it at a local server.) Anything else is a ConfigError, so a typo can
    never leave a batch half-sent and "uncertain".
    """
    raw = os.environ.get(API_HOST_ENV, "")
    if not raw.strip():
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(raw.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (
        parts is None
        or not _PRINTABLE.match(raw.strip())
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            f"{API_HOST_ENV} must be http://HOST or https://HOST, with an optional :PORT "
            "and nothing after it",
            hint=f"unset {API_HOST_ENV} to use SendGrid itself",
        )
    return f"{parts.scheme}://{parts.netloc}"


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
        from newsletter_cli.delivery.outbox import OutboxBackend

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
    from newsletter_cli.delivery.sendgrid_backend import SendGridBackend
    from newsletter_cli.delivery.sendgrid_body import Envelope

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
        from newsletter_cli.delivery.outbox import OutboxBackend as chosen
    elif name == "sendgrid":
        from newsletter_cli.delivery.sendgrid_backend import SendGridBackend as chosen
    elif name == "smtp":
        from newsletter_cli.delivery.smtp import SmtpBackend as chosen
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
    from newsletter_cli.delivery.message import Letterhead
    from newsletter_cli.delivery.smtp import SmtpBackend
    from newsletter_cli.delivery.smtp_settings import smtp_password, smtp_server

    server = smtp_server(project, config)
    sender = config.sender
    letterhead = Letterhead(sender.from_email, sender.from_name, sender.reply_to)
    token = None
    if server.auth == "oauth":
        from newsletter_cli.delivery.microsoft365 import token_source

        token = token_source(server)
    return SmtpBackend(
        server,
        smtp_password(server),
        letterhead,
        sent_since=lambda since: smtp_sent_since(project, since),
        token=token,
    )


def smtp_preflight(project: Project, config: Config, dry_run: bool) -> tuple[SmtpServer, str]:
    """The SMTP settings, checked before anything is sent; a warning for a dry run without
    the password (a real send needs it and stops here without it)."""
    from newsletter_cli.delivery.smtp_settings import smtp_password, smtp_server

    server = smtp_server(project, config)
    try:
        smtp_password(server)
        if server.auth == "oauth":
            from newsletter_cli.delivery import microsoft365

            if microsoft365.signed_in(server) is None:
                raise microsoft365.not_signed_in(server)
    except ConfigError as exc:
        if not dry_run:
            raise
        return server, f"{exc.message}: a real send would stop"
    return server, ""


def smtp_sent_since(project: Project, since: float) -> int:
    """Recipients this project's SMTP sends had accepted since unix time ``since``."""
    from newsletter_cli.journal import existing_journal

    journal = existing_journal(project)
    if journal is None:
        return 0
    with journal:
        return journal.accepted_since("smtp", since)

"""Where each key, password and sign-in of a project comes from, in words (never a value).

For ``newsletter journal`` and ``newsletter --version``, and the SMTP server a
``login smtp`` / ``login microsoft365`` is for.
"""

from __future__ import annotations

from newsletter_cli.config import load_config
from newsletter_cli.delivery.microsoft365 import signed_in
from newsletter_cli.delivery.smtp_settings import SmtpServer, smtp_server
from newsletter_cli.errors import ConfigError, NewsletterError
from newsletter_cli.project import Project
from newsletter_cli.secrets import SENDGRID, SMTP, SecretKind, lookup


def project_smtp(project: Project) -> SmtpServer:
    """The project's ``[smtp]`` server (ConfigError when newsletter.toml has none)."""
    if not project.config_path.is_file():
        raise ConfigError(
            f"no newsletter.toml in {project.root}: the mail server and its user are set there",
            hint="cd into your newsletter folder (or run newsletter init)",
        )
    return smtp_server(project, load_config(project))


def sources(project: Project | None) -> list[tuple[str, str]]:
    """``[("SendGrid key", "from the keychain (newsletter / sendgrid)"), ...]``."""
    found = [("SendGrid key", _where(lambda: _secret(SENDGRID)))]
    if project is None or not project.config_path.is_file():
        return found
    try:
        config = load_config(project)
        if config.smtp.host is None and config.smtp.preset is None:
            return found
        server = smtp_server(project, config)
    except NewsletterError as exc:
        return [*found, ("SMTP login", f"unknown: {exc}")]
    if server.auth == "oauth":
        return [*found, ("Microsoft 365", _where(lambda: _signed_in(server)))]
    if server.user:
        return [*found, ("SMTP password", _where(lambda: _secret(SMTP, server.user)))]
    return [*found, ("SMTP password", "none: [smtp] has no user to log in as")]


def _secret(kind: SecretKind, user: str | None = None) -> str:
    secret = lookup(kind, user)
    return str(secret) if secret.source else f"not set ({kind.login}, or {kind.env})"


def _signed_in(server: SmtpServer) -> str:
    who = signed_in(server)
    if who is None:
        return f"not signed in as {server.user} (newsletter login microsoft365)"
    return f"signed in as {who.username}; tokens in {who.cache}"


def _where(describe) -> str:
    try:
        return describe()
    except NewsletterError as exc:
        return exc.message
    except Exception as exc:  # noqa: BLE001 - a keychain or cache that cannot be read
        return f"cannot be read here ({type(exc).__name__})"

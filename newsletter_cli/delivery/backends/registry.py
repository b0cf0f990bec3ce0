"""The registry of delivery backends: from the name in newsletter.toml to the class.

A new backend is one module in this package with a :class:`~.base.Backend` subclass,
and one entry in :data:`BACKENDS`; callers ask the class what it can do, never its name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsletter_cli.delivery.backends.base import Backend
from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.backends.sendgrid import SendGridBackend
from newsletter_cli.delivery.backends.smtp import SmtpBackend
from newsletter_cli.errors import ConfigError

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

#: Every backend by its name (newsletter.toml's ``[delivery] backend``, ``--backend``).
BACKENDS: dict[str, type[Backend]] = {
    backend.name: backend for backend in (OutboxBackend, SendGridBackend, SmtpBackend)
}


def backend_class(name: str) -> type[Backend]:
    """The class of the backend called ``name``; a ConfigError for an unknown name."""
    found = BACKENDS.get(name)
    if found is None:
        known = ", ".join(sorted(BACKENDS)[:-1]) + " or " + sorted(BACKENDS)[-1]
        raise ConfigError(f"unknown backend {name!r}; use {known}")
    return found


def make_backend(name: str, project: Project, config: Config, **options: Any) -> Backend:
    """The backend called ``name``, set up from the config (``options``: for tests, e.g.
    ``policy`` and ``sleep`` for SendGrid)."""
    return backend_class(name).from_config(project, config, **options)

"""SendGrid's settings: the API key and host, from the environment, checked before use.

Beside the SMTP settings (:mod:`.smtp_settings`); the backend factory and the SendGrid
client both read them here.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsletter_cli.errors import ConfigError
from newsletter_cli.secrets import SENDGRID, lookup

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.project import Project

API_KEY_ENV = "SENDGRID_API_KEY"  # the same as secrets.SENDGRID.env
API_HOST_ENV = "SENDGRID_API_HOST"
_PRINTABLE = re.compile(r"^[\x21-\x7e]+$")


def api_key(*, sending: bool = True) -> str:
    """The SendGrid API key (environment, else keychain), checked for shape (never echoed).

    ``sending=False`` for the commands that only ask SendGrid questions (sync, report)."""
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


def unsubscribe_group(project: Project, config: Config) -> int:
    """The ``[sendgrid] unsubscribe_group``: every email needs one (a working unsubscribe)."""
    group = config.sendgrid.unsubscribe_group
    if group is None:
        raise ConfigError(
            "no SendGrid unsubscribe group: every email needs a working unsubscribe link",
            path=project.config_path.name,
            hint="add 'unsubscribe_group = <id>' under [sendgrid] "
            "(SendGrid: Suppressions > Unsubscribe Groups)",
        )
    return group

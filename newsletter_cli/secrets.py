"""Where a key or password comes from: an environment variable, else the system keychain.

The one place the tool reads a secret. An environment variable wins; otherwise the
keychain (Windows Credential Manager, macOS Keychain, Secret Service on Linux, through
the ``keyring`` package) under the service ``newsletter`` and a user name per secret:
``sendgrid`` for the SendGrid key (one per person on a computer), ``smtp:<login>`` for a
mail server password (one per mailbox). Nothing here is tied to a project folder, so a
moved or re-cloned folder keeps working and no project file ever holds a secret.

A value is never part of a message: :class:`Secret` prints as its source only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from newsletter_cli.errors import ConfigError

SERVICE = "newsletter"


@dataclass(frozen=True)
class SecretKind:
    """One kind of secret: its keychain user name prefix, its words, its variable."""

    key: str  # "sendgrid" | "smtp"
    label: str  # "SendGrid key"
    env: str  # "SENDGRID_API_KEY"
    login: str  # the command that stores it: "newsletter login sendgrid"
    strip: bool = True  # an API key never has spaces around it; a password may

    def account(self, user: str | None = None) -> str:
        """The keychain user name: 'sendgrid', 'smtp:team@example.org'."""
        return f"{self.key}:{user}" if user else self.key


SENDGRID = SecretKind("sendgrid", "SendGrid key", "SENDGRID_API_KEY", "newsletter login sendgrid")
SMTP = SecretKind(
    "smtp", "SMTP password", "NEWSLETTER_SMTP_PASSWORD", "newsletter login smtp", strip=False
)


@dataclass(frozen=True)
class Secret:
    """A value and where it came from (``None`` for both when there is none)."""

    value: str | None = field(repr=False)
    source: str | None  # "the environment variable SENDGRID_API_KEY", "the keychain (...)"

    def __str__(self) -> str:
        return f"from {self.source}" if self.source else "not set"


class KeychainError(ConfigError):
    """The system keychain cannot be used on this computer (a headless Linux, say)."""


def keychain_where(kind: SecretKind, user: str | None = None) -> str:
    """'the keychain (newsletter / sendgrid)'."""
    return f"the keychain ({SERVICE} / {kind.account(user)})"


def lookup(kind: SecretKind, user: str | None = None, *, keychain: bool = True) -> Secret:
    """The environment variable if set, else the keychain entry, else an empty Secret."""
    value = os.environ.get(kind.env, "")
    value = value.strip() if kind.strip else value
    if value:
        return Secret(value, f"the environment variable {kind.env}")
    if not keychain:
        return Secret(None, None)
    stored = _call(kind, "get_password", kind.account(user))
    if stored:
        return Secret(stored, keychain_where(kind, user))
    return Secret(None, None)


def store(kind: SecretKind, user: str | None, value: str) -> str:
    """Keep ``value`` in the keychain; returns where (words, without the value)."""
    _call(kind, "set_password", kind.account(user), value)
    return keychain_where(kind, user)


def forget(kind: SecretKind, user: str | None = None) -> bool:
    """Remove the keychain entry; False when there was none."""
    import keyring.errors

    try:
        _call(kind, "delete_password", kind.account(user))
    except keyring.errors.PasswordDeleteError:
        return False
    return True


_KEYCHAINS = {
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.SecretService": "Secret Service",
    "keyring.backends.libsecret": "Secret Service",
    "keyring.backends.kwallet": "KWallet",
}


def keychain_name() -> str:
    """The keychain in use, in words: 'Windows Credential Manager', 'macOS Keychain'."""
    import keyring

    backend = keyring.get_keyring()
    module = type(backend).__module__
    return _KEYCHAINS.get(module) or str(getattr(backend, "name", type(backend).__name__))


def _call(kind: SecretKind, method: str, *args: str) -> str | None:
    """``keyring.<method>(SERVICE, *args)``; a keychain that cannot work is one plain line."""
    import keyring
    import keyring.errors

    try:
        _insist_on_a_keychain(keyring.get_keyring())
        return getattr(keyring, method)(SERVICE, *args)
    except keyring.errors.PasswordDeleteError:
        raise
    except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KeychainError(
            f"the system keychain cannot be used on this computer ({reason[:160]})",
            hint=f"set {kind.env} in the environment instead",
        ) from None


def _insist_on_a_keychain(backend: object) -> None:
    """Refuse a plain-text fallback (keyrings.alt) that nobody chose explicitly."""
    import keyring.core

    if float(getattr(backend, "priority", 1)) >= 1 or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return
    if keyring.core.load_config() is not None:
        return
    raise RuntimeError(f"only {type(backend).__name__}, which is not a secure keychain")

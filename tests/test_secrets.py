"""newsletter_cli.secrets: the environment first, then the keychain; never a value in words."""

from __future__ import annotations

import keyring
import keyring.core
import pytest
from keyring.backends import fail

from newsletter_cli.errors import ConfigError
from newsletter_cli.secrets import SENDGRID, SMTP, KeychainError, Secret, forget, lookup, store

KEY = "SG.keychain-key-Qw8.never-print-me-9931"


def test_the_keychain_is_used_when_no_variable_is_set(keychain):
    assert lookup(SENDGRID) == Secret(None, None)
    assert store(SENDGRID, None, KEY) == "the keychain (newsletter / sendgrid)"
    assert keyring.get_password("newsletter", "sendgrid") == KEY
    found = lookup(SENDGRID)
    assert found.value == KEY and str(found) == "from the keychain (newsletter / sendgrid)"
    assert KEY not in repr(found) and KEY not in str(found)


def test_the_environment_variable_wins(monkeypatch):
    store(SENDGRID, None, KEY)
    monkeypatch.setenv("SENDGRID_API_KEY", " SG.from-the-environment ")
    found = lookup(SENDGRID)
    assert found.value == "SG.from-the-environment"
    assert found.source == "the environment variable SENDGRID_API_KEY"


def test_passwords_are_kept_per_login_and_not_stripped(monkeypatch):
    store(SMTP, "a@example.org", " pass word ")
    assert lookup(SMTP, "a@example.org").value == " pass word "
    assert lookup(SMTP, "b@example.org").value is None
    assert keyring.get_password("newsletter", "smtp:a@example.org") == " pass word "
    monkeypatch.setenv("NEWSLETTER_SMTP_PASSWORD", " env pass ")
    assert lookup(SMTP, "b@example.org").value == " env pass "


def test_forget_removes_only_what_is_there():
    store(SENDGRID, None, KEY)
    assert forget(SENDGRID) is True
    assert lookup(SENDGRID).value is None
    assert forget(SENDGRID) is False


def test_no_keychain_is_one_plain_error_naming_the_variable(monkeypatch):
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    with pytest.raises(KeychainError) as caught:
        lookup(SENDGRID)
    assert isinstance(caught.value, ConfigError) and caught.value.exit_code == 2
    assert caught.value.message.startswith("the system keychain cannot be used on this computer")
    assert "\n" not in caught.value.message
    assert caught.value.hint == "set SENDGRID_API_KEY in the environment instead"


def test_a_plain_text_fallback_nobody_chose_is_refused(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    with pytest.raises(KeychainError, match="not a secure keychain"):
        store(SENDGRID, None, KEY)

"""Microsoft 365 with OAuth 2.0: `newsletter login microsoft365` (device code, against a
stand-in identity server on 127.0.0.1), then `send --backend smtp` with AUTH XOAUTH2."""

from __future__ import annotations

import base64
import os
import ssl
from datetime import date
from pathlib import Path

import pytest
import trustme
from support.issues import SEPTEMBER

from newsletter_cli.delivery.microsoft365 import xoauth2
from newsletter_cli.delivery.smtp_settings import SmtpServer

from .identity_standin import CLIENT_ID, DEVICE_CODE, SMTP_SCOPE, TENANT, USER_CODE, IdentityStandIn
from .xoauth2_sink import XOAuth2Sink

USER = "regional.team@contoso.onmicrosoft.com"


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    """A certificate authority the sign-in trusts through SSL_CERT_FILE."""
    authority = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    return server, str(pem)


@pytest.fixture
def identity(ca, monkeypatch):
    standin = IdentityStandIn(ca[0], USER).start()
    monkeypatch.setenv("NEWSLETTER_MICROSOFT_LOGIN_HOST", standin.base)
    monkeypatch.setenv("SSL_CERT_FILE", ca[1])
    yield standin
    standin.stop()


@pytest.fixture
def sink(identity):
    server = XOAuth2Sink(USER, valid=lambda token: token == identity.issued[-1]).start()
    yield server
    server.stop()


def oauth_project(project_dir: Path, port: int) -> None:
    """The September sample ready to send, and [smtp] for Microsoft 365 with OAuth (the
    preset's limits; the server is the sink on this machine)."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace("TODO", "https://example.org/more")
    path.write_text(text.replace("2025-", f"{date.today().year + 1}-"), encoding="utf-8")
    toml = project_dir / "newsletter.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'from_email = "regional.team@example.org"', f'from_email = "{USER}"'
    ) + f'\n[smtp]\npreset = "microsoft365"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "none"\nuser = "{USER}"\nclient_id = "{CLIENT_ID}"\ntenant = "{TENANT}"\n'
        "messages_per_minute = 6000\n", encoding="utf-8")  # fmt: skip


def every_file_text(root: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace")
                     for p in root.rglob("*") if p.is_file())  # fmt: skip


def test_xoauth2_initial_response_is_the_documented_string():
    text = xoauth2("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    assert base64.b64encode(text.encode()).decode() == (
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhk"
        "SFJoZG1semRHRXVZMjl0Q2cBAQ=="
    )  # Google's published example of the SASL XOAUTH2 initial client response


def test_login_with_a_device_code_then_send_with_xoauth2(invoke, project_dir, identity, sink):
    oauth_project(project_dir, sink.port)
    before = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    assert before.exit_code == 2 and f"not signed in to Microsoft 365 as {USER}" in before.output
    assert "newsletter login microsoft365" in before.output and not sink.messages

    login = invoke("login", "microsoft365")
    assert login.exit_code == 0, login.output
    assert (f"open the page https://microsoft.com/devicelogin and enter the code {USER_CODE}"
            in login.output)  # fmt: skip
    assert f"Signed in as {USER}." in login.output
    assert identity.grants == ["urn:ietf:params:oauth:grant-type:device_code"] * 2  # pending, ok
    assert SMTP_SCOPE in identity.scopes[0] and "offline_access" in identity.scopes[0]
    journal = invoke("journal")
    assert f"Microsoft 365: signed in as {USER}; tokens in " in journal.output

    sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    assert sent.exit_code == 0, sent.output
    assert sink.accepted and sink.handler.mechanisms == ["XOAUTH2"]
    assert sink.handler.tokens == [identity.issued[0]]
    assert len(identity.grants) == 2  # the token came from the cache: no new request
    everything = login.output + journal.output + sent.output + every_file_text(project_dir)
    for secret in (*identity.issued, *identity.refresh_tokens, DEVICE_CODE):
        assert secret not in everything


def test_a_token_about_to_expire_is_renewed_silently(invoke, project_dir, identity, sink):
    oauth_project(project_dir, sink.port)
    identity.expires_in = 120  # MSAL renews a token with less than 5 minutes left
    assert invoke("login", "microsoft365").exit_code == 0
    sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    assert sent.exit_code == 0, sent.output
    assert identity.grants[-1] == "refresh_token" and len(identity.issued) == 2
    assert sink.handler.tokens == [identity.issued[1]]


def test_a_refused_token_stops_the_send_with_a_hint(invoke, project_dir, identity):
    refusing = XOAuth2Sink(USER, valid=lambda token: False).start()
    try:
        oauth_project(project_dir, refusing.port)
        assert invoke("login", "microsoft365").exit_code == 0
        sent = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    finally:
        refusing.stop()
    assert sent.exit_code == 3 and not refusing.messages
    assert "535 5.7.3 Authentication unsuccessful" in sent.output
    assert "SMTP.Send permission" in sent.output
    assert identity.issued[0] not in sent.output


def test_logout_forgets_the_sign_in(invoke, project_dir, identity, sink):
    oauth_project(project_dir, sink.port)
    assert invoke("login", "microsoft365").exit_code == 0
    gone = invoke("logout", "microsoft365")
    assert gone.exit_code == 0 and f"Removed the Microsoft 365 sign-in for {USER}" in gone.output
    assert "not signed in" in invoke("journal").output
    cache = Path(os.environ["NEWSLETTER_TOKEN_CACHE"]).read_bytes()
    assert identity.refresh_tokens[0].encode() not in cache
    assert identity.issued[0].encode() not in cache


def test_signed_in_as_another_account_is_refused(invoke, project_dir, identity, sink):
    oauth_project(project_dir, sink.port)
    identity.user = "someone.else@contoso.onmicrosoft.com"
    login = invoke("login", "microsoft365")
    assert login.exit_code == 3
    assert f"signed in as someone.else@contoso.onmicrosoft.com, but [smtp] user is {USER}" \
        in login.output  # fmt: skip


def test_oauth_settings_are_checked(project):
    from newsletter_cli.config import Config, SmtpSettings
    from newsletter_cli.delivery.smtp_settings import smtp_server
    from newsletter_cli.errors import ConfigError

    assert SmtpServer("h", 1, "starttls").auth == "password"
    with pytest.raises(ValueError, match="8-4-4-4-12"):
        SmtpSettings(client_id="not-a-guid")
    config = Config(smtp={"preset": "microsoft365", "client_id": CLIENT_ID})
    with pytest.raises(ConfigError, match='auth = "oauth" needs user'):
        smtp_server(project, config)

"""Signing in to Microsoft 365 with OAuth 2.0, for SMTP ``AUTH XOAUTH2``.

``newsletter login microsoft365`` runs MSAL's device-code flow once: Microsoft's words
("go to https://microsoft.com/devicelogin and enter the code ...") are shown, the person
signs in on any browser, and MSAL keeps the tokens in an encrypted cache
(``msal-extensions``: DPAPI on Windows, the Keychain on macOS, libsecret on Linux; a
Linux without libsecret gets a file only its owner may read). A send then asks MSAL for
an access token silently (refreshed with the refresh token when it is about to expire)
and logs in with it. Tokens are never printed and never stored in the project.

``NEWSLETTER_MICROSOFT_LOGIN_HOST`` (``https://host[:port]``) points the sign-in at
another identity server (the tests' stand-in); ``NEWSLETTER_TOKEN_CACHE`` names the
cache file. ``SSL_CERT_FILE`` is trusted for the sign-in as for the SMTP server.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsletter_cli.delivery.smtp_settings import SmtpServer
from newsletter_cli.errors import AuthError, ConfigError

#: Sending mail over SMTP AUTH; MSAL adds offline_access (the refresh token), openid, profile.
SCOPES = ["https://outlook.office365.com/SMTP.Send"]
LOGIN_HOST = "https://login.microsoftonline.com"
HOST_ENV = "NEWSLETTER_MICROSOFT_LOGIN_HOST"
CACHE_ENV = "NEWSLETTER_TOKEN_CACHE"
_HOST = re.compile(r"^https://[A-Za-z0-9.\-]+(:\d{1,5})?/?$")
LOGIN = "newsletter login microsoft365"


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, and where the tokens are kept (never the tokens)."""

    username: str
    cache: str  # "an encrypted cache (…)", in words


def cache_path() -> Path:
    """The token cache file: NEWSLETTER_TOKEN_CACHE, else in the per-user data folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("newsletter", appauthor=False)) / "microsoft365.bin"


def _persistence() -> tuple[Any, str]:
    """msal-extensions' encrypted persistence for this system, or (Linux without libsecret)
    a plain file readable by its owner only; with its description in words."""
    from msal_extensions import FilePersistence, build_encrypted_persistence

    path = cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        persistence = build_encrypted_persistence(str(path))
    except Exception:  # noqa: BLE001 - e.g. no libsecret/PyGObject, no D-Bus session
        if not sys.platform.startswith("linux"):
            raise
        plain = f"{path} (not encrypted: no Secret Service on this computer; only you can read it)"
        return FilePersistence(str(path)), plain
    return persistence, f"{path} (encrypted)"


def token_cache() -> tuple[Any, str]:
    """The persisted MSAL token cache and its description."""
    from msal_extensions import PersistedTokenCache

    persistence, where = _persistence()
    return PersistedTokenCache(persistence), where


def login_host() -> str:
    """Microsoft's sign-in host, or the one in NEWSLETTER_MICROSOFT_LOGIN_HOST."""
    raw = os.environ.get(HOST_ENV, "").strip()
    if not raw:
        return LOGIN_HOST
    if not _HOST.match(raw):
        raise ConfigError(
            f"{HOST_ENV} must be https://HOST with an optional :PORT and nothing after it",
            hint=f"unset {HOST_ENV} to sign in at Microsoft",
        )
    return raw.rstrip("/")


def application(server: SmtpServer, cache: Any) -> Any:
    """The MSAL public client application for ``server``'s tenant and client id."""
    import msal
    import requests

    session = requests.Session()
    options: dict[str, Any] = {"timeout": 30}
    if os.environ.get("SSL_CERT_FILE"):  # as for the SMTP server; wins over REQUESTS_CA_BUNDLE
        options["verify"] = os.environ["SSL_CERT_FILE"]
    session.request = functools.partial(session.request, **options)  # type: ignore[method-assign]
    host = login_host()
    custom = host != LOGIN_HOST
    try:
        return msal.PublicClientApplication(
            server.client_id,
            authority=f"{host}/{server.tenant}",
            token_cache=cache,
            http_client=session,
            validate_authority=not custom,
            instance_discovery=False if custom else None,
        )
    except ValueError as exc:  # an unknown tenant: the discovery document is not there
        raise ConfigError(
            f"Microsoft does not know the tenant {server.tenant!r}: {_first_line(exc)}",
            hint="check tenant under [smtp] (the Directory (tenant) ID in Entra ID)",
        ) from None
    except requests.RequestException as exc:
        raise AuthError(f"could not reach {host} to sign in: {_first_line(exc)}") from None


def device_login(server: SmtpServer, show: Callable[[str], None]) -> SignedIn:
    """Run the device-code flow: ``show`` gets Microsoft's instructions; then wait."""
    cache, where = token_cache()
    app = application(server, cache)
    flow = _call(app.initiate_device_flow, scopes=SCOPES)
    if "user_code" not in flow:
        raise AuthError(f"Microsoft did not start the sign-in: {_error(flow)}")
    show(flow["message"])
    result = _call(app.acquire_token_by_device_flow, flow)
    if "access_token" not in result:
        raise AuthError(f"the sign-in did not finish: {_error(result)}",
                        hint=f"run '{LOGIN}' again")  # fmt: skip
    username = str((result.get("id_token_claims") or {}).get("preferred_username") or "")
    if server.user and username.lower() != server.user.lower():
        for account in app.get_accounts(username=username):
            app.remove_account(account)
        raise AuthError(
            f"signed in as {username or 'an unnamed account'}, but [smtp] user is {server.user}",
            hint=f"run '{LOGIN}' again and sign in as {server.user}",
        )
    return SignedIn(username, where)


def signed_in(server: SmtpServer) -> SignedIn | None:
    """Who the cache holds for ``server.user`` (read without asking Microsoft anything)."""
    cache, where = token_cache()
    accounts = cache.search(cache.CredentialType.ACCOUNT)
    user = (server.user or "").lower()
    for account in accounts:
        if account.get("username", "").lower() == user:
            return SignedIn(account["username"], where)
    return None


def sign_out(server: SmtpServer) -> bool:
    """Forget the account (and its tokens) for ``server.user``; False when there was none."""
    cache, _ = token_cache()
    found = False
    user = (server.user or "").lower()
    for account in list(cache.search(cache.CredentialType.ACCOUNT)):
        if account.get("username", "").lower() == user or not user:
            found = True
            owner = {"home_account_id": account["home_account_id"]}
            for kind in (cache.CredentialType.REFRESH_TOKEN, cache.CredentialType.ACCESS_TOKEN,
                         cache.CredentialType.ID_TOKEN):  # fmt: skip
                for item in list(cache.search(kind, query=owner)):
                    cache.modify(kind, item)
            cache.remove_account(account)
    return found


def token_source(server: SmtpServer) -> Callable[[], str]:
    """A function giving a fresh access token for ``server.user`` (silently refreshed)."""

    def access_token() -> str:
        cache, _ = token_cache()
        app = application(server, cache)
        accounts = app.get_accounts(username=server.user)
        if not accounts:
            raise not_signed_in(server)
        result = _call(app.acquire_token_silent_with_error, SCOPES, accounts[0])
        if not result or "access_token" not in result:
            raise AuthError(
                f"the Microsoft 365 sign-in for {server.user} has run out ({_error(result or {})})",
                hint=f"run '{LOGIN}' to sign in again",
            )
        return str(result["access_token"])

    return access_token


def not_signed_in(server: SmtpServer) -> ConfigError:
    return ConfigError(
        f"not signed in to Microsoft 365 as {server.user}",
        hint=f"run '{LOGIN}' once on this computer (or set auth = \"password\" under [smtp])",
    )


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64): user, bearer token, two ^A."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def _call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """An MSAL call, with a network failure as one plain line."""
    import requests

    try:
        return method(*args, **kwargs)
    except requests.RequestException as exc:
        raise AuthError(f"could not reach Microsoft's sign-in: {_first_line(exc)}") from None


def _error(answer: dict) -> str:
    words = str(answer.get("error_description") or answer.get("error") or "no answer")
    return _first_line(words)


def _first_line(text: object) -> str:
    lines = str(text).strip().splitlines()
    return lines[0][:300] if lines else ""

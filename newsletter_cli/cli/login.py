"""`newsletter login` / `logout`: a key or password in the system keychain, or the
Microsoft 365 sign-in (device code, OAuth 2.0).

Thin commands over :mod:`newsletter_cli.secrets` and
:mod:`newsletter_cli.delivery.microsoft365` (keyring and msal are imported only here,
when these commands run).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from newsletter_cli.cli.app import app
from newsletter_cli.cli.output import console


class Service(StrEnum):
    sendgrid = "sendgrid"
    smtp = "smtp"
    microsoft365 = "microsoft365"


def _service(value: str) -> Service:
    try:
        return Service(value.lower())
    except ValueError:
        raise typer.BadParameter("use sendgrid, smtp or microsoft365") from None


WHAT = typer.Argument(
    metavar="SERVICE", help="sendgrid, smtp (the [smtp] user's password) or microsoft365.",
    show_default=False,
)  # fmt: skip


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


@app.command()
def login(name: Annotated[str, WHAT]) -> None:
    """Keep the SendGrid key or the SMTP password in this computer's keychain (asked for
    without showing it), or sign in to Microsoft 365 once with a code.

    The environment variables SENDGRID_API_KEY and NEWSLETTER_SMTP_PASSWORD, when set, are
    used before the keychain. Nothing is written in the project folder.

    Example: newsletter login sendgrid
    """
    service = _service(name)
    if service is Service.microsoft365:
        _login_microsoft365()
        return
    from newsletter_cli.errors import ConfigError
    from newsletter_cli.secrets import SENDGRID, SMTP, keychain_name, store

    kind, user = SENDGRID, None
    if service is Service.smtp:
        kind, user = SMTP, _password_user()
    value = typer.prompt(
        f"{kind.label}" + (f" for {user}" if user else "") + " (not shown as you type)",
        hide_input=True, confirmation_prompt=service is Service.smtp, show_default=False,
    )  # fmt: skip
    if kind.strip:
        value = value.strip()
    if not value or (kind.strip and any(c <= " " or c > "~" for c in value)):
        raise ConfigError(f"that {kind.label} is empty or holds spaces or unusual characters; "
                          "nothing was stored")  # fmt: skip
    where = store(kind, user, value)
    console.print(_esc(f"Kept the {kind.label} in {where}, in {keychain_name()}."))
    _env_note(kind)


def _password_user() -> str:
    """The [smtp] user a password is for (a Microsoft 365 OAuth setup has none)."""
    from newsletter_cli.delivery.signin import project_smtp
    from newsletter_cli.errors import ConfigError
    from newsletter_cli.project import Project

    server = project_smtp(Project.find())
    if server.auth == "oauth":
        raise ConfigError(
            "this [smtp] signs in with Microsoft 365 (OAuth), not a password",
            hint="run 'newsletter login microsoft365'",
        )
    if not server.user:
        raise ConfigError("[smtp] has no user to log in as, so there is no password to keep",
                          hint='add user = "..." under [smtp] in newsletter.toml')  # fmt: skip
    return server.user


def _oauth_server():
    from newsletter_cli.delivery.signin import project_smtp
    from newsletter_cli.errors import ConfigError
    from newsletter_cli.project import Project

    server = project_smtp(Project.find())
    if server.auth != "oauth":
        raise ConfigError(
            "[smtp] is not set up for the Microsoft 365 sign-in (OAuth)",
            hint='add client_id = "..." (the app registered in Entra ID) and tenant under '
            "[smtp]; see 'Passwords and sign-in' in the manual",
        )
    return server


def _login_microsoft365() -> None:
    from newsletter_cli.delivery.microsoft365 import device_login

    server = _oauth_server()
    console.print(_esc(f"Signing in to Microsoft 365 as {server.user} (tenant {server.tenant})."))
    done = device_login(server, show=lambda message: console.print(_esc(message)))
    console.print(_esc(f"Signed in as {done.username}. The sign-in is kept in {done.cache}; "
                       "sends renew it without asking again."))  # fmt: skip


def _env_note(kind) -> None:
    import os

    if os.environ.get(kind.env, "").strip():
        console.print(_esc(f"Note: {kind.env} is set in this terminal, and is used before the "
                           "keychain while it is."))  # fmt: skip


@app.command()
def logout(name: Annotated[str, WHAT]) -> None:
    """Remove the SendGrid key or SMTP password from the keychain, or the Microsoft 365
    sign-in from this computer. Example: newsletter logout microsoft365
    """
    service = _service(name)
    if service is Service.microsoft365:
        from newsletter_cli.delivery.microsoft365 import sign_out

        server = _oauth_server()
        gone = sign_out(server)
        what = f"the Microsoft 365 sign-in for {server.user}"
        console.print(_esc(f"Removed {what}." if gone else f"Nothing to remove: no {what}."))
        return
    from newsletter_cli.secrets import SENDGRID, SMTP, forget, keychain_where

    kind, user = (SMTP, _password_user()) if service is Service.smtp else (SENDGRID, None)
    where = keychain_where(kind, user)
    gone = forget(kind, user)
    console.print(_esc(f"Removed the {kind.label} from {where}." if gone
                       else f"Nothing to remove: {where} holds no {kind.label}."))  # fmt: skip
    _env_note(kind)

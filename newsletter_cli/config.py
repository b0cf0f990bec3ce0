"""newsletter.toml: sender, delivery backend and SendGrid settings.

There are no built-in sender details: an email is never built without a From
address written in the project's newsletter.toml. No key or password is ever read from
here: only from the environment or the system keychain (see :mod:`newsletter_cli.secrets`).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from newsletter_cli.errors import ConfigError
from newsletter_cli.headertext import header_problem
from newsletter_cli.project import Project, no_project_message
from newsletter_cli.secrets import SENDGRID, SMTP
from newsletter_cli.sourcefile import describe_loc, read_text
from newsletter_cli.urls import url_problem

_EMAIL = re.compile(r'^[^@\s<>,;:"()\[\]\\]+@[^@\s<>,;:"()\[\]\\]+\.[^@\s<>,;:"()\[\]\\]+$')
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_HTTPS = re.compile(r"^https://[^/\s?#]+(/\S*)?$", re.IGNORECASE)
_FULL_ADDRESS = re.compile(r"^https?://[^/\s]+(/\S*)?$")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")  # browsers drop these inside an address
#: Hosts an unencrypted SMTP connection may go to (a relay or a test server on this machine).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_TENANT_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9-]+)*$")
SECRET_KEYS = {"api_key", "apikey", "sendgrid_api_key", "key", "token", "password"}


def _full_address(value: str | None, example: str) -> str | None:
    """``value`` if it is a whole http(s) address (or None); else the fix, with ``example``."""
    if value is not None and not _FULL_ADDRESS.match(value):
        raise ValueError(f"write the full address, e.g. {example}")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Sender(_Section):
    from_name: str = ""
    from_email: str | None = None
    reply_to: str | None = None
    #: Named in the footer and as the web edition's publisher (default: from_name).
    organisation: str = ""
    address: str = ""
    website: str | None = None
    #: A logo for the email header and the web page: a file under images/ or an https:// URL.
    logo: str | None = None
    logo_alt: str | None = None
    #: The organisation's privacy notice, linked from every email's footer (a live send
    #: needs one: UK GDPR says readers are told how their details are used).
    privacy_url: str | None = None

    @field_validator("privacy_url")
    @classmethod
    def _privacy_page(cls, value: str | None) -> str | None:
        return _full_address(value, "https://www.example.org/privacy")

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value and logo_problem(value):
            raise ValueError(logo_problem(value))
        return value

    @field_validator("from_name", "from_email", "reply_to")
    @classmethod
    def _one_header_line(cls, value: str | None) -> str | None:
        problem = header_problem(value) if value is not None else None
        if problem:  # it goes into the From or Reply-To header: it could add a header line
            raise ValueError(f"{problem}, which is not safe in an email header")
        return value

    @field_validator("from_email", "reply_to")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    @model_validator(mode="after")
    def _organisation(self) -> Sender:
        self.organisation = self.organisation or self.from_name
        return self


def logo_problem(value: str) -> str | None:
    """Why ``value`` cannot be the logo: it must be an https:// address or a file under images/."""
    usable = "use an https:// address or a file under images/ (e.g. images/logo.png)"
    compact = _IGNORED_IN_URLS.sub("", value)
    if _SCHEME.match(compact) or compact.startswith(("//", "\\\\")):
        scheme = _SCHEME.match(compact)
        if scheme and scheme[1].lower() == "https":
            return None if _HTTPS.match(value) else "write the full address, e.g. " \
                "https://www.example.org/logo.png, or a file under images/"
        what = f"a {scheme[1].lower()}: address" if scheme else "an address without https:"
        return f"{what} cannot be the logo; {usable}"
    parts = re.split(r"[/\\]", value)
    if parts[0] != "images" or len(parts) < 2 or ".." in parts or _IGNORED_IN_URLS.search(
        value.replace(" ", "")
    ):
        return f"{value!r} is not a file under images/; {usable}"
    return None


class Site(_Section):
    #: Where `newsletter publish`'s folder is served: each issue is at ``<base_url><name>/``.
    base_url: str | None = None
    #: The web edition's name (its index page and feed); default: the sender's organisation.
    title: str | None = None
    #: Older setting: the web copy of an issue, ``{slug}`` replaced by the issue's name.
    #: Ignored when base_url is set (see newsletter_cli.render.urls).
    view_online_url: str | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        return _full_address(value, "https://updates.example.org/news/")

    @field_validator("view_online_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        problem = url_problem(value) if value is not None else None
        if problem is None and value is not None and re.search(r"[\x00-\x20\x7f]", value):
            problem = "an address cannot hold spaces or control characters"
        if problem:
            raise ValueError(problem)
        return value


class Delivery(_Section):
    backend: Literal["outbox", "sendgrid", "smtp"] = "outbox"
    #: The team's shared journal (a PostgreSQL URL); unset: .newsletter/journal.sqlite.
    journal: str | None = None

    @field_validator("journal")
    @classmethod
    def _journal(cls, value: str | None) -> str | None:
        return None if value is None else check_journal_url(value)


#: libpq's sslmode values (https://www.postgresql.org/docs/current/libpq-ssl.html).
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def check_journal_url(url: str, *, command_line: bool = False) -> str:
    """A shared journal's URL, or ValueError saying what is wrong (a password is never echoed).

    ``command_line``: the URL was typed in a command (``journal migrate --to``), not
    written in newsletter.toml; the message about a password says so.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise ValueError("must be a PostgreSQL URL: postgresql://user@host:port/database")
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    if parts.password is not None or "password" in query:
        where = "on the command line" if command_line else "in newsletter.toml"
        raise ValueError(
            f"a password must not be given {where}: leave it out of the URL, and set "
            "PGPASSWORD in the environment or put it in ~/.pgpass (%APPDATA%\\postgresql\\"
            "pgpass.conf on Windows)"
        )
    for port in _ports(parts.netloc) + query.get("port", []):
        if not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            raise ValueError(f"the port {port!r} is not a number from 1 to 65535")
    for mode in query.get("sslmode", []):
        if mode not in SSLMODES:
            raise ValueError(f"sslmode={mode!r} is not one of: {', '.join(SSLMODES)}")
    return url


def _ports(netloc: str) -> list[str]:
    """The port after each host in 'user@h1:5432,h2' ('' for none), IPv6 '[::1]:5432' too."""
    ports = []
    for host in netloc.rpartition("@")[2].split(","):
        rest = host.rpartition("]")[2] if host.startswith("[") else host
        if ":" in rest:
            ports.append(rest.rpartition(":")[2])
    return [port for port in ports if port]


class SendGridSettings(_Section):
    unsubscribe_group: int | None = Field(default=None, ge=1)
    categories: list[str] = ["regional-update"]
    sandbox: bool = False
    #: Open and click tracking, a written choice sent with every request (off unless
    #: switched on: SendGrid's account defaults are never relied on).
    track_opens: bool = False
    track_clicks: bool = False


class SmtpSettings(_Section):
    """[smtp]: a submission server (Microsoft 365, a council relay...). Checked in delivery.smtp."""

    preset: Literal["microsoft365"] | None = None
    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    user: str | None = None
    security: Literal["starttls", "tls", "none"] | None = None
    messages_per_minute: int | None = Field(default=None, ge=1)
    recipients_per_day: int | None = Field(default=None, ge=1)
    timeout: float = Field(default=60.0, gt=0)
    #: How to log in: "password" (a password or app password), "oauth" (Microsoft 365 sign-in
    #: with `newsletter login microsoft365`). Default: "oauth" when client_id is set.
    auth: Literal["password", "oauth"] | None = None
    #: OAuth: the Entra ID tenant (its id or domain, default "organizations") and the
    #: application (client) id the team registered for sending.
    tenant: str | None = None
    client_id: str | None = None

    @field_validator("client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        if value is not None and not _GUID.match(value):
            raise ValueError(
                "the Application (client) ID from Entra ID: 8-4-4-4-12 hexadecimal digits"
            )
        return value

    @field_validator("tenant")
    @classmethod
    def _tenant(cls, value: str | None) -> str | None:
        if value is not None and not (_GUID.match(value) or _TENANT_NAME.match(value)):
            raise ValueError(
                "the Directory (tenant) ID from Entra ID, or the tenant's domain "
                "(yourcouncil.onmicrosoft.com), or organizations"
            )
        return value

    @field_validator("security")
    @classmethod
    def _unencrypted_only_here(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value == "none" and (info.data.get("host") or "").lower() not in LOCAL_HOSTS:
            raise ValueError(
                "'none' would send the password and every message unencrypted: it is "
                "allowed only for a server on this machine (127.0.0.1, localhost, ::1)"
            )
        return value


class Config(_Section):
    sender_section: Sender | None = Field(default=None, alias="sender")
    site: Site = Site()
    delivery: Delivery = Delivery()
    sendgrid: SendGridSettings = SendGridSettings()
    smtp: SmtpSettings = SmtpSettings()
    _path: Path | None = PrivateAttr(default=None)

    @property
    def sender(self) -> Sender:
        """[sender]; ConfigError naming newsletter.toml when it gives no from_email (no email
        is built with a From the team did not write)."""
        section = self.sender_section
        if section is None or not section.from_email:
            what = "from_email" if section is not None else "a [sender] section with from_email"
            raise ConfigError(
                f"no sender: this file needs {what}, the address the newsletter comes from",
                path=self._path,
                hint='e.g. [sender] from_name = "Regional Update Team", '
                'from_email = "newsletter@example.org" (see the file newsletter init writes)',
            )
        return section


def _key_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line of a dotted key in TOML text (section header, then key)."""
    if not loc:
        return None
    section, key = (loc[0], loc[1]) if len(loc) > 1 else (None, loc[0])
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[([^\]]+)\]$", line)
        if header:
            current = header[1].strip()
            if section is not None and current == section and key is None:
                return number
            continue
        if re.match(rf"^{re.escape(str(key))}\s*=", line) and current == section:
            return number
    if section is not None:
        return _key_line(text, (section,)) if len(loc) > 1 else None
    return None


def load_config(project: Project) -> Config:
    """Read the project's newsletter.toml; ConfigError (exit 2) when there is none."""
    path: Path = project.config_path
    if not path.is_file():
        raise ConfigError(no_project_message(project.root))
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError("TOML syntax: arrays or tables nested too deeply", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(
            f"TOML syntax: {message}", path=path, line=int(match[1]) if match else None
        ) from None
    for name, section in data.items():
        keys = section if isinstance(section, dict) else {}
        secret = next((k for k in keys if k.lower() in SECRET_KEYS), None)
        if secret is not None:
            kind = SMTP if name == "smtp" else SENDGRID
            what = "a password" if name == "smtp" else "an API key"
            raise ConfigError(
                f"{what} must not be stored in newsletter.toml; "
                f"set {kind.env} in the environment instead, or run '{kind.login}'",
                path=path,
                line=_key_line(text, (name, secret)),
            )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        raise ConfigError(
            f"{describe_loc(loc)}: {message}", path=path, line=_key_line(text, loc)
        ) from None
    config._path = path
    return config

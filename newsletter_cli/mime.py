"""A rendered email as a MIME message (text part first, then HTML), as mail servers like it.

Both parts are quoted-printable with lines of at most 76 characters (RFC 2045), so
no line on the wire comes near SMTP's 998-character limit and spam filters see no
over-long lines (SpamAssassin scores long quoted-printable lines). Header lines are
folded at 76 characters, except ``List-Unsubscribe``, whose URLs must stay as
written (folded only between them), never RFC 2047-encoded.

No value can add a header line, whatever the Python version: every value is refused
(:class:`~newsletter_cli.headertext.UnsafeHeader`) if it holds a line break, a control
character or ``=?`` before the email package sees it, and :func:`wire_bytes` checks the
written header block holds exactly the headers the message was given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from newsletter_cli.headertext import UnsafeHeader, header_value

if TYPE_CHECKING:
    from newsletter_cli.config import Sender
    from newsletter_cli.render import RenderedEmail

#: Most characters on one line of an encoded body part (RFC 2045 section 6.7).
MAX_LINE = 76
#: Headers whose value is a list of URLs: folded between URLs, never encoded.
URL_HEADERS = frozenset({"list-unsubscribe"})
#: A header name as RFC 5322 allows it (printable ASCII but the colon), kept to what we use.
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
#: One header, folded: printable ASCII lines, each after the first starting with space or tab.
_ONE_HEADER = re.compile(rb"[!-9;-~]+:[ \t!-~]*(?:\r\n[ \t][ \t!-~]*)*\r\n")
#: A display name the email package writes unquoted and unencoded: words between single spaces.
_PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9'_-]+(?: [A-Za-z0-9'_-]+)*)?")
#: An address it writes as is: dot-separated words each side of the @.
_WORD = r"[A-Za-z0-9_+-]+"
_PLAIN_ADDRESS = re.compile(rf"{_WORD}(?:\.{_WORD})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: Characters an address in a header must not hold (they would start another address).
_ADDRESS_UNSAFE = re.compile(r'[\s<>,;:"()\\\[\]]')


class WirePolicy(EmailPolicy):
    """``email.policy.SMTP`` (CRLF), with URL-list headers kept readable by mail clients."""

    def fold_binary(self, name: str, value: str) -> bytes:
        text = str(value)
        if name.lower() in URL_HEADERS and text.isascii():
            urls = [part.strip() for part in text.split(",")]
            return (f"{name}: " + f",{self.linesep} ".join(urls) + self.linesep).encode("ascii")
        return super().fold_binary(name, value)


POLICY = WirePolicy(linesep="\r\n", max_line_length=MAX_LINE)


def build_message(
    email: RenderedEmail,
    *,
    from_email: str,
    from_name: str,
    to: str,
    to_name: str = "",
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message to one person, both parts quoted-printable."""
    message = EmailMessage(policy=POLICY)
    message["From"] = mailbox("From", from_name, from_email)
    message["To"] = mailbox("To", to_name, to)
    message["Subject"] = header_value("Subject", email.subject)
    if reply_to:
        message["Reply-To"] = mailbox("Reply-To", "", reply_to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=from_email.rsplit("@", 1)[-1])
    for name, value in (headers or {}).items():
        if not _HEADER_NAME.fullmatch(name):
            raise UnsafeHeader(f"{name!r} is not a header name")
        message[name] = header_value(name, value)
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def mailbox(header: str, name: str, address: str) -> Address:
    """One address with an optional display name, both checked to stay on their line."""
    header_value(header, name)
    header_value(header, address)
    if _ADDRESS_UNSAFE.search(address) or address.count("@") != 1:
        raise UnsafeHeader(f"the {header} header's address is not one address: {address!r}")
    local, domain = address.split("@")
    return Address(name, username=local, domain=domain)


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as sent (CRLF), refused unless each header is one line, folded.

    The last guard against header injection, whatever the email package does: every
    header of ``message`` must be written as one logical line (continuation lines start
    with a space or tab) with no other line break, and the bytes must start with exactly
    those headers and the blank line that ends them.
    """
    raw = message.as_bytes(policy=POLICY)
    block = [one_line(name, POLICY.fold_binary(name, value)) for name, value in message.raw_items()]
    if not raw.startswith(b"".join(block) + b"\r\n"):
        raise UnsafeHeader("the message's headers would not be the ones written")
    return raw


def one_line(name: str, folded: bytes) -> bytes:
    """``folded`` (one header as written), or UnsafeHeader unless it is one logical line."""
    if not _ONE_HEADER.fullmatch(folded):
        first = folded.split(b"\r\n")[1:2] or [b""]
        stray = first[0].split(b":", 1)[0].decode("ascii", "replace")
        raise UnsafeHeader(
            f"the {name} header would not stay on its line (a stray line: {stray[:40]!r})"
        )
    return folded


def folded_header(name: str, value: str | Address) -> bytes:
    """One header as :func:`wire_bytes` writes it (the email package folds it), checked."""
    if isinstance(value, str) and name.lower() in URL_HEADERS and value.isascii():
        return one_line(name, POLICY.fold_binary(name, value))  # as written: no parsing
    if isinstance(value, Address) and _plain_mailbox(name, value):
        text = f"{name}: {value.display_name} <{value.addr_spec}>" if value.display_name else (
            f"{name}: {value.addr_spec}"
        )  # fmt: skip
        return one_line(name, text.encode("ascii") + b"\r\n")
    stored = POLICY.header_store_parse(name, value)[1]
    return one_line(name, POLICY.fold_binary(name, stored))


def _plain_mailbox(name: str, address: Address) -> bool:
    """True when the email package would write ``address`` as is, on one short line: ASCII
    words (RFC 5322 atoms) for the name, a plain address, and no folding needed."""
    return (
        _PLAIN_NAME.fullmatch(address.display_name) is not None
        and _PLAIN_ADDRESS.fullmatch(address.addr_spec) is not None
        and len(name) + len(address.display_name) + len(address.addr_spec) + 5 <= MAX_LINE
    )


def compose(
    email: RenderedEmail,
    sender: Sender,
    to: str,
    *,
    to_name: str = "",
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """The message from newsletter.toml's sender (the ``build`` preview .eml)."""
    return build_message(
        email,
        from_email=sender.from_email,
        from_name=sender.from_name,
        to=to,
        to_name=to_name,
        reply_to=sender.reply_to,
        headers=headers,
    )

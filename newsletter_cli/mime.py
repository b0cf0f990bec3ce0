"""A rendered email as a MIME message (text part first, then HTML), as mail servers like it.

Both parts are quoted-printable with lines of at most 76 characters (RFC 2045), so
no line on the wire comes near SMTP's 998-character limit and spam filters see no
over-long lines (SpamAssassin scores long quoted-printable lines). Header lines are
folded at 76 characters, except ``List-Unsubscribe``, whose URLs must stay as
written (folded only between them), never RFC 2047-encoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsletter_cli.config import Sender
    from newsletter_cli.render import RenderedEmail

#: Most characters on one line of an encoded body part (RFC 2045 section 6.7).
MAX_LINE = 76
#: Headers whose value is a list of URLs: folded between URLs, never encoded.
URL_HEADERS = frozenset({"list-unsubscribe"})


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
    message["From"] = Address(from_name, addr_spec=from_email) if from_name else from_email
    message["To"] = Address(to_name, addr_spec=to) if to_name else to
    message["Subject"] = email.subject
    if reply_to:
        message["Reply-To"] = reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=from_email.rsplit("@", 1)[-1])
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(email.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(email.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


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

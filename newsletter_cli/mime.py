"""A rendered email as a MIME message (text part first, then HTML)."""

from __future__ import annotations

from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from newsletter_cli.config import Sender
from newsletter_cli.render import RenderedEmail


def compose(
    email: RenderedEmail,
    sender: Sender,
    to: str,
    *,
    to_name: str = "",
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message addressed to one person only."""
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = Address(sender.from_name, addr_spec=sender.from_email)
    message["To"] = Address(to_name, addr_spec=to) if to_name else to
    if sender.reply_to:
        message["Reply-To"] = sender.reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.from_email.rsplit("@", 1)[-1])
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(email.text, subtype="plain", charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    return message

"""The message one recipient gets: the bytes the outbox writes and SMTP sends.

One function, :func:`personal_message`, so an ``.eml`` in the outbox is exactly what
an SMTP server would receive. Each message is addressed to one person only, with
their name filled in, an unsubscribe link that names them, and ``List-Unsubscribe``
headers (RFC 2369: a ``mailto:``; RFC 8058 one-click when an https URL is set).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import quote

from newsletter_cli.mime import build_message
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

#: What an RFC 8058 one-click unsubscribe POST carries.
ONE_CLICK_POST = "List-Unsubscribe=One-Click"
#: Characters SendGrid or mail clients trip over in a display name.
_NAME_UNSAFE = re.compile(r'[;,"\r\n<>]+')


def display_name(name: str) -> str:
    """A display name every service accepts: no commas, semicolons, quotes or line breaks."""
    return " ".join(_NAME_UNSAFE.sub(" ", name).split())


@dataclass(frozen=True)
class Letterhead:
    """Who a send comes from, the same for every message of the send."""

    from_email: str
    from_name: str
    reply_to: str | None = None
    #: An https URL for one-click unsubscribe (RFC 8058); ``{email}`` is filled per
    #: recipient. None: only the mailto form (the hook for a configured service).
    one_click_url: str | None = None

    @property
    def mailbox(self) -> str:
        """Where replies and unsubscribe requests go."""
        return self.reply_to or self.from_email


def unsubscribe_mailto(mailbox: str, email: str) -> str:
    """An unsubscribe request by email that names the recipient."""
    return f"mailto:{mailbox}?subject={quote(f'unsubscribe {email}')}"


def one_click_link(url: str, email: str) -> str:
    """The one-click URL for one recipient."""
    return url.replace("{email}", quote(email))


def unsubscribe_headers(
    email: str, mailbox: str, one_click_url: str | None = None
) -> dict[str, str]:
    """List-Unsubscribe (mailto, plus one-click https first when configured)."""
    links = [f"<{unsubscribe_mailto(mailbox, email)}>"]
    headers = {}
    if one_click_url:
        links.insert(0, f"<{one_click_link(one_click_url, email)}>")
        headers["List-Unsubscribe-Post"] = ONE_CLICK_POST
    headers["List-Unsubscribe"] = ", ".join(links)
    return headers


def personal_message(
    email: RenderedEmail,
    contact: Contact,
    letterhead: Letterhead,
    *,
    issue_name: str,
    send_id: str,
) -> EmailMessage:
    """The complete message for one recipient: personalised, one address in To:."""
    if letterhead.one_click_url:
        link = one_click_link(letterhead.one_click_url, contact.email)
    else:
        link = unsubscribe_mailto(letterhead.mailbox, contact.email)
    filled = email.personalise(contact.fields(), unsubscribe_url=link)
    headers = unsubscribe_headers(contact.email, letterhead.mailbox, letterhead.one_click_url)
    headers["X-Newsletter-Issue"] = issue_name
    headers["X-Newsletter-Send"] = send_id
    return build_message(
        filled,
        from_email=letterhead.from_email,
        from_name=display_name(letterhead.from_name),
        to=contact.email,
        to_name=display_name(contact.name),
        reply_to=letterhead.mailbox,
        headers=headers,
    )

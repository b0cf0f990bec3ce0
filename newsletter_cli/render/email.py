"""One rendered email: its parts, and the recipient tokens filled in at send time."""

from __future__ import annotations

import html as _html
from collections.abc import Mapping
from dataclasses import dataclass, replace

from newsletter_cli.recipients.contact import PERSONAL_FIELDS

#: Stands where the per-recipient unsubscribe URL goes; each backend fills it at send time.
UNSUBSCRIBE_SLOT = "%unsubscribe_url%"

#: Recipient fields as substitution tokens: render once, fill in per recipient.
TOKENS: dict[str, str] = {name: f"%{name}%" for name in PERSONAL_FIELDS}
#: Gmail clips an email's HTML past this size, hiding the rest (unsubscribe link included).
GMAIL_CLIP_BYTES = 102 * 1024


@dataclass(frozen=True)
class RenderedEmail:
    """One rendered version of an issue (for one audience, maybe one recipient)."""

    subject: str
    preheader: str
    html: str
    text: str
    issue_name: str

    def personalise(self, fields: Mapping[str, str], unsubscribe_url: str | None = None):
        """Fill the recipient tokens (HTML-escaped in the HTML part) and the unsubscribe slot."""
        html, text, subject = self.html, self.text, self.subject
        for name, token in TOKENS.items():
            value = fields.get(name, "")
            html = html.replace(token, _html.escape(value, quote=True))
            text = text.replace(token, value)
            subject = subject.replace(token, value)
        if unsubscribe_url is not None:
            html = html.replace(UNSUBSCRIBE_SLOT, _html.escape(unsubscribe_url, quote=True))
            text = text.replace(UNSUBSCRIBE_SLOT, unsubscribe_url)
        return replace(self, html=html, text=text, subject=subject)

"""Rendering an issue into an email: Jinja2 -> MJML -> HTML -> inlined CSS, plus plain text.

This package's ``__init__`` stays light (no jinja2/mjml/premailer at import time);
the heavy work lives in :mod:`newsletter_cli.render.pipeline`.
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsletter_cli.recipients.contact import PERSONAL_FIELDS

if TYPE_CHECKING:
    from newsletter_cli.issue import Issue
    from newsletter_cli.project import Project

#: Stands where the per-recipient unsubscribe URL goes; each backend fills it at send time.
UNSUBSCRIBE_SLOT = "%unsubscribe_url%"

#: Recipient fields as substitution tokens: render once, fill in per recipient.
TOKENS: dict[str, str] = {name: f"%{name}%" for name in PERSONAL_FIELDS}


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


def render_email(
    issue: Issue,
    project: Project,
    *,
    audience: frozenset[str] | None = None,
    recipient: Mapping[str, str] | None = None,
    test: bool = False,
    lists: Sequence[str] | None = None,
) -> RenderedEmail:
    """Render ``issue`` with its template.

    ``audience``: the list names and tags a reader belongs to; blocks whose
    ``only_for`` names none of them are left out. ``None`` shows every block.
    ``recipient``: values for ``recipient.*`` in templates; pass :data:`TOKENS`
    to render once and personalise later. ``None`` uses the no-name fallback.
    ``test``: prefix the subject with ``[TEST]``.
    ``lists``: the lists this version goes to, in words (their lists.yaml descriptions),
    named in the footer's "why you get this"; ``None`` gives the general wording.
    The unsubscribe link holds :data:`UNSUBSCRIBE_SLOT` until send time.
    """
    from newsletter_cli.render.pipeline import render

    return render(
        issue, project, audience=audience, recipient=recipient, test=test, lists=lists
    )

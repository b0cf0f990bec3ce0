"""Rendering an issue into an email: Jinja2 -> MJML -> HTML -> inlined CSS, plus plain text.

This package's ``__init__`` stays light (no jinja2/mjml/premailer at import time);
the heavy work lives in :mod:`newsletter_cli.render.pipeline`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from newsletter_cli.render.email import TOKENS, UNSUBSCRIBE_SLOT, RenderedEmail

__all__ = ["TOKENS", "UNSUBSCRIBE_SLOT", "RenderedEmail", "render_email"]

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project


def render_email(
    issue: Issue,
    project: Project,
    *,
    audience: frozenset[str] | None = None,
    recipient: Mapping[str, str] | None = None,
    test: bool = False,
    lists: Sequence[str] | None = None,
    config: Config | None = None,
) -> RenderedEmail:
    """Render ``issue`` with its template.

    ``audience``: the list names and tags a reader belongs to; blocks whose
    ``only_for`` names none of them are left out. ``None`` shows every block.
    ``recipient``: values for ``recipient.*`` in templates; pass :data:`TOKENS`
    to render once and personalise later. ``None`` uses the no-name fallback.
    ``test``: prefix the subject with ``[TEST]``.
    ``lists``: the lists this version goes to, in words (their lists.yaml descriptions),
    named in the footer's "why you get this"; ``None`` gives the general wording.
    ``config``: newsletter.toml when the caller has read it (else it is read here).
    The unsubscribe link holds :data:`UNSUBSCRIBE_SLOT` until send time.
    """
    from newsletter_cli.render.pipeline import render

    return render(
        issue, project, audience=audience, recipient=recipient, test=test, lists=lists,
        config=config,
    )

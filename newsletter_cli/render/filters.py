"""The Jinja2 filters the email and the web page share: Markdown and dates as readers see them."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from newsletter_cli import datefmt, markdown


def shared_filters() -> dict[str, Any]:
    """``markdown`` (safe HTML), ``day``, ``when``, ``event_when``, ``session_when``."""
    return {
        "markdown": lambda text: Markup(markdown.to_html(text)),
        "day": datefmt.format_day,
        "when": datefmt.format_span,
        "event_when": datefmt.format_event_when,
        "session_when": datefmt.format_session,
    }

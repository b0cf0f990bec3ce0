"""The Jinja2 filters the email and the web page share: Markdown and dates as readers see them."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from newsletter_cli import datefmt, markdown


def event_place(event: Any, unknown: str = "Online") -> str:
    """Where an event is, as readers see it: its location, "(online)" added for an online
    event unless the location already says so ("Online (Microsoft Teams)"); with no
    location, "Online" for an online event, else ``unknown``."""
    location = (getattr(event, "location", None) or "").strip()
    online = bool(getattr(event, "online", False))
    if not location:
        return "Online" if online else unknown
    if online and not re.search(r"\bonline\b", location, re.IGNORECASE):
        return f"{location} (online)"
    return location


def shared_filters() -> dict[str, Any]:
    """``markdown`` (safe HTML), ``day``, ``when``, ``event_when``, ``session_when``,
    ``place`` (where an event is)."""
    return {
        "place": event_place,
        "markdown": lambda text: Markup(markdown.to_html(text)),
        "day": datefmt.format_day,
        "when": datefmt.format_span,
        "event_when": datefmt.format_event_when,
        "session_when": datefmt.format_session,
    }

"""Previewing an issue as readers will see it: a live-reloading local page and screenshots.

Library only (no Typer): :class:`PreviewServer` serves the page on 127.0.0.1,
:func:`take_screenshots` writes PNGs with the system's headless Chromium.
"""

from newsletter_cli.preview.chromium import BrowserMissing, find_chromium
from newsletter_cli.preview.content import PreviewContent, gather
from newsletter_cli.preview.screenshot import Screenshots, take_screenshots
from newsletter_cli.preview.server import DEFAULT_PORT, LOCALHOST, PreviewServer

__all__ = [
    "DEFAULT_PORT",
    "LOCALHOST",
    "BrowserMissing",
    "PreviewContent",
    "PreviewServer",
    "Screenshots",
    "find_chromium",
    "gather",
    "take_screenshots",
]

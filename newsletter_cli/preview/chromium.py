"""Finding and starting the system's headless Chromium (never a downloaded one).

Playwright drives it through ``executable_path``; ``playwright install`` is not
needed. The launch flags suit a locked-down machine: no sandbox (runs as root in
containers), no GPU, and no background calls to Google services.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from newsletter_cli.errors import NewsletterError

#: Set this to a Chromium binary to use it instead of the one found on PATH.
CHROMIUM_ENV = "NEWSLETTER_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser")
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
INSTALL_HINT = (
    "install Debian's Chromium (sudo apt-get install chromium), "
    f"or set {CHROMIUM_ENV} to a Chromium binary"
)


class BrowserMissing(NewsletterError):
    """No usable Chromium (or no Playwright) on this machine."""


def find_chromium() -> str:
    """The path of the Chromium binary to use, or BrowserMissing with an install hint."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        if os.path.isfile(chosen) and os.access(chosen, os.X_OK):
            return chosen
        raise BrowserMissing(
            f"{CHROMIUM_ENV}={chosen} is not an executable file", hint=INSTALL_HINT
        )
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserMissing("Chromium is not installed (needed for screenshots)", hint=INSTALL_HINT)


def launch(playwright: Any, executable: str | None = None) -> Any:
    """Start headless Chromium with Playwright; wrap its failures in BrowserMissing."""
    from playwright.sync_api import Error as PlaywrightError

    path = executable or find_chromium()
    try:
        return playwright.chromium.launch(
            executable_path=path, headless=True, args=list(LAUNCH_ARGS)
        )
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BrowserMissing(
            f"Chromium at {path} did not start: {first}", hint=INSTALL_HINT
        ) from None


def sync_playwright() -> Any:
    """Playwright's sync entry point, or BrowserMissing if the package is not installed."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        raise BrowserMissing(
            "the Python package 'playwright' is not installed (needed for screenshots)",
            hint="pip install playwright (no 'playwright install' needed: the system Chromium "
            "is used)",
        ) from None
    return start()

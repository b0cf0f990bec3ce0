"""Finding and starting the system's headless Chromium (never a downloaded one).

Debian's Chromium where there is one, else an installed Google Chrome or Microsoft Edge
(the usual browsers on Windows and macOS, both Chromium inside). Playwright drives it
through ``executable_path``; ``playwright install`` is not needed. The launch flags suit
a locked-down machine: no sandbox (runs as root in containers), no GPU, and no
background calls to Google services.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsletter_cli.errors import NewsletterError
from newsletter_cli.extras import missing

#: Set this to a Chromium binary to use it instead of the one found on PATH.
CHROMIUM_ENV = "NEWSLETTER_CHROMIUM"
#: Program names looked up on PATH, in this order (Debian's Chromium first).
CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)
#: Where Windows installs Chrome and Edge: (environment variable, path under it).
WINDOWS_PLACES = tuple(
    (variable, path)
    for path in ("Google/Chrome/Application/chrome.exe", "Microsoft/Edge/Application/msedge.exe")
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
)
#: The apps macOS keeps in /Applications or ~/Applications.
MAC_APPS = (
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "Chromium.app/Contents/MacOS/Chromium",
)
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
    "install Debian's Chromium (sudo apt-get install chromium), Google Chrome or "
    f"Microsoft Edge, or set {CHROMIUM_ENV} to a Chromium, Chrome or Edge program"
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
    for place in known_places():
        if place.is_file() and os.access(place, os.X_OK):
            return str(place)
    raise BrowserMissing(
        "no Chromium, Chrome or Edge is installed (needed for screenshots)", hint=INSTALL_HINT
    )


def known_places(
    platform: str | None = None, env: Mapping[str, str] | None = None, home: Path | None = None
) -> list[Path]:
    """Where Chrome and Edge are installed on Windows and macOS (nothing elsewhere)."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    if platform == "win32":
        return [Path(env[var], *path.split("/")) for var, path in WINDOWS_PLACES if env.get(var)]
    if platform == "darwin":
        roots = (Path("/Applications"), (home or Path.home()) / "Applications")
        return [root / app for app in MAC_APPS for root in roots]
    return []


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
    """Playwright's sync entry point; ConfigError (exit 2) with the install line without it."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        raise missing("playwright", "preview --screenshot") from None
    return start()

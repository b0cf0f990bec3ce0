"""When SendGrid's suppressions were last synced here (``.newsletter/suppressions-sync.json``).

Written by ``newsletter suppressions sync`` (:mod:`newsletter_cli.reports.sync`); a live
SendGrid send reads it to warn when the sync is stale.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from newsletter_cli.environment import LONDON
from newsletter_cli.errors import NewsletterError
from newsletter_cli.journal.sqlite import private_folder
from newsletter_cli.project import Project

STATE_FILE = "suppressions-sync.json"
STALE_AFTER = timedelta(days=7)


def london_day(moment: float) -> str:
    """The UK calendar day of a unix time, 'YYYY-MM-DD'."""
    return _hour_day(int(moment // 3600))


@lru_cache(maxsize=4096)
def _hour_day(hour: int) -> str:
    # UK time is UTC or UTC+1, so midnight falls on a UTC hour: a whole hour has one day.
    return datetime.fromtimestamp(hour * 3600, LONDON).strftime("%Y-%m-%d")


def state_path(project: Project) -> Path:
    return project.state_dir / STATE_FILE


def save_state(project: Project, state: dict) -> None:
    """Remember the sync in .newsletter/ (readable by the user only)."""
    path = state_path(project)
    try:
        private_folder(path.parent)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state, out)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise NewsletterError(f"cannot record the sync: {exc.strerror}", path=path) from None


def last_sync(project: Project) -> float | None:
    """When ``suppressions sync`` last ran here (unix time), or None."""
    try:
        return float(json.loads(state_path(project).read_text(encoding="utf-8"))["synced_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def stale_warning(project: Project, now: float | None = None) -> str | None:
    """For a live SendGrid send: a warning when the last sync is older than 7 days (or none)."""
    now = time.time() if now is None else now
    when = last_sync(project)
    command = "run 'newsletter suppressions sync' first"
    if when is None:
        return f"SendGrid's unsubscribes and bounces have never been synced here: {command}"
    age = now - when
    if age <= STALE_AFTER.total_seconds():
        return None
    return (f"SendGrid's unsubscribes and bounces were last synced {int(age // 86400)} days "
            f"ago ({london_day(when)}): {command}")  # fmt: skip

"""The repository and its two sample issues, named once for every test."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from newsletter_cli.project import Project

REPO = Path(__file__).resolve().parents[2]
#: The samples, relative to a project folder (a test's copy in tmp_path, or REPO).
SEPTEMBER = "issues/2025-09-regional-update.yaml"
APRIL = "issues/2025-04-regional-update.yaml"
#: The repository's own copies, for tests that read them without a project copy.
SEPTEMBER_FILE = REPO / SEPTEMBER
APRIL_FILE = REPO / APRIL
#: The sample newsletter.toml's web edition address.
BASE = "https://updates.example.org/regional-update/"


def future_dated(text: str) -> str:
    """An issue's 2025 dates moved to next year, so nothing in it is over yet (send checks
    dates against today)."""
    return text.replace("2025-", f"{date.today().year + 1}-")


def ready(project_dir: Path) -> Path:
    """The September sample with its placeholder links filled in and its dates ahead of
    today, so its checks pass."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace("TODO", "https://example.org/more")
    path.write_text(future_dated(text), encoding="utf-8")
    return path


def members(project_dir: Path, *lists: str) -> list[str]:
    """The addresses on ``lists`` in the project's recipients, as a send resolves them."""
    from newsletter_cli.recipients.roster import load_roster

    return [c.email for c in load_roster(Project(project_dir)).resolve(list(lists)).members]

"""Fixtures for recipients tests: a project folder with hand-written recipient files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsletter_cli.project import Project

BASIC_LISTS = """\
everyone:
  everyone: true
dcs:
  tags: [dcs]
send-leads:
  tags: [send-lead]
send-coordinators:
  tags: [send-coordinator]
send-network:
  description: SEND leads, DCSs and the SEND co-ordinators
  lists: [send-leads, dcs, send-coordinators]
safeguarding-reps:
  tags: safeguarding-rep
not-dcs:
  everyone: true
  exclude_tags: [dcs]
"""

Writer = Callable[..., Project]


@pytest.fixture
def make_project(tmp_path: Path) -> Writer:
    """``make_project(files={"a.csv": text-or-bytes}, lists=yaml)`` -> Project in tmp_path.

    Text is written byte for byte (no newline translation) so CRLF tests mean CRLF.
    """

    def make(files: dict[str, str | bytes] | None = None, lists: str | None = BASIC_LISTS):
        root = tmp_path / "proj"
        folder = root / "recipients"
        folder.mkdir(parents=True, exist_ok=True)
        (root / "newsletter.toml").write_text("")
        for name, content in (files or {}).items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / name).write_bytes(data)
        if lists is not None:
            (folder / "lists.yaml").write_text(lists, encoding="utf-8")
        return Project(root)

    return make

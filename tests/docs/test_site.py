"""The manual builds with `mkdocs build --strict`: no broken page link or heading anchor."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.issues import REPO


def build(site: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config),
         "-d", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_the_manual_builds_strictly(tmp_path):
    done = build(tmp_path / "site", REPO / "mkdocs.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"
    for page in ("index.html", "guarantees/index.html", "reference/cli/index.html", "report.png"):
        assert (site / page).is_file(), page
    assert not (site / "gen_cli.py").exists()  # the generator is not published
    report = (site / "after-you-send/index.html").read_text(encoding="utf-8")
    assert "report.png" in report


def test_a_broken_link_fails_the_build(tmp_path):
    """The strict build above can fail: the same manual with one link to nowhere is refused."""
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs)
    page = docs / "preview.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n",
                    encoding="utf-8")  # fmt: skip
    config = tmp_path / "mkdocs.yml"
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(settings.replace("docs_dir: docs", f"docs_dir: {docs}"), encoding="utf-8")
    done = build(tmp_path / "site", config)
    assert done.returncode != 0
    assert "no-such-page.md" in done.stdout + done.stderr

"""The drafts fixture: seeds as text, Word and a web page (made by tests/support/drafts.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.drafts import SEEDS, make_docx, make_html


@pytest.fixture
def drafts(tmp_path: Path):
    """make(month, kind) -> a draft file of that kind in tmp_path."""

    def make(month: str, kind: str) -> Path:
        if kind == "txt":
            target = tmp_path / f"seed-{month}.txt"
            target.write_bytes((SEEDS / f"regional-update-2025-{month}.txt").read_bytes())
            return target
        if kind == "docx":
            return make_docx(month, tmp_path / f"draft-{month}.docx")
        return make_html(month, tmp_path / f"page-{month}.html")

    return make

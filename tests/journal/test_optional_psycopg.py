"""A shared journal without the optional psycopg: one line saying what to install."""

from __future__ import annotations

import sys

import pytest
from support.pgcluster import use_shared_journal


def test_a_shared_journal_without_psycopg_names_the_package_to_install(
    invoke, project_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_shared_journal(project_dir, "postgresql://newsletter@127.0.0.1:9/journal")
    for name in ("psycopg", "psycopg.conninfo"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "newsletter_cli.journal.postgres", raising=False)
    result = invoke("history")
    assert result.exit_code == 2, result.output
    assert result.output.strip() == (
        "error: a shared journal (postgresql://) needs the optional package psycopg: "
        'pipx inject newsletter "psycopg[binary]" (or pip install "newsletter[team]")'
    )

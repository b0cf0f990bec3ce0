"""Naming an issue: a path, its short name, or the start of it that only one issue has."""

from __future__ import annotations

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.project import Project, find_issue


@pytest.fixture
def issues(tmp_path):
    (tmp_path / "newsletter.toml").write_text("", encoding="utf-8")
    folder = tmp_path / "issues"
    folder.mkdir()
    for name in ("2026-01-regional-update", "2026-02-regional-update", "2026-02-extra"):
        (folder / f"{name}.yaml").write_text("title: x\n", encoding="utf-8")
    return Project(tmp_path)


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("2026-01-regional-update", "2026-01-regional-update"),
        ("2026-01-regional-update.yaml", "2026-01-regional-update"),
        ("2026-01", "2026-01-regional-update"),
        ("2026-02-r", "2026-02-regional-update"),
        ("extra", "2026-02-extra"),
        ("issues/2026-01", "2026-01-regional-update"),
    ],
)
def test_short_names_and_unique_prefixes(issues, ref, name, monkeypatch):
    monkeypatch.chdir(issues.root)
    assert find_issue(ref) == issues.issues_dir / f"{name}.yaml"
    assert find_issue(ref, issues) == issues.issues_dir / f"{name}.yaml"


def test_a_path_to_a_file_is_taken_as_it_is(issues, tmp_path):
    loose = tmp_path / "elsewhere.yaml"
    loose.write_text("title: x\n", encoding="utf-8")
    assert find_issue(loose, issues) == loose


def test_several_matches_are_named_and_refused(issues):
    with pytest.raises(InputError) as caught:
        find_issue("2026-02", issues)
    assert "could be any of 2026-02-extra, 2026-02-regional-update" in str(caught.value)
    with pytest.raises(InputError, match="could be any of 2026-01-regional-update, 2026-02"):
        find_issue("regional-update", issues)


def test_no_such_file_lists_the_issues_there_are(issues):
    with pytest.raises(InputError) as caught:
        find_issue("2025-09-regional-update", issues)
    assert str(caught.value) == "2025-09-regional-update: no such file"
    assert caught.value.exit_code == 2
    assert caught.value.hint == (
        f"the issues in {issues.issues_dir} are: 2026-01-regional-update, 2026-02-extra, "
        "2026-02-regional-update"
    )

"""`newsletter new`: the next issue from the last one's structure, never overwriting."""

from __future__ import annotations

from datetime import date

from newsletter_cli.checks import run_checks
from newsletter_cli.issue import Events, Foreword, load_issue
from newsletter_cli.newissue import next_month


def test_new_starts_from_latest_issue_a_month_on(invoke, project_dir, project):
    result = invoke("new")
    assert result.exit_code == 0, result.output
    path = project_dir / "issues" / "2025-10-regional-update.yaml"
    assert path.is_file() and "issues/2025-10-regional-update.yaml" in result.output
    issue = load_issue(path)
    assert issue.issue_date == date(2025, 10, 19)
    assert issue.title == "Regional Update – October 2025"
    # One block of each kind, in the order the September issue first has them.
    assert [b.kind for b in issue.blocks] == ["foreword", "people", "article", "events"]
    assert isinstance(issue.blocks[0], Foreword) and isinstance(issue.blocks[-1], Events)
    assert issue.blocks[-1].heading == "Upcoming Conferences and Events"
    report = run_checks(issue, project)
    assert any("still says TODO" in f.message for f in report.errors)


def test_new_never_overwrites(invoke, project_dir):
    target = project_dir / "issues" / "2025-10-regional-update.yaml"
    target.write_text("my unsaved work", encoding="utf-8")
    result = invoke("new")
    assert result.exit_code == 2
    assert "2025-10-regional-update.yaml: already exists" in result.output
    assert target.read_text(encoding="utf-8") == "my unsaved work"


def test_new_from_and_date(invoke, project_dir):
    result = invoke("new", "--from", "issues/2025-04-regional-update.yaml", "--date", "2025-05-20")
    assert result.exit_code == 0, result.output
    issue = load_issue(project_dir / "issues" / "2025-05-regional-update.yaml")
    assert issue.issue_date == date(2025, 5, 20) and "May 2025" in issue.title
    bad = invoke("new", "--date", "20/05/2025")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_next_month_clamps():
    assert next_month(date(2025, 1, 31)) == date(2025, 2, 28)
    assert next_month(date(2025, 12, 5)) == date(2026, 1, 5)

"""The project is where the issue is: newsletter.toml is looked up from the issue file's
folder (other commands: from the current folder), never filled in from built-in defaults."""

from __future__ import annotations

import email
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.cli import app

NO_PROJECT = "no newsletter.toml in {folder} or above; cd into your newsletter folder, or run newsletter init"


@pytest.fixture
def made(outside_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(parent folder, issue path relative to it): `init my-newsletter` run in the parent."""
    made = create_project(outside_dir / "my-newsletter")
    monkeypatch.chdir(outside_dir)
    return outside_dir, made.issue.relative_to(outside_dir)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_check_and_build_from_the_parent_use_the_issues_project(made):
    parent, issue = made
    checked = run("check", str(issue), "--no-links")
    assert checked.exit_code == 0, checked.output
    built = run("build", str(issue), "--out", "out")
    assert built.exit_code == 0, built.output
    eml = next((parent / "out").glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes())
    assert message["From"] == "Regional Update Team <newsletter@example.org>"
    html = next((parent / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Regional Children's Services Team" in html  # the project's footer, not a default
    assert "West Midlands" not in html


def test_history_by_issue_from_the_parent_reads_the_projects_journal(made):
    parent, issue = made
    sent = run("send", str(issue), "--test-to", "me@example.org", "--yes")
    assert sent.exit_code == 0, sent.output
    shown = run("history", "--issue", str(issue))
    assert shown.exit_code == 0, shown.output
    assert "No sends yet" not in shown.output and issue.stem in shown.output


@pytest.mark.parametrize("args", [("history",), ("lists",), ("new",), ("journal",)])
def test_commands_without_an_issue_refuse_outside_a_project(made, args):
    parent, _issue = made
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert NO_PROJECT.format(folder=parent) in " ".join(result.output.split())


@pytest.mark.parametrize("args", [("history",), ("lists",)])
def test_commands_without_an_issue_work_from_a_subfolder(made, args, monkeypatch):
    parent, _issue = made
    monkeypatch.chdir(parent / "my-newsletter" / "issues")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "no recipients folder" not in result.output


def test_an_issue_outside_any_project_is_refused_not_built_from_defaults(made):
    parent, issue = made
    loose = parent / "loose.yaml"
    loose.write_bytes((parent / issue).read_bytes())
    for command in (("check", "loose.yaml", "--no-links"), ("build", "loose.yaml")):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert NO_PROJECT.format(folder=parent) in " ".join(result.output.split())
    assert not (parent / "build").exists()


def test_no_from_address_means_no_email(made):
    parent, issue = made
    toml = parent / "my-newsletter" / "newsletter.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'from_email = "newsletter@example.org"', "# from_email ="), encoding="utf-8")
    result = run("build", str(issue))
    assert result.exit_code == 2, result.output
    assert "newsletter.toml: no sender" in result.output and "from_email" in result.output
    assert not (parent / "my-newsletter" / "build").exists()

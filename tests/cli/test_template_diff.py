"""`newsletter template diff`: a project's copy of a template against the built-in one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def copied(tmp_path, monkeypatch):
    made = create_project(tmp_path / "news", copy_template=True)
    monkeypatch.chdir(made.root)
    return made.root / "templates" / "regional-update"


def test_an_unchanged_copy_has_no_differences(copied):
    result = run("template", "diff")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "templates/regional-update: no differences from the built-in template"


def test_a_changed_copy_shows_a_unified_diff_per_file(copied):
    footer = copied / "partials" / "footer.mjml.j2"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- our own line -->\n", encoding="utf-8")
    (copied / "partials" / "extra.txt.j2").write_text("extra\n", encoding="utf-8")
    (copied / "email.txt.j2").unlink()
    result = run("template", "diff")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "--- built-in/regional-update/partials/footer.mjml.j2" in out
    assert "+++ templates/regional-update/partials/footer.mjml.j2" in out
    assert "+<!-- our own line -->" in out
    assert "--- /dev/null\n+++ templates/regional-update/partials/extra.txt.j2\n" in out
    assert "--- built-in/regional-update/email.txt.j2\n+++ /dev/null\n" in out
    assert out.rstrip().endswith("3 file(s) differ from the built-in template regional-update")


def test_no_copy_says_it_uses_the_built_in_one(tmp_path, monkeypatch):
    made = create_project(tmp_path / "news")
    monkeypatch.chdir(made.root)
    result = run("template", "diff")
    assert result.exit_code == 0, result.output
    assert "no templates/regional-update here: this newsletter uses the built-in template" in result.output


def test_an_unknown_template_names_the_built_in_ones(copied):
    result = run("template", "diff", "nope")
    assert result.exit_code == 2
    assert "no built-in template 'nope'" in result.output and "regional-update" in result.output


def test_template_copy_in_an_existing_folder_then_diff(tmp_path, monkeypatch):
    """A team whose folder uses the built-in template gets a copy later: `template copy`
    writes templates/NAME (the folder then builds from it), and never over a copy."""
    made = create_project(tmp_path / "news")
    monkeypatch.chdir(made.root)
    assert not (made.root / "templates").exists()
    result = run("template", "copy")
    assert result.exit_code == 0, result.output
    own = made.root / "templates" / "regional-update"
    assert (own / "email.mjml.j2").is_file() and "Copied the built-in template" in result.output
    assert run("template", "diff").output.strip() == (
        "templates/regional-update: no differences from the built-in template")
    footer = own / "partials" / "footer.mjml.j2"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- ours -->\n", encoding="utf-8")
    again = run("template", "copy")
    assert again.exit_code == 2 and "already there: nothing was copied" in again.output
    assert footer.read_text(encoding="utf-8").endswith("<!-- ours -->\n")  # untouched
    unknown = run("template", "copy", "../../etc")
    assert unknown.exit_code == 2 and "no built-in template" in unknown.output

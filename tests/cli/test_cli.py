"""The command line as a whole: help everywhere, README coverage, fast start, one error path."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer
from support.issues import REPO

from newsletter_cli.cli import app

HEAVY = ("jinja2", "mjml", "premailer", "sendgrid", "playwright", "cssutils", "lxml", "psycopg",
         "keyring", "msal", "msal_extensions", "requests")


def all_commands() -> list[list[str]]:
    """Every command path, e.g. ['build'], ['lists', 'show']."""
    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(command, path):
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found.append([*path, name])
            walk(sub, [*path, name])

    walk(root, [])
    return found


def test_the_expected_commands_exist():
    names = {" ".join(path) for path in all_commands()}
    assert {"init", "build", "check", "new", "preview", "send", "lists", "history",
            "cancel"} <= names  # fmt: skip


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help(runner, path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"{path} has no help text"


#: How Typer names a value's Python type in help: <str>, <path>, <list[str]>, <int range>...
PYTHON_TYPE = re.compile(r"<(str|path|int|float|bool|int range|float range|list\[\w+\])>|list\[")


@pytest.mark.parametrize("path", [[], *all_commands()], ids=lambda p: " ".join(p) or "newsletter")
def test_every_help_has_an_example_and_no_python_types(runner, path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"newsletter {' '.join(path)} --help has no example"
    assert not PYTHON_TYPE.search(result.output), result.output


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p))
def test_every_command_appears_in_the_readme(path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"newsletter {' '.join(path)}" in readme


def test_cli_start_imports_no_heavy_package():
    code = (
        f"import sys; import newsletter_cli.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_runs():
    out = subprocess.run(
        [sys.executable, "-m", "newsletter_cli", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "build" in out.stdout


def test_unexpected_errors_are_one_line_not_a_traceback(invoke, project_dir):
    # A template that divides by zero is a bug in a template, not in the user's issue.
    partial = project_dir / "templates/regional-update/partials/footer.mjml.j2"
    partial.write_text("{{ 1 // 0 }}", encoding="utf-8")
    result = invoke("build", "issues/2025-09-regional-update.yaml")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "footer.mjml.j2:1:" in result.output


def test_version(runner):
    from newsletter_cli import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == f"newsletter {__version__}"
    # then where each secret would come from (never its value; see tests/delivery/test_signin.py)
    assert "SendGrid key: not set (newsletter login sendgrid, or SENDGRID_API_KEY)" in result.output
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_shell_completion_is_on(project_dir):
    """Tab completes commands and list names, through the real completion protocol."""

    def complete(*words: str) -> list[str]:
        env = {**os.environ, "_NEWSLETTER_COMPLETE": "complete_bash",
               "COMP_WORDS": " ".join(("newsletter", *words)), "COMP_CWORD": str(len(words))}
        out = subprocess.run([sys.executable, "-m", "newsletter_cli"], env=env,
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.split()

    assert complete("li") == ["lists"]
    assert complete("lists", "s") == ["show"]
    assert complete("lists", "show", "send-") == ["send-leads", "send-coordinators",
                                                  "send-network"]  # fmt: skip
    assert complete("send", "x.yaml", "--list", "care") == ["care-leavers-leads"]
    help_text = subprocess.run([sys.executable, "-m", "newsletter_cli", "--help"],
                               capture_output=True, text=True).stdout  # fmt: skip
    assert "--install-completion" in help_text and "--show-completion" in help_text


def test_version_outside_any_newsletter_folder(runner, outside_dir, monkeypatch):
    """--version works anywhere: outside a project it says only where the SendGrid key comes
    from (the SMTP settings live in a project's newsletter.toml)."""
    monkeypatch.chdir(outside_dir)
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert "SendGrid key:" in result.output and "SMTP" not in result.output


def test_check_counts_one_warning_in_the_singular(tmp_path, capsys):
    """'1 warning', not '1 warnings': the verdict reads as a sentence."""
    from newsletter_cli.cli.build import _verdict
    from newsletter_cli.findings import Finding

    _verdict(tmp_path / "x.yaml", [Finding("warning", "preheader is long")], 51_000,
             links_tried=True)  # fmt: skip
    summary = " ".join(capsys.readouterr().out.split())
    assert "ready to send (0 errors, 1 warning, HTML 50 KB)" in summary, summary

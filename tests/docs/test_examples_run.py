"""The README's "Your first issue" and every `--help` example run as written in a folder
`newsletter init` made (sends to lists as --dry-run, links not tried: no network here)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer
from support.issues import REPO
from typer.testing import CliRunner

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.cli import app

#: Help examples that need what an init folder cannot have, and why.
ELSEWHERE = {
    "cancel": "a send in the journal ('newsletter history' lists their ids)",
    "import": "a Word or Excel draft",
    "journal migrate": "a PostgreSQL server",
    "login": "a key typed at a hidden prompt (tests/delivery/test_signin.py types one)",
    "logout": "a Microsoft 365 [smtp] set-up (tests/delivery/test_microsoft365.py has one)",
    "report": "sends accepted by SendGrid",
    "suppressions sync": "a SendGrid account",
}


def readme_walk() -> list[list[str]]:
    """Every command line of the README's "Your first issue" block, comments removed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Your first issue\n+```sh\n(.*?)```", text, re.S)
    assert block, "README has no 'Your first issue' block"
    lines = [line.split("#", 1)[0].strip() for line in block[1].splitlines()]
    return [shlex.split(line) for line in lines if line]


def help_examples() -> list[list[str]]:
    """Every `newsletter ...` example in every command's help that names no placeholder."""
    found = []

    def walk(command) -> None:  # a Typer (click) command or group
        help_text = " ".join((command.help or "").split())
        help_text = help_text[help_text.find("Example"):] if "Example" in help_text else ""
        for example in re.findall(r"newsletter(?: (?:\"[^\"]*\"|[^\s,'\"]+))+", help_text):
            words = shlex.split(re.split(r" (?=[A-Z](?![A-Z_-]))", example)[0])  # prose after it
            words = words[: words.index(">")] if ">" in words else words
            cut = next((i for i, w in enumerate(words) if w.endswith(".")), None)
            words = words[: cut + 1] if cut is not None else words
            words = [w.rstrip(".") for w in words]
            if not any(re.fullmatch(r"[A-Z][A-Z_-]+", w) for w in words):
                found.append(words)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


def safely(words: list[str]) -> list[str]:
    """The arguments to run: sends to lists only as --dry-run, links not tried."""
    args = words[1:]
    if args[:1] == ["send"] and "--test-to" not in args:
        args += ["--dry-run", "--no-link-check"]
    if args[:1] == ["send"]:
        args += ["--yes"]
    if args[:1] == ["check"]:
        args += ["--no-links"]
    return args


@pytest.fixture(scope="module")
def template_folder(tmp_path_factory) -> Path:
    return create_project(tmp_path_factory.mktemp("init") / "made").root


@pytest.fixture
def served(monkeypatch) -> list[tuple]:
    """`preview` resolves its issue and project for real; the server is not started."""
    import newsletter_cli.cli.preview as preview

    calls: list[tuple] = []
    monkeypatch.setattr(preview, "_serve", lambda *a, **k: calls.append((a, k)))
    return calls


def run(args: list[str]):
    return CliRunner().invoke(app, args)


def test_the_readme_walk_runs_as_written(tmp_path, monkeypatch, served):
    monkeypatch.chdir(tmp_path)
    walk = readme_walk()
    assert [w[:2] for w in walk][:3] == [["newsletter", "init"], ["cd", "my-newsletter"],
                                         ["newsletter", "preview"]]  # fmt: skip
    for words in walk:
        if words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
            continue
        result = run(safely(words))
        assert result.exit_code == 0, f"{' '.join(words)}:\n{result.output}"
    assert served and served[0][0][0].name.endswith("-regional-update.yaml")
    assert list((tmp_path / "my-newsletter" / "outbox").rglob("*.eml"))  # the test copy


def test_help_examples_are_found():
    examples = {" ".join(w[:3]) for w in help_examples()}
    assert "newsletter check regional-update" in examples
    assert "newsletter send regional-update" in examples


def elsewhere(words: list[str]) -> bool:
    return any(" ".join(words[1:]).startswith(name) for name in ELSEWHERE)


def test_every_exception_is_still_an_example():
    shown = [" ".join(w[1:]) for w in help_examples()]
    for name in ELSEWHERE:
        assert any(line.startswith(name) for line in shown), name


@pytest.mark.parametrize("words", [w for w in help_examples() if not elsewhere(w)],
                         ids=lambda w: " ".join(w[1:]))  # fmt: skip
def test_every_help_example_runs_in_an_init_folder(words, template_folder, tmp_path,
                                                   monkeypatch, served):  # fmt: skip
    folder = tmp_path / "made"
    shutil.copytree(template_folder, folder)
    monkeypatch.chdir(folder)
    result = run(safely(words))
    assert result.exit_code == 0, f"{' '.join(words)}:\n{result.output}"

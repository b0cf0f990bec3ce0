"""Help that reads well: whole summaries, commands in the order of the work, no {ISSUE},
and exit codes that agree with the README's table."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer
from support.issues import REPO
from typer.testing import CliRunner

from newsletter_cli.cli import app
from newsletter_cli.cli.app import COMMAND_GROUPS, EXIT_CODES


def _paths() -> list[list[str]]:
    """Every command as its words after `newsletter`: [], ['build'], ['lists', 'show']…"""
    found: list[list[str]] = []

    def walk(command, path):
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def _help(path: list[str], columns: int = 200) -> str:
    """`newsletter PATH --help` as a terminal ``columns`` wide shows it (CliRunner would
    force 80 columns)."""
    command = typer.main.get_command(app)
    ctx = command.make_context("newsletter", [], resilient_parsing=True, terminal_width=columns)
    for name in path:
        command = command.get_command(ctx, name)
        ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
    return command.get_help(ctx) + "\n"


def _mentions(text: str) -> list[tuple[int, str | None]]:
    """(code, what it is for) for each exit status a help text names, in sentences like
    'Exits 0 when it is ready, 1 when its checks find errors, and 2 when …'."""
    found = []
    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", re.sub(r"\s+", " ", text)):
        start = re.search(r"\bexits?\s+(?=\d)", sentence, re.IGNORECASE)
        if not start:
            continue
        rest = sentence[start.end():]
        for part in re.split(r",\s*(?:and\s+)?(?=\d+\s+(?:when|if)\b)", rest):
            code = re.match(r"(\d+)(?:\s+(?:when|if)\s+(.+))?", part)
            if code:
                found.append((int(code[1]), code[2]))
    return found


def _readme_exit_codes() -> dict[int, str]:
    """The README's table under '## Exit codes': {0: 'done', 1: '`check` found errors…'}."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", section, re.MULTILINE)
    assert rows, "the README has no exit code table"
    return {int(code): meaning for code, meaning in rows}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{4,}", text.lower())}


def _closest(text: str, readme: dict[int, str]) -> set[int]:
    """The codes whose README meaning shares the most words with ``text``."""
    shared = {code: len(_words(text) & _words(meaning)) for code, meaning in readme.items()}
    most = max(shared.values())
    return {code for code, count in shared.items() if count == most} if most else set()


ALL = _paths()


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(["newsletter", *p]))
def test_help_at_200_columns_cuts_nothing_and_has_no_braces(path):
    text = _help(path)
    assert "…" not in text
    uncut = re.sub(r"\b[A-Z_]+\]?\.\.\.", "", text)  # NAME... (one or more) is not a cut
    assert not re.search(r"\S\.\.\.", uncut), text
    assert "{" not in text and "}" not in text, text


def test_each_summary_is_whole_and_on_one_line_at_200_columns():
    text = _help([])
    root = typer.main.get_command(app)
    for name, command in root.commands.items():
        first = command.help.split("\n\n")[0].split(". ")[0].strip().rstrip(".")
        line = next(line for line in text.splitlines() if line.strip().startswith(name + " "))
        assert first.replace("\n", " ").replace("    ", "") in re.sub(r"\s+", " ", line), line


def test_the_real_command_at_200_columns_shows_whole_summaries():
    done = subprocess.run([sys.executable, "-m", "newsletter_cli", "--help"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COLUMNS": "200"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "..." not in done.stdout.replace("[ARGS]...", "")
    assert "  preview       Preview ISSUE in your browser at desktop and phone width; it reloads " \
        "when you save.\n" in done.stdout


def test_a_narrow_terminal_wraps_summaries_but_cuts_none():
    text = _help([], columns=60)
    assert "..." not in text.replace("[ARGS]...", "")
    assert "reloads when you save." in re.sub(r"\s+", " ", text)


def test_commands_are_grouped_in_the_order_of_the_work():
    text = _help([])
    headings = [line[:-1] for line in text.splitlines() if line.endswith(":") and line[0] != " "]
    assert headings == ["Options", *(heading for heading, _ in COMMAND_GROUPS if heading != "Settings"),
                        "Settings"]  # fmt: skip
    listed = [line.split()[0] for line in text.split("Write an issue:", 1)[1].splitlines()
              if line.startswith("  ") and not line.startswith("    ")][: len(ALL)]  # fmt: skip
    order = ["init", "new", "import", "check", "build", "preview", "lists", "send", "history",
             "cancel", "report", "suppressions", "publish", "journal"]  # fmt: skip
    assert listed[: len(order)] == order


def test_a_command_no_group_names_is_still_listed_under_other_commands():
    extra = typer.Typer(cls=type(typer.main.get_command(app)), rich_markup_mode=None)

    @extra.command()
    def write() -> None:
        """Write an issue."""

    @extra.command()
    def unplanned() -> None:
        """Not in any group yet."""

    @extra.command()
    def init() -> None:
        """Make a folder."""

    text = CliRunner().invoke(extra, ["--help"]).output
    assert text.index("Write an issue:") < text.index("  init") < text.index("Other commands:")
    assert text.index("Other commands:") < text.index("unplanned")


def test_usage_shows_plain_argument_names():
    assert "Usage: newsletter check [OPTIONS] ISSUE\n" in _help(["check"])
    assert "Usage: newsletter lists show [OPTIONS] NAME...\n" in _help(["lists", "show"])
    assert "Usage: newsletter publish [OPTIONS] [ISSUE]\n" in _help(["publish"])


def test_the_exit_codes_in_help_are_the_readmes():
    readme = _readme_exit_codes()
    assert {code for code, _ in EXIT_CODES} == set(readme)
    listed = _help([]).split("Exit codes:", 1)[1]
    for code, about in EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(about)}$", listed, re.MULTILINE), code
        assert code in _closest(about, readme), (code, about)


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(["newsletter", *p]))
def test_every_exit_code_a_command_mentions_means_what_the_readme_says(path):
    readme = _readme_exit_codes()
    for code, when in _mentions(_help(path).split("Exit codes:", 1)[0]):
        assert code in readme, code
        if when and code:  # 0 is success, however a command words it
            assert code in _closest(when, readme), (code, when, readme)


def test_check_help_names_both_of_its_failure_codes():
    mentions = dict(_mentions(_help(["check"])))
    assert set(mentions) == {0, 1, 2}
    assert "cannot be read" in mentions[2] and "errors" in mentions[1]


def test_the_mention_finder_sees_a_wrong_code():
    readme = _readme_exit_codes()
    found = _mentions("It stops. Exits 1 when an input file is wrong, and 3 if it is done.")
    assert found == [(1, "an input file is wrong"), (3, "it is done.")]
    assert _closest(found[0][1], readme) == {2}

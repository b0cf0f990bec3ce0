"""Issue files: valid samples load; every kind of mistake is one line with file:line, exit 2."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.model.blocks import EventBlock, Events
from newsletter_cli.model.issue import load_issue

MINIMAL = """\
title: Regional Update
issue_date: 2025-09-19
subject: Regional Update
preheader: News and events
blocks:
  - kind: article
    heading: News
    body: Some news.
  - kind: events
    events:
      - title: Seminar
        start: "2025-10-15 09:30"
        end: "11:00"
        deadline: 2025-09-22
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_issue_loads_with_times_and_lines(tmp_path):
    issue = load_issue(write(tmp_path, MINIMAL))
    events = issue.blocks[1]
    assert isinstance(events, Events)
    event = events.events[0]
    assert event.start == datetime(2025, 10, 15, 9, 30)
    assert event.end == datetime(2025, 10, 15, 11, 0)
    assert event.deadline == date(2025, 9, 22)
    assert event.line == 11 and events.line == 9
    assert issue.name == "issue"


@pytest.mark.parametrize(
    "path", ["issues/2025-04-regional-update.yaml", "issues/2025-09-regional-update.yaml"]
)
def test_samples_load(project_dir, path):
    issue = load_issue(project_dir / path)
    assert issue.template == "regional-update"
    assert any(isinstance(b, EventBlock | Events) for b in issue.blocks)


BROKEN = {
    "bad YAML": (MINIMAL.replace("title: Regional Update", "title: [Regional"), 2, "YAML syntax"),
    "missing field": (
        MINIMAL.replace("    heading: News\n", ""),
        6,
        "block 1 (article), heading: is required",
    ),
    "bad date": (MINIMAL.replace("2025-09-22", "2025-09-31"), 14, "deadline: not a real date"),
    "bad date-time": (
        MINIMAL.replace('"2025-10-15 09:30"', '"15/10/2025"'),
        12,
        'start: write it as "2025-10-15"',
    ),
    "unknown kind": (
        MINIMAL.replace("kind: article", "kind: artcle"),
        6,
        "unknown block kind 'artcle'",
    ),
    "end before start": (MINIMAL.replace('"11:00"', '"08:00"'), 11, "the end is before the start"),
    "unknown field": (
        MINIMAL.replace("    body: Some news.", "    body: x\n    colour: red"),
        9,
        "colour: is not a field",
    ),
    "javascript link": (
        MINIMAL + "        links:\n          - text: Book\n            url: javascript:alert(1)\n",
        17,
        "a link must start with https://",
    ),
    "not a mapping": ("- just\n- a list\n", 1, "must be a set of 'field: value' lines"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_mistake_is_one_line_with_file_and_line(tmp_path, case):
    text, line, words = BROKEN[case]
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_issue(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_cli_reports_mistakes_with_exit_2_and_no_traceback(invoke, project_dir, case):
    text, line, words = BROKEN[case]
    (project_dir / "issues" / "broken.yaml").write_text(text, encoding="utf-8")
    result = invoke("build", "issues/broken.yaml")
    assert result.exit_code == 2
    assert f"issues/broken.yaml:{line}: " in result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert not (project_dir / "build" / "broken").exists()


def test_unknown_template_names_line_and_known_templates(invoke, project_dir):
    path = project_dir / "issues" / "other.yaml"
    path.write_text(MINIMAL.replace("blocks:", "template: fancy\nblocks:"), encoding="utf-8")
    result = invoke("build", "issues/other.yaml")
    assert result.exit_code == 2
    assert "issues/other.yaml:5: template: no template called 'fancy'" in result.output
    assert "known: regional-update" in result.output


def test_missing_file_is_an_input_error(invoke):
    result = invoke("build", "issues/nope.yaml")
    assert result.exit_code == 2
    assert "issues/nope.yaml: no such file" in result.output

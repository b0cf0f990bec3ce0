"""Every mistake in an issue at once, in line order, in plain words (issue 19, point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter_cli.errors import InputError, InputErrors
from newsletter_cli.model.issue import load_issue

HEAD = 'title: "Regional Update"\nsubject: "S"\nblocks:\n'
DATED = 'title: "Regional Update"\nsubject: "S"\nissue_date: "2026-02-01"\nblocks:\n'

#: Three mistakes; pydantic finds them in the schema's order (issue_date, then the event's
#: start, then its deadline), the file has them the other way round.
THREE = HEAD + """\
  - kind: article
    heading: "News"
    body: "Some news."
  - kind: event
    title: "Care Leavers Workshop"
    deadline: "next Friday"
    start: "2026-02-31 10:00"
issue_date: "2026-13-01"
"""


def write(tmp_path: Path, text: str, name: str = "issue.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_issue(path)
    return caught.value


def test_three_mistakes_are_all_reported_in_line_order(tmp_path):
    path = write(tmp_path, THREE)
    error = refused(path)
    assert isinstance(error, InputErrors)
    lines = str(error).splitlines()
    assert [p.line for p in error.problems] == [9, 10, 11]
    assert lines[0].startswith(f'{path}:9: block 2 (event "Care Leavers Workshop"), deadline: ')
    assert lines[1].startswith(f'{path}:10: block 2 (event "Care Leavers Workshop"), start: ')
    assert "not a real date" in lines[1]
    assert lines[2].startswith(f"{path}:11: issue_date: ")
    assert error.line == 9 and error.exit_code == 2  # the first mistake, as for one


def test_the_cli_prints_each_mistake_on_its_own_line_and_exits_2(invoke, project_dir):
    write(project_dir / "issues", THREE, "three.yaml")
    result = invoke("check", "issues/three.yaml")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[2] for e in errors] == ["9", "10", "11"], result.output
    assert "Traceback" not in result.output


def test_a_yaml_syntax_error_stops_the_load_with_one_message(tmp_path):
    error = refused(write(tmp_path, THREE.replace('body: "Some news."', 'body: "Some news.')))
    assert not isinstance(error, InputErrors)
    assert "quote" in error.message


def test_one_mistake_is_one_line_as_before(tmp_path):
    path = write(tmp_path, THREE.replace('"next Friday"', '"2026-02-20"')
                 .replace("2026-02-31", "2026-02-10").replace("2026-13-01", "2026-02-01"))
    path.write_text(path.read_text().replace('    body: "Some news."\n', ""), encoding="utf-8")
    error = refused(path)
    assert not isinstance(error, InputErrors)
    assert str(error) == f"{path}:4: block 1 (article \"News\"), body: is required but missing"


def test_blocks_are_named_by_number_kind_and_title(tmp_path):
    text = DATED + """\
  - kind: events
    heading: "Upcoming"
    events:
      - title: "Seminar"
        start: "2026-03-01"
        links:
          - text: "Book"
            url: "javascript:alert(1)"
"""
    error = refused(write(tmp_path, text))
    assert str(error).endswith(
        'block 1 (events "Upcoming"), event 1 ("Seminar"), link 1 ("Book"), url: '
        "a link must start with https://, http:// or mailto: (got 'javascript:alert(1)')"
    )


@pytest.mark.parametrize(
    ("field", "written", "said"),
    [
        ("start", "Tuesday 10th February 2026, 10:00", 'write it as "2026-02-10 10:00"'),
        ("start", "9:30am", 'a date is needed too: write it as "YYYY-MM-DD 09:30"'),
        ("start", "20/02/2026", 'write it as "2026-02-20"'),
        ("start", "10 Feb 2026, 2pm - 4pm",
         'write it as "2026-02-10 14:00", and the end time as end: "16:00"'),
        ("start", "Monday 10th February 2026",
         'write it as "2026-02-10" (check the day: 10 February 2026 is a Tuesday)'),
        ("deadline", "20.02.2026", 'write it as "2026-02-20"'),
        ("end", "10:00 – 11:30", 'an end can be a time only: end: "11:30"'),
        ("end", "11:30am", 'write it as end: "11:30"'),
    ],
)
def test_dates_as_people_write_them_are_converted_in_the_message(tmp_path, field, written, said):
    start = "" if field == "start" else '    start: "2026-02-10 10:00"\n'
    text = (DATED + '  - kind: event\n    title: "Workshop"\n'
            + start + f'    {field}: "{written}"\n')  # fmt: skip
    error = refused(write(tmp_path, text))
    assert f'block 1 (event "Workshop"), {field}: {said}' in str(error)
    assert error.line == text.count("\n")


def test_a_field_of_another_kind_says_which_kind_has_it(tmp_path):
    text = DATED + """\
  - kind: article
    heading: "Training"
    body: "B"
    deadline: "2026-02-20"
"""
    error = refused(write(tmp_path, text))
    assert str(error).endswith(
        'block 1 (article "Training"), deadline: belongs to event blocks (kind: event), '
        "not article blocks"
    )
    assert "heading" not in error.message.split("),")[1]  # no lookalike offered


def test_a_list_without_its_dash_says_put_a_dash_before_each_item(tmp_path):
    text = DATED + """\
  - kind: article
    heading: "News"
    body: "B"
    links:
      text: "Read more"
      url: "https://example.org/"
"""
    error = refused(write(tmp_path, text))
    assert error.line == 8
    assert error.message == (
        "block 1 (article \"News\"), links: links must be a list: put '- ' before each link, "
        "e.g. '- text: ...', with the link's other fields lined up under 'text'"
    )


def test_a_link_written_as_a_bare_address_says_how_to_write_it(tmp_path):
    text = DATED + """\
  - kind: article
    heading: "News"
    body: "B"
    links:
      - https://example.org/
"""
    error = refused(write(tmp_path, text))
    assert error.line == 9
    assert error.message.endswith(
        "link 1: a link needs its text and its address: write '- text: \"...\"' and, lined up "
        "under 'text', 'url: \"https://example.org/\"'"
    )


def test_input_errors_are_flattened_and_sorted():
    one = InputError("a", path="f.yaml", line=5)
    two = InputErrors([InputError("b", path="f.yaml", line=7), InputError("c", path="f.yaml",
                                                                           line=2)])  # fmt: skip
    both = InputErrors([one, two])
    assert str(both) == "f.yaml:2: c\nf.yaml:5: a\nf.yaml:7: b"
    assert str(one) == "f.yaml:5: a" and one.problems == [one]

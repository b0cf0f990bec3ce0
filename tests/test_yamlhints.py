"""YAML mistakes in an issue file: plain words, the fix, and the line to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.model.issue import load_issue

GOOD = """\
title: "Regional Update"
issue_date: "2025-10-17"
subject: "October news"
blocks:
  - kind: article
    heading: "Innovate and Grow"
    body: |
      Some news.
    links:
      - text: "Read more"
        url: "https://example.org/more"
"""

#: name: (what replaces what in GOOD, the line reported, words the message must hold)
MISTAKES = {
    "colon in text": (
        ('heading: "Innovate and Grow"', "heading: Innovate and Grow 2025: a valuable day"), 6,
        "text with ': ' in it must be in quotes: write heading: "
        '"Innovate and Grow 2025: a valuable day"',
    ),
    "tab": (("  - kind: article", "\t- kind: article"), 5, "use spaces, not tabs"),
    "tab inside a block": (("    body: |", "  \tbody: |"), 7, "use spaces, not tabs"),
    "unclosed double quote": (('subject: "October news"', 'subject: "October news'), 3,
                              'never closed: add the closing "'),
    "unclosed quote at the end": (('url: "https://example.org/more"', 'url: "https://example.org/more'),
                                  11, 'never closed: add the closing "'),
    "apostrophe in single quotes": (('heading: "Innovate and Grow"', "heading: 'children's services'"),
                                    6, "write heading: \"children's services\""),
    "indented too far": (("    body: |", "        body: |"), 7, "indentation does not line up"),
    "indented too far after text": (('heading: "Innovate and Grow"', 'heading: Innovate\n      and: Grow'),
                                    7, "indented more than the field above"),
    "indented too little": (("    links:", "   links:"), 9, "indentation does not line up"),
    "text starting with [": (('heading: "Innovate and Grow"', "heading: [Draft] Innovate"), 6,
                             'text starting with [ must be in quotes (YAML takes [ for a list): '
                             'write heading: "[Draft] Innovate"'),
    "text starting with *": (('heading: "Innovate and Grow"', "heading: *New* programme"), 6,
                             "text starting with * must be in quotes"),
    "text starting with @": (('heading: "Innovate and Grow"', "heading: @RegionalTeam news"), 6,
                             "text starting with @ must be in quotes"),
    "text starting with &": (('heading: "Innovate and Grow"', "heading: &more news"), 6,
                             'text starting with & must be in quotes (YAML takes & for a reference): '
                             'write heading: "&more news"'),
    "text starting with & and a space": (('heading: "Innovate and Grow"', "heading: & more"), 6,
                                         'write heading: "& more"'),
    "text starting with !": (('heading: "Innovate and Grow"', "heading: !important notice"), 6,
                             'text starting with ! must be in quotes (YAML takes ! for a tag): '
                             'write heading: "!important notice"'),
    "a link text starting with !": (('- text: "Read more"', "- text: !Read more"), 10,
                                    'write text: "!Read more"'),
    "text after a closing quote": (('heading: "Innovate and Grow"', 'heading: "Innovate" and Grow'),
                                   6, "text goes on after its closing quote"),
    "text on the | line": (("    body: |", "    body: | Some news."), 7,
                           "after '|' the text goes on the lines below"),
    "a field twice": (('subject: "October news"', 'subject: "October news"\nsubject: "Again"'), 4,
                      "'subject' is written twice"),
    "a line without a colon": (('subject: "October news"', "subject"), 3,
                               "a line without 'field: value'"),
    "body text not indented": (("      Some news.", "    Some news."), 8,
                               "a line without 'field: value'"),
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_file_loads(tmp_path):
    assert load_issue(write(tmp_path, GOOD)).blocks[0].heading == "Innovate and Grow"


@pytest.mark.parametrize("case", MISTAKES, ids=str)
def test_yaml_mistakes_say_what_to_do_at_the_line(tmp_path, case):
    (old, new), line, words = MISTAKES[case]
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        load_issue(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: YAML syntax: "), message
    assert words in message
    for jargon in ("mapping values", "<block end>", "scalar", "token", "simple key"):
        assert jargon not in message


def test_and_and_bang_inside_text_blocks_and_quotes_are_just_text(tmp_path):
    text = GOOD.replace("      Some news.", "      & more news\n      !important").replace(
        '"October news"', '"& October news!"')
    issue = load_issue(write(tmp_path, text))
    assert issue.subject == "& October news!" and "!important" in issue.blocks[0].body


def test_quotes_inside_text_blocks_are_just_text(tmp_path):
    # A quote left open inside a body (|) is text; the real mistake is further down.
    text = GOOD.replace("      Some news.", '      He said "see you\n      there" and left.')
    text = text.replace("    links:", "     links:")
    with pytest.raises(InputError) as caught:
        load_issue(write(tmp_path, text))
    assert ":10: YAML syntax: the indentation does not line up" in str(caught.value)


def test_the_cli_shows_one_line_and_exits_2(invoke, project_dir):
    path = project_dir / "issues" / "broken.yaml"
    path.write_text(GOOD.replace('heading: "Innovate and Grow"', "heading: Grow: a day"),
                    encoding="utf-8")  # fmt: skip
    result = invoke("check", "issues/broken.yaml")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: issues/broken.yaml:6: YAML syntax: text with ': ' in it must be in quotes: "
        'write heading: "Grow: a day"'
    )

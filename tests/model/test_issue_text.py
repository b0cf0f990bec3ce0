"""Characters XML cannot carry are refused in every text field of an issue (path:line, exit 2)."""

from __future__ import annotations

import pytest
from support.issues import SEPTEMBER

from newsletter_cli.errors import InputError
from newsletter_cli.model.issue import load_issue


def with_value(project_dir, anchor: str, replacement: str):
    """The September issue with ``anchor`` replaced; (path, line of the change)."""
    path = project_dir / SEPTEMBER
    text = path.read_text(encoding="utf-8")
    assert anchor in text
    text = text.replace(anchor, replacement, 1)
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(replacement)].count("\n") + 1


@pytest.mark.parametrize("char", ["\\uFFFE", "\\uFFFF", "\\uD800", "\\uDFFF"])
@pytest.mark.parametrize(
    ("anchor", "replacement", "field"),
    [
        (
            'title: "Regional Update – September 2025"',
            'title: "Regional Update{c} September"',
            "title",
        ),
        ('author: "Paul Brewster"', 'author: "Paul{c} Brewster"', "author"),
        (
            'heading: "Upcoming Conferences and Events"',
            'heading: "Upcoming{c} Events"',
            'block 6 (events "Upcoming Events"), heading',
        ),
        (
            '- title: "Participation Conference"',
            '- title: "Participation{c} Conference"',
            'block 6 (events "Upcoming Conferences and Events"), event 5 ("Participation '
            'Conference"), title',
        ),
    ],
)
def test_characters_xml_cannot_carry_are_refused_with_path_and_line(
    project_dir, char, anchor, replacement, field
):
    path, line = with_value(project_dir, anchor, replacement.format(c=char))
    with pytest.raises(InputError) as caught:
        load_issue(path)
    said = str(caught.value)
    assert said.startswith(f"{path}:{line}: {field}: "), said
    code = char.removeprefix("\\u")
    assert f"U+{code}" in said


def test_a_title_with_u_fffe_stops_publish_before_the_feed_is_written(invoke, project_dir):
    path, line = with_value(
        project_dir,
        'title: "Regional Update – September 2025"',
        'title: "Regional Update\\uFFFE September"',
    )
    result = invoke("publish", SEPTEMBER)
    assert result.exit_code == 2, result.output
    assert f"{SEPTEMBER}:{line}: title: has U+FFFE" in " ".join(result.output.split())
    assert not (project_dir / "site" / "feed.xml").exists()


def test_ordinary_text_outside_the_basic_plane_is_fine(project_dir):
    path, _ = with_value(
        project_dir, 'author: "Paul Brewster"', 'author: "Paul Brewster 🎉 \\U0001F600"'
    )
    assert load_issue(path).author == "Paul Brewster 🎉 😀"

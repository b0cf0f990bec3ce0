"""The plain-text part: 78 columns, URLs whole, one calendar link per sitting, nothing lost."""

from __future__ import annotations

import re

import pytest

from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import render_email
from newsletter_cli.render.textpart import wrap_line, wrap_text

URL = "https://updates.example.org/regional-update/2025-09-regional-update/" + "x" * 60 + ".ics"


def test_short_lines_are_left_alone():
    assert wrap_line("  When:     Thursday 2 October 2025") == ["  When:     Thursday 2 October 2025"]


def test_a_label_line_continues_under_its_value():
    line = "  When:     Monday 6 October 2025, 11am to 12:30pm and Tuesday 14 October 2025, 10:30am"
    assert wrap_line(line) == [
        "  When:     Monday 6 October 2025, 11am to 12:30pm and Tuesday 14 October",
        "            2025, 10:30am",
    ]


def test_a_bullet_continues_under_its_text():
    out = wrap_line("- Monday 6 October: " + "word " * 20)
    assert out[0].startswith("- Monday") and all(line.startswith("  word") for line in out[1:])
    assert all(len(line) <= 78 for line in out)


def test_a_long_url_gets_a_line_of_its_own_after_its_label():
    assert wrap_line(f"  Add to calendar: {URL}") == ["  Add to calendar:", f"  {URL}"]
    assert wrap_line(URL) == [URL]


def test_words_are_never_split():
    text = "a-very-long-hyphenated-word " * 6
    assert wrap_text(text).split() == text.split()


@pytest.fixture(params=["issues/2025-09-regional-update.yaml", "issues/2025-04-regional-update.yaml"])
def text(request, project):
    return render_email(load_issue(project.root / request.param), project).text


def test_every_line_fits_78_columns_unless_it_is_one_url(text):
    for line in text.splitlines():
        assert len(line) <= 78 or re.fullmatch(r"\s*\S*://\S+", line), line


def test_one_calendar_link_per_sitting(project):
    text = render_email(load_issue(project.root / "issues/2025-09-regional-update.yaml"), project).text
    ics = re.findall(r"https://updates\.example\.org/\S+\.ics", text)
    assert len(ics) == len(set(ics)) == 7
    assert "outlook.office.com" not in text and "calendar.google.com" not in text
    pwle = text[text.index("PWLE SEMINAR") :]
    pwle = pwle[: pwle.index("\n\n", pwle.index("Add to calendar:"))]
    assert "2025-10-15-pwle-seminar-child-contact-problems-and-the-family-court.ics" in pwle


def test_the_main_link_comes_first_with_the_buttons_words(project):
    text = render_email(load_issue(project.root / "issues/2025-09-regional-update.yaml"), project).text
    inequality = text[text.index("INEQUALITY IN THE WORKPLACE") :]
    assert inequality.index("Register for a place: TODO") < inequality.index(
        "More details: follow this link: TODO"
    )


def test_diary_and_headings_in_the_text(project):
    text = render_email(load_issue(project.root / "issues/2025-09-regional-update.yaml"), project).text
    assert "DATES FOR YOUR DIARY\n- Thursday 2 October: Families First" in text
    assert "- Wednesday 15 October: PWLE Seminar: Child contact problems and the Family\n  Court (book by Monday 22 September)" in text

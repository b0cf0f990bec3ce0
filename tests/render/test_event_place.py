"""Where an event is: "(online)" is added only when the location does not say it already."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.build import build_issue
from newsletter_cli.project import Project
from newsletter_cli.render.filters import event_place


@pytest.mark.parametrize(
    ("location", "online", "shown"),
    [
        ("Online (Microsoft Teams)", True, "Online (Microsoft Teams)"),
        ("Microsoft Teams", True, "Microsoft Teams (online)"),
        ("Birmingham and online", True, "Birmingham and online"),
        ("Council House, Birmingham", False, "Council House, Birmingham"),
        ("", True, "Online"),
        (None, False, "Online"),
    ],
)
def test_event_place(location, online, shown):
    assert event_place(SimpleNamespace(location=location, online=online)) == shown


def test_the_web_page_says_to_be_confirmed_without_a_place():
    assert event_place(SimpleNamespace(location=None, online=False), "To be confirmed") == "To be confirmed"


def test_the_init_sample_says_online_once_in_email_text_and_page(tmp_path):
    made = create_project(tmp_path / "news")
    result = build_issue(made.issue, Project(made.root), out=tmp_path / "out")
    for path in result.files:
        if path.suffix in (".html", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert "Online (Microsoft Teams)" in text, path.name
            assert "Online (Microsoft Teams) (online)" not in text, path.name

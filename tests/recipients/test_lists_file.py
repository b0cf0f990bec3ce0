"""The lists file: every mistake stops with file:line and a way to fix it."""

from __future__ import annotations

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import load_roster

CONTACTS = {"contacts.csv": "email,tags\na@x.example.org,dcs\n", "suppressions.csv": "email\n"}


def error_for(make_project, lists: str | None) -> str:
    with pytest.raises(InputError) as caught:
        load_roster(make_project(CONTACTS, lists))
    return str(caught.value)


@pytest.mark.parametrize(
    ("lists", "expected"),
    [
        (
            "dcs:\n  tags: [dcs\n",
            "recipients/lists.yaml:3: YAML syntax:",
        ),
        (
            "dcs:\n  tags: [dcs]\nnetwork:\n  lists: [dcs, send-leeds]\n",
            "recipients/lists.yaml:4: list 'network': lists names 'send-leeds', which is not a "
            "list",
        ),
        (
            "dcs:\n  tags: [dcs]\nsend-leads:\n  tags: [send-lead]\n"
            "network:\n  lists: [dcs, send-leds]\n",
            "recipients/lists.yaml:6: list 'network': lists names 'send-leds', which is not a "
            "list (did you mean 'send-leads'?)",
        ),
        (
            "a:\n  lists: [b]\nb:\n  tags: [dcs]\n  lists: [c]\nc:\n  lists: [a]\n",
            "recipients/lists.yaml:2: lists include each other in a loop: a -> b -> c -> a",
        ),
        (
            "a:\n  tags: [dcs]\n  exclude_lists: [a]\n",
            "recipients/lists.yaml:1: lists include each other in a loop: a -> a",
        ),
        (
            "dcs:\n  tag: [dcs]\n",
            "recipients/lists.yaml:2: list 'dcs': unknown setting 'tag' (did you mean 'tags'?)",
        ),
        (
            "SEND Network:\n  tags: [dcs]\n",
            "recipients/lists.yaml:1: list name 'SEND Network': use lower case letters, digits "
            "and hyphens (e.g. 'send-network')",
        ),
        (
            "dcs:\n  description: Directors\n",
            "recipients/lists.yaml:1: list 'dcs' includes nobody: give it tags:, lists: or "
            "everyone: true",
        ),
        ("dcs: [dcs]\n", "recipients/lists.yaml:1: list 'dcs': give its settings below it"),
        ("dcs:\n  tags: {a: 1}\n", "recipients/lists.yaml:2: list 'dcs': tags: write names"),
        ("dcs:\n  everyone: yes please\n", "recipients/lists.yaml:2: list 'dcs': everyone: must"),
        ("- dcs\n", "recipients/lists.yaml:1: must be a set of 'name:' entries"),
        ("# nothing yet\n", "recipients/lists.yaml: defines no lists"),
        (None, "recipients/lists.yaml: no lists file"),
    ],
)
def test_lists_file_mistakes_are_fatal_with_their_line(make_project, lists, expected) -> None:
    assert error_for(make_project, lists).startswith(expected)


def test_names_may_be_one_string_and_are_normalised(make_project) -> None:
    lists = "leads:\n  tags: DCS, Send Lead\n  description: >\n    Two\n    lines\n"
    files = dict(CONTACTS)
    files["contacts.csv"] = "email,tags\na@x.example.org,dcs\nb@x.example.org,send_lead\n"
    roster = load_roster(make_project(files, lists))
    assert roster.lists["leads"].tags == ("dcs", "send-lead")
    assert roster.lists["leads"].description == "Two lines"
    assert [c.email for c in roster.resolve(["leads"]).members] == [
        "a@x.example.org",
        "b@x.example.org",
    ]


def test_tags_nobody_has_and_tags_no_list_uses_are_warnings(make_project) -> None:
    files = dict(CONTACTS)
    files["contacts.csv"] = "email,tags\na@x.example.org,dcs\nb@x.example.org,send-laed\n"
    lists = "dcs:\n  tags: [dcs]\nsend-leads:\n  description: SEND\n  tags: [send-lead]\n"
    roster = load_roster(make_project(files, lists))
    assert [str(p) for p in roster.problems] == [
        "recipients/lists.yaml:5: list 'send-leads': no contact has the tag 'send-lead' "
        "(did you mean 'send-laed'?)",
        "recipients/contacts.csv:3: tag 'send-laed' is used by no list in "
        "recipients/lists.yaml (1 contact) (did you mean 'send-lead'?)",
    ]
    assert {p.severity for p in roster.problems} == {"warning"}
    # The typo 'send-laed' keeps b@ off send-leads: named for that list, not for dcs.
    assert [p.line for p in roster.problems_for("send-leads")] == [5, 3]
    assert roster.problems_for("dcs") == []

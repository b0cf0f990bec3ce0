"""Address cells as people paste them, and recipient files the csv module cannot take."""

from __future__ import annotations

import csv

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import load_roster
from newsletter_cli.recipients.addresses import address_problem
from newsletter_cli.recipients.cells import parse_address_cell

BEN = "ben@birmingham.example.org"
DCS = "dcs:\n  tags: [dcs]\neveryone:\n  everyone: true\n"


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        (BEN, ""),
        (f"  {BEN.upper()}\u00a0", ""),
        (f"Ben Bellamy <{BEN}>", "Ben Bellamy"),
        (f'"Bellamy, Ben" <{BEN}>', "Bellamy, Ben"),
        (f"Bellamy, Ben <{BEN}>", "Bellamy, Ben"),
        (f'"Ben \\"B\\" Bellamy" <{BEN}>', 'Ben "B" Bellamy'),
        (f"<{BEN}>", ""),
        (f"mailto:{BEN}", ""),
        (f"<mailto:{BEN}>", ""),
        (f"MAILTO:{BEN}", ""),
        (f"Mailto:{BEN}?subject=Unsubscribe&body=Please", ""),
        (f"Ben <mailto:{BEN}?subject=Hi>", "Ben"),
        (f"{BEN} (Ben Bellamy)", "Ben Bellamy"),
    ],
)
def test_every_way_of_writing_an_address_gives_it(cell: str, name: str) -> None:
    assert parse_address_cell(cell) == (BEN, name)


def test_percent_escapes_in_a_mailto_link_are_decoded() -> None:
    assert parse_address_cell("mailto:ben%2Bnews@x.example.org")[0] == "ben+news@x.example.org"


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("Ben <ben@@birmingham.example.org>", "more than one @"),
        (f"{BEN}, amy@x.example.org", "holds more than one address"),
        (f"{BEN}; amy@x.example.org", "holds more than one address"),
        (f"Ben Bellamy {BEN}", "contains a space"),
        ("Ben Bellamy", "contains a space"),
        ('"Ben" <>', "no email address"),
        (f"<{BEN}> <amy@x.example.org>", "holds more than one address"),
    ],
)
def test_cells_that_still_hold_no_single_address_are_refused(cell: str, reason: str) -> None:
    problem = address_problem(parse_address_cell(cell)[0])
    assert problem is not None and reason in problem


def test_a_name_in_the_email_cell_fills_an_empty_name(make_project) -> None:
    roster = load_roster(make_project({
        "contacts.csv": "email,name,tags\n"
        f'"Ben Bellamy <{BEN}>",,dcs\n'
        '"Amy Ault <amy@x.example.org>",Dr Amy Ault,dcs\n'
        "mailto:cat@x.example.org,,dcs\n",
        "suppressions.csv": "email\n",
    }, lists=DCS))  # fmt: skip
    assert [(c.email, c.name) for c in roster.contacts] == [
        (BEN, "Ben Bellamy"),
        ("amy@x.example.org", "Dr Amy Ault"),  # the name column wins
        ("cat@x.example.org", ""),
    ]
    assert roster.problems == []


def test_an_unclosed_quote_is_named_not_swallowing_rows_in_silence(make_project) -> None:
    roster = load_roster(make_project({
        "contacts.csv": "email,name,tags\n"
        'amy@x.example.org,"Amy Ault,dcs\n'
        "ben@x.example.org,Ben,dcs\n"
        "cat@x.example.org,Cat,dcs\n",
        "suppressions.csv": "email\n",
    }, lists=DCS))  # fmt: skip
    assert roster.contacts == []
    [problem] = [p for p in roster.problems if p.path == "recipients/contacts.csv"]
    assert problem.where == "recipients/contacts.csv:2" and problem.severity == "error"
    assert "runs over several lines" in problem.message
    assert problem in roster.problems_for("dcs") and problem in roster.problems_for("everyone")


def test_shifted_columns_count_for_the_lists_the_real_tags_were_for(make_project) -> None:
    roster = load_roster(make_project({
        "contacts.csv": "email,name,organisation,role,tags\n"
        "ben@x.example.org,Ben,Birmingham,Assistant Director, SEND,send-lead\n",
        "suppressions.csv": "email\n",
    }))  # fmt: skip
    shifted = [p for p in roster.problems if "cells but the header has" in p.message]
    assert len(shifted) == 1 and shifted[0].line == 2
    assert shifted[0] in roster.problems_for("send-leads")  # 'send-lead' was pushed along
    assert shifted[0] not in roster.problems_for("safeguarding-reps")


def test_a_nul_byte_is_refused_with_its_line(make_project) -> None:
    project = make_project({
        "contacts.csv": "email,name\namy@x.example.org,Amy\nben@x.example.org,B\x00en\n",
    })  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_roster(project)
    assert str(caught.value) == (
        "recipients/contacts.csv:3: contains a NUL byte: this is not a CSV text file"
    )


def test_a_cell_over_the_csv_field_limit_is_one_line(make_project) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    project = make_project({
        "contacts.csv": f"email,name\namy@x.example.org,Amy\nben@x.example.org,{huge}\n",
    })  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_roster(project)
    assert str(caught.value) == (
        "recipients/contacts.csv:3: a cell is longer than 131,072 characters (an unclosed quote?)"
    )


def test_lists_nested_two_thousand_deep_resolve(make_project) -> None:
    chain = "".join(f"level{i}:\n  lists: [level{i - 1}]\n" for i in range(2000, 0, -1))
    project = make_project(
        {"contacts.csv": "email,tags\namy@x.example.org,dcs\n", "suppressions.csv": "email\n"},
        lists=chain + "level0:\n  tags: [dcs]\n",
    )
    roster = load_roster(project)
    assert [c.email for c in roster.resolve(["level2000"]).members] == ["amy@x.example.org"]
    assert "level1999" in roster.list_audience_keys("level2000")


def test_a_loop_thousands_long_is_one_short_line(make_project) -> None:
    chain = "".join(f"level{i}:\n  lists: [level{i - 1}]\n" for i in range(2000, 0, -1))
    project = make_project(
        {"contacts.csv": "email,tags\namy@x.example.org,dcs\n"},
        lists=chain + "level0:\n  lists: [level2000]\n",
    )
    with pytest.raises(InputError) as caught:
        load_roster(project)
    message = str(caught.value)
    assert message.startswith("recipients/lists.yaml:2: lists include each other in a loop: ")
    assert "level2000 -> level1999 -> level1998 -> ... 1997 more ... -> level0 -> level2000" in (
        message
    )
    assert "\n" not in message and len(message) < 200

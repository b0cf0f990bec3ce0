"""Real-world exports: BOM, CRLF, semicolons, duplicates, bad rows, suppression.

Each test asserts the exact resolved membership and every problem with its line.
"""

from __future__ import annotations

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import load_roster

# Excel "CSV UTF-8" on a European locale: BOM, CRLF, ';' separators, an extra column,
# padded spaces, mixed case, blank rows (empty and separators only), a short row.
EXCEL = (
    "\ufeffE-mail Address ; Name ;Organisation;Role;Tags;Notes\r\n"  # 1
    " Jane.Doe@Coventry.Example.org ;Jane Doe;Coventry;SEND lead;\"SEND lead; DCS\";x\r\n"  # 2
    "\r\n"  # 3 blank
    ";;;;;\r\n"  # 4 blank, separators only
    "not-an-address;Bad Row;Dudley;;dcs;\r\n"  # 5 invalid
    "bob@dudley.example.org;Bob;Dudley\r\n"  # 6 short row: fine
    "\"carol@walsall.example.org\";\"Smith, Carol\";Walsall;DCS;dcs\r\n"  # 7
    "dave@solihull .example.org;Dave;Solihull;;dcs;\r\n"  # 8 space in the domain
)
# Google Sheets: commas, LF, no BOM.
SHEETS = (
    "email,name,organisation,role,tags\n"  # 1
    "JANE.DOE@coventry.example.org,Jane D.,Coventry,,safeguarding-rep\n"  # 2 duplicate
    "frank@telford.test,Frank <b>,Telford,,dcs\n"  # 3 unsafe name
    "grace@wolverhampton.test,Grace Lee,Wolverhampton,,dcs;send-lead\n"  # 4 suppressed
    ",No Email,Walsall,,dcs\n"  # 5 no address
    "heidi@walsall.example.org,Heidi,Walsall,,send-coordinator,oops\n"  # 6 long row
    "ivan@walsall..example.org,Ivan,Walsall,,dcs\n"  # 7 bad domain
    "carol@WALSALL.example.org,Carol S,Walsall,,participation-lead\n"  # 8 duplicate
)
SUPPRESSIONS = (
    "email,reason\n"  # 1
    "GRACE@Wolverhampton.test ,unsubscribed\n"  # 2
    "not an address,bounced\n"  # 3 invalid
    "heidi@walsall.example.org,\n"  # 4 default reason
)

FILES = {"a-excel.csv": EXCEL, "b-sheets.csv": SHEETS, "suppressions.csv": SUPPRESSIONS}


@pytest.fixture
def roster(make_project):
    return load_roster(make_project(FILES))


def emails(contacts) -> list[str]:
    return [c.email for c in contacts]


def test_contacts_are_merged_by_address_in_file_order(roster) -> None:
    assert emails(roster.contacts) == [
        "jane.doe@coventry.example.org",
        "bob@dudley.example.org",
        "carol@walsall.example.org",
        "grace@wolverhampton.test",
        "heidi@walsall.example.org",
    ]
    jane = roster.contacts[0]
    assert jane.name == "Jane Doe"  # the first row's values win
    assert jane.tags == {"send-lead", "dcs", "safeguarding-rep"}  # tags combine
    assert jane.source == "recipients/a-excel.csv:2"
    assert roster.contacts[2].name == "Smith, Carol"
    assert roster.contacts[2].first_name == "Carol"
    assert roster.contacts[2].tags == {"dcs", "participation-lead"}
    assert roster.contacts[1].tags == frozenset()


def test_every_problem_is_reported_with_its_line(roster) -> None:
    found = [(p.where, p.severity) for p in roster.problems]
    assert found == [
        ("recipients/a-excel.csv:5", "error"),
        ("recipients/a-excel.csv:8", "error"),
        ("recipients/b-sheets.csv:2", "warning"),
        ("recipients/b-sheets.csv:3", "error"),
        ("recipients/b-sheets.csv:5", "error"),
        ("recipients/b-sheets.csv:6", "warning"),
        ("recipients/b-sheets.csv:7", "error"),
        ("recipients/b-sheets.csv:8", "warning"),
        ("recipients/suppressions.csv:3", "error"),
        ("recipients/b-sheets.csv:8", "warning"),  # tag used by no list
    ]
    text = [str(p) for p in roster.problems]
    assert text[0] == (
        "recipients/a-excel.csv:5: invalid email address 'not-an-address': has no @"
    )
    assert text[1] == (
        "recipients/a-excel.csv:8: invalid email address 'dave@solihull .example.org': "
        "contains a space"
    )
    assert "duplicate of jane.doe@coventry.example.org (first at recipients/a-excel.csv:2)" in (
        text[2]
    )
    assert "tags added: safeguarding-rep" in text[2]
    assert "name 'Jane D.' differs, kept 'Jane Doe'" in text[2]
    assert "frank@telford.test: the name 'Frank <b>' contains < or >" in text[3]
    assert text[4] == "recipients/b-sheets.csv:5: no email address: row left out"
    assert "6 cells but the header has 5" in text[5]
    assert "misplaced dot in the domain" in text[6]
    assert "duplicate of carol@walsall.example.org" in text[7]
    assert "suppression entry 'not an address' cannot be read" in text[8]
    assert "tag 'participation-lead' is used by no list" in text[9]
    assert [p.severity for p in roster.errors] == ["error"] * 6
    assert len(roster.warnings) == 4


def test_suppression_wins_over_matching_tags(roster) -> None:
    dcs = roster.resolve(["dcs"])
    assert emails(dcs.members) == ["jane.doe@coventry.example.org", "carol@walsall.example.org"]
    assert emails(dcs.suppressed) == ["grace@wolverhampton.test"]
    assert dcs.reason(dcs.suppressed[0]) == "unsubscribed (recipients/suppressions.csv:2)"


def test_exact_membership_of_every_list(roster) -> None:
    expected = {
        "everyone": ["jane.doe@coventry.example.org", "bob@dudley.example.org",
                     "carol@walsall.example.org"],
        "dcs": ["jane.doe@coventry.example.org", "carol@walsall.example.org"],
        "send-leads": ["jane.doe@coventry.example.org"],
        "send-coordinators": [],
        "send-network": ["jane.doe@coventry.example.org", "carol@walsall.example.org"],
        "safeguarding-reps": ["jane.doe@coventry.example.org"],
        "not-dcs": ["bob@dudley.example.org"],
    }  # fmt: skip
    assert roster.list_names() == list(expected)
    for name, members in expected.items():
        assert emails(roster.resolve([name]).members) == members, name
    network = roster.resolve(["send-network"])
    assert emails(network.suppressed) == ["grace@wolverhampton.test", "heidi@walsall.example.org"]
    assert network.reason(network.suppressed[1]) == "suppressed (recipients/suppressions.csv:4)"


def test_strict_turns_the_first_problem_into_an_error(make_project) -> None:
    with pytest.raises(InputError) as caught:
        load_roster(make_project(FILES), strict=True)
    assert str(caught.value) == (
        "recipients/a-excel.csv:5: invalid email address 'not-an-address': has no @"
    )
    assert "10 problem(s)" in caught.value.hint


def test_per_list_problem_counts(roster) -> None:
    # Problems with rows tagged dcs affect dcs; 'everyone' counts every contact-row problem;
    # the invalid suppression entry (no tags) counts for every list, and so does the tag
    # 'participation-lead' that no list uses and that is like no tag a list uses.
    assert len(roster.problems_for("dcs")) == 9
    assert len(roster.problems_for("everyone")) == 10
    assert len(roster.problems_for("send-coordinators")) == 3

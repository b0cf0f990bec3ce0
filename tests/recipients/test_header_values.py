"""A contacts row whose text could add an email header is left out and named (issue 15.1).

Checked after every decoding step: the cell as the CSV or Excel reader gives it, and
the values made from it (the name beside an address, a ``mailto:`` link's %-escapes).
A line break typed inside a cell (Alt+Enter, a quoted CSV value) stays what it has always
been, a space: every kind of line break is whitespace, so none can reach a header.
"""

from __future__ import annotations

import pytest

from newsletter_cli.recipients import load_roster

from .workbooks import simple

LISTS = "everyone:\n  everyone: true\n"
ENCODED = "=?utf-8?q?=0D=0ABcc=3A_evil3=40attacker=2Eexample?="
HEADER = "email,name,first_name,last_name,organisation,role\n"


def read(make_project, rows: str):
    project = make_project({"contacts.csv": HEADER + rows, "suppressions.csv": "email\n"}, LISTS)
    return load_roster(project)


ROWS = {
    "name": (f"fay@x.example.org,Fay {ENCODED},,,Dudley,Lead", "name", "holds '=?'"),
    "organisation": (f"fay@x.example.org,Fay,,,Dudley {ENCODED},Lead", "organisation",
                     "holds '=?'"),
    "role": (f"fay@x.example.org,Fay,,,Dudley,{ENCODED}", "role", "holds '=?'"),
    "first name": (f"fay@x.example.org,,Fay{ENCODED},Lee,Dudley,Lead", "first name",
                   "holds '=?'"),
    "last name": (f"fay@x.example.org,,Fay,{ENCODED},Dudley,Lead", "last name", "holds '=?'"),
    "name beside the address": (f'"Fay {ENCODED}" <fay@x.example.org>,,,,Dudley,Lead', "email",
                                "holds '=?'"),
    "control character": ("fay@x.example.org,Fay\x1bBcc,,,D,L", "name",
                          "holds a control character (U+001B)"),
}  # fmt: skip


@pytest.mark.parametrize("case", ROWS)
def test_a_value_that_could_add_a_header_leaves_the_row_out_with_its_line(make_project, case):
    row, field, said = ROWS[case]
    roster = read(make_project, f"amy@x.example.org,Amy,,,Dudley,Lead\n{row}\n")
    assert [c.email for c in roster.contacts] == ["amy@x.example.org"]
    (problem,) = roster.problems
    assert (problem.where, problem.severity, problem.contact_row) == (
        "recipients/contacts.csv:3", "error", True
    )
    assert problem.message.startswith(f"fay@x.example.org: the {field} ")
    assert said in problem.message and problem.message.endswith("row left out")


def test_an_encoded_word_made_by_a_mailto_links_escapes_is_refused(make_project):
    roster = read(make_project, "mailto:%3D%3Fx%3F%3D@x.example.org,Fay,,,D,L\n")
    assert roster.contacts == []
    (problem,) = roster.problems
    assert problem.where == "recipients/contacts.csv:2"
    assert "the email '=?x?=@x.example.org' holds '=?'" in problem.message


LINE_BREAKS = ["\n", "\r\n", "\r\n\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e",
               "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_a_line_break_typed_in_a_csv_cell_is_a_space(make_project, brk):
    roster = read(make_project, f'fay@x.example.org,"Fay{brk}Bcc: evil3",,,"Dudley{brk}",L\n')
    assert [(c.name, c.organisation) for c in roster.contacts] == [("Fay Bcc: evil3", "Dudley")]


def test_a_line_break_typed_in_an_excel_cell_is_a_space(make_project, tmp_path):
    book = simple(tmp_path / "contacts.xlsx", {"Contacts": [
        ["email", "name", "role"],
        ["fay@x.example.org", "Fay\n\nBcc: evil3", "Lead\u2028Bcc: x"],
    ]})  # fmt: skip
    project = make_project({"contacts.xlsx": book.read_bytes(), "suppressions.csv": "email\n"},
                           LISTS)  # fmt: skip
    (contact,) = load_roster(project).contacts
    assert (contact.name, contact.role) == ("Fay Bcc: evil3", "Lead Bcc: x")


def test_an_encoded_word_in_an_excel_cell_leaves_the_row_out_with_its_sheet_and_row(
    make_project, tmp_path
):
    book = simple(tmp_path / "contacts.xlsx", {"Contacts": [
        ["email", "name", "role"],
        ["amy@x.example.org", "Amy", "Lead"],
        ["fay@x.example.org", f"Fay {ENCODED}", "Lead"],
    ]})  # fmt: skip
    project = make_project({"contacts.xlsx": book.read_bytes(), "suppressions.csv": "email\n"},
                           LISTS)  # fmt: skip
    roster = load_roster(project)
    assert [c.email for c in roster.contacts] == ["amy@x.example.org"]
    (problem,) = roster.problems
    assert problem.where == "recipients/contacts.xlsx:Contacts!3"
    assert f"the name {'Fay ' + ENCODED!r} holds '=?'" in problem.message


def test_tabs_and_ordinary_punctuation_are_still_fine(make_project):
    roster = read(make_project, "amy@x.example.org,Amy\tO'Neil = ?,,,Dudley (SEND),Lead; QA\n")
    assert [(c.name, c.organisation) for c in roster.contacts] == [
        ("Amy O'Neil = ?", "Dudley (SEND)")
    ]
    assert roster.problems == []

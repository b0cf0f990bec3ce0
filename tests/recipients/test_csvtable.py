"""Spreadsheet exports in their other shapes: each still gives the right rows and lines."""

from __future__ import annotations

import pytest

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import load_roster

LISTS = "everyone:\n  everyone: true\n"


def load(make_project, content: str | bytes, name: str = "contacts.csv"):
    return load_roster(make_project({name: content, "suppressions.csv": "email\n"}, LISTS))


def test_excel_sep_line_and_tabs(make_project) -> None:
    roster = load(make_project, "sep=;\nemail;name\na@x.example.org;A\n")
    assert [(c.email, c.name, c.source) for c in roster.contacts] == [
        ("a@x.example.org", "A", "recipients/contacts.csv:3")
    ]
    roster = load(make_project, "email\tname\tnote, with comma\nb@x.example.org\tB, Jr\t\n")
    assert [(c.email, c.name) for c in roster.contacts] == [("b@x.example.org", "B, Jr")]


def test_windows_1252_file_is_read_with_a_warning(make_project) -> None:
    roster = load(make_project, "email,name\nzoe@x.example.org,Zo\xeb Brontë\n".encode("cp1252"))
    assert roster.contacts[0].name == "Zoë Brontë"
    assert [str(p) for p in roster.problems] == [
        "recipients/contacts.csv:2: not UTF-8: read as Windows-1252 "
        "(save as 'CSV UTF-8' to avoid this)"
    ]


def test_line_numbers_count_quoted_line_breaks_and_old_mac_endings(make_project) -> None:
    text = 'email,name,role\na@x.example.org,"Ann\nLee",Lead\nbad,B,\n'
    roster = load(make_project, text)
    assert roster.contacts[0].name == "Ann Lee"  # line breaks inside a value become spaces
    assert [p.where for p in roster.problems] == ["recipients/contacts.csv:4"]
    roster = load(make_project, "email,name\r\r\nbad,B\rc@x.example.org,C\r")
    assert [p.where for p in roster.problems] == ["recipients/contacts.csv:3"]
    assert roster.contacts[0].source == "recipients/contacts.csv:4"


def test_first_and_last_name_columns_and_aliases(make_project) -> None:
    text = "First Name,Last Name,E-mail,Local Authority,Job Title,Labels\n"
    text += "Ann,Lee,ann@x.example.org,Dudley,DCS,DCS | Send Lead\n"
    contact = load(make_project, text).contacts[0]
    assert (contact.name, contact.organisation, contact.role) == ("Ann Lee", "Dudley", "DCS")
    assert contact.tags == {"dcs", "send-lead"}


def test_a_repeated_column_is_a_warning_and_the_first_one_counts(make_project) -> None:
    roster = load(make_project, "email,name,Email\na@x.example.org,A,b@x.example.org\n")
    assert [c.email for c in roster.contacts] == ["a@x.example.org"]
    assert [(p.where, p.severity) for p in roster.problems] == [
        ("recipients/contacts.csv:1", "warning")
    ]
    assert "repeats the 'email' column" in roster.problems[0].message


def test_a_file_without_an_email_column_stops_with_its_header_line(make_project) -> None:
    with pytest.raises(InputError) as caught:
        load(make_project, "\n\nname,organisation\nAnn,Dudley\n")
    assert str(caught.value).startswith(
        "recipients/contacts.csv:3: the first row must be a header with an 'email' column"
    )
    assert "found: name, organisation" in str(caught.value)


def test_a_headerless_file_is_refused_not_guessed(make_project) -> None:
    with pytest.raises(InputError, match="contacts.csv:1: the first row must be a header"):
        load(make_project, "ann@x.example.org,Ann\n")


def test_empty_files_are_a_warning(make_project) -> None:
    roster = load(make_project, "\r\n,,,\r\n")
    assert roster.contacts == []
    assert [str(p) for p in roster.problems] == [
        "recipients/contacts.csv: empty file: no header, no contacts"
    ]
    assert load(make_project, "email,name\n").problems == []  # a header alone is fine


def test_suppression_files_are_recognised_by_name_and_never_mailed(make_project) -> None:
    files = {
        "contacts.csv": "email\na@x.example.org\nb@x.example.org\nc@x.example.org\n",
        "unsubscribes-2025.csv": "Email,Created\nA@x.example.org,1700000000\n",
        "Bounces.csv": "email\nb@x.example.org\n",
    }
    roster = load_roster(make_project(files, LISTS))
    result = roster.resolve(["everyone"])
    assert [c.email for c in result.members] == ["c@x.example.org"]
    assert [result.reason(c) for c in result.suppressed] == [
        "unsubscribed (recipients/unsubscribes-2025.csv:2)",
        "bounced (recipients/Bounces.csv:2)",
    ]
    assert roster.files == ["recipients/contacts.csv"]
    assert roster.problems == []


def test_no_suppression_file_is_a_warning(make_project) -> None:
    roster = load_roster(make_project({"contacts.csv": "email\na@x.example.org\n"}, LISTS))
    assert [str(p) for p in roster.problems] == [
        "recipients/suppressions.csv: no suppression file: nobody is suppressed "
        "(create it with an 'email' column)"
    ]


def test_a_suppression_file_without_an_email_column_stops(make_project) -> None:
    with pytest.raises(InputError, match=r"suppressions.csv:1: .*'email' column"):
        load_roster(make_project({"suppressions.csv": "address\nx@x.example.org\n"}, LISTS))

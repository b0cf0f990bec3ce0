"""Contacts and suppressions from real .xlsx files, and the other files in recipients/."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from support.issues import SEPTEMBER, ready

from newsletter_cli.errors import InputError
from newsletter_cli.project import Project
from newsletter_cli.recipients.problems import SheetRow, split_source
from newsletter_cli.recipients.roster import load_roster
from newsletter_cli.recipients.xlsxtable import cell_text

from .workbooks import council_export, simple


def by_email(roster):
    return {c.email: c for c in roster.contacts}


def messages(roster) -> list[str]:
    return [str(p) for p in roster.problems]


def test_a_council_export_reads_like_a_csv(project_dir):
    council_export(project_dir / "recipients" / "dudley-sandwell.xlsx")
    roster = load_roster(Project(project_dir))
    found = by_email(roster)
    ann = found["ann.smith@dudley.example.org"]  # below a title row and a two-row header
    assert (ann.name, ann.organisation, ann.role) == ("Ann Smith", "Dudley Council", "SEND Lead")
    assert ann.tags == {"send-lead", "dcs"}
    assert ann.source == "recipients/dudley-sandwell.xlsx:Contacts!5"
    bo = found["bo.jones@dudley.example.org"]
    assert bo.organisation == "Dudley Council"  # the merged organisation cell covers the row
    cy = found["cy.patel@dudley.example.org"]  # the email is a formula: its saved value
    assert (cy.organisation, cy.role) == ("Dudley Council", "Participation Officer")
    assert found["kay.lee@sandwell.example.org"].organisation == "Sandwell Council"
    assert any(m.startswith("recipients/dudley-sandwell.xlsx:Contacts!8: invalid email address "
                            "'not-an-address'") for m in messages(roster))  # fmt: skip
    dcs = [c.email for c in roster.resolve(["dcs"]).members]
    assert "ann.smith@dudley.example.org" in dcs and "kay.lee@sandwell.example.org" in dcs
    assert "recipients/dudley-sandwell.xlsx: not read: sheet(s) 'Notes' (only 'Contacts'); to " \
        "read them, name them in recipients/lists.yaml under _files:" in messages(roster)  # fmt: skip


def test_problems_name_file_sheet_and_row(project_dir):
    council_export(project_dir / "recipients" / "dudley-sandwell.xlsx")
    roster = load_roster(Project(project_dir))
    bad = next(p for p in roster.problems if "not-an-address" in p.message)
    assert bad.where == "recipients/dudley-sandwell.xlsx:Contacts!8"
    assert bad.line == 8 and bad.severity == "error" and bad.keys == {"send-lead"}
    assert "send-leads" in {n for n in roster.list_names() if bad in roster.problems_for(n)}


def test_cells_become_the_text_excel_shows(tmp_path):
    from newsletter_cli.recipients.xlsxtable import read_workbook

    path = council_export(tmp_path / "c.xlsx")
    (table,) = read_workbook(path, "c.xlsx", [])
    assert table.header == ["e_mail_address", "first_name", "last_name", "local_authority",
                            "job_title", "phone", "tags", "start_date"]  # fmt: skip
    assert table.header_line == SheetRow(3, "Contacts") and str(table.header_line) == "Contacts!3"
    rows = {int(n): cells for n, cells in table.rows()}
    assert sorted(rows) == [5, 6, 7, 8, 9]  # the header band (rows 3-4) is not data
    assert rows[5][5] == "01384 812345"  # a number in a '00000 000000' format
    assert rows[6][5] == "01384 815000"  # typed as text: as written
    assert rows[9][5] == "00121 569000"
    assert rows[5][7] == "2025-09-01" and rows[6][7] == "2024-04-15 09:30"
    assert rows[7][0] == "cy.patel@dudley.example.org"


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (7700900123, "00000 000000", "07700 900123"),
        (7700900123.0, "General", "7700900123"),
        (121569000, "0000-000-0000", "0012-156-9000"),
        (0.1 + 0.2, None, "0.3"),
        (1234.5, "#,##0.00", "1234.5"),
        (True, None, "TRUE"),
        (datetime(2025, 9, 1), None, "2025-09-01"),
        (datetime(2025, 9, 1, 14, 5), None, "2025-09-01 14:05"),
        (date(2025, 12, 25), None, "2025-12-25"),
        (time(9, 30), None, "09:30"),
        ("#N/A", None, "#N/A"),
        (None, None, ""),
    ],
)  # fmt: skip
def test_cell_text(value, number_format, text):
    assert cell_text(value, number_format) == text


def test_a_suppression_workbook_suppresses(project_dir):
    victim = "aisha.ashworth@birminghamchildrenstrust.example.org"
    simple(project_dir / "recipients" / "unsubscribes-2025.xlsx",
           {"Export": [["Unsubscribes exported 2025-09-10"], [], ["Email", "Date"],
                       [victim.upper(), datetime(2025, 9, 2)], ["nope"]]})  # fmt: skip
    roster = load_roster(Project(project_dir))
    entry = roster.suppression(victim)
    assert entry is not None and entry.reason == "unsubscribed"
    assert entry.source == "recipients/unsubscribes-2025.xlsx:Export!4"
    assert victim not in [c.email for c in roster.resolve(["everyone"]).members]
    assert any(str(p).startswith("recipients/unsubscribes-2025.xlsx:Export!5: suppression entry "
                                 "'nope' cannot be read") for p in roster.problems)  # fmt: skip


def test_sheets_named_in_lists_yaml(project_dir):
    simple(project_dir / "recipients" / "councils.xlsx", {
        "Read me": [["This workbook lists the councils' contacts."]],
        "Coventry": [["email", "name", "tags"], ["al@coventry.example.org", "Al", "dcs"]],
        "Walsall 2025": [["Walsall"], ["Email", "Name", "Tags"],
                         ["bea@walsall.example.org", "Bea", "dcs"]],
    })  # fmt: skip
    lists = project_dir / "recipients" / "lists.yaml"
    lists.write_text(lists.read_text() + "\n_files:\n  councils.xlsx:\n"
                     "    sheet: [Coventry, Walsall 2025]\n")  # fmt: skip
    roster = load_roster(Project(project_dir))
    found = by_email(roster)
    assert found["al@coventry.example.org"].source == "recipients/councils.xlsx:Coventry!2"
    assert found["bea@walsall.example.org"].source == "recipients/councils.xlsx:'Walsall 2025'!3"
    assert split_source(found["bea@walsall.example.org"].source) == (
        "recipients/councils.xlsx", SheetRow(3, "Walsall 2025"))
    assert "dcs" in roster.list_names()  # _files: is not a list
    assert "_files" not in roster.list_names()


def test_a_sheet_that_is_not_there_names_the_lists_yaml_line(project_dir):
    simple(project_dir / "recipients" / "councils.xlsx",
           {"Coventry": [["email"], ["al@coventry.example.org"]]})  # fmt: skip
    lists = project_dir / "recipients" / "lists.yaml"
    before = len(lists.read_text().splitlines())
    lists.write_text(lists.read_text() + "_files:\n  councils.xlsx:\n    sheet: Covenrty\n")
    with pytest.raises(InputError) as caught:
        load_roster(Project(project_dir))
    assert str(caught.value) == (f"recipients/lists.yaml:{before + 3}: councils.xlsx has no "
                                 "sheet 'Covenrty' (its sheets: Coventry)")  # fmt: skip


def test_files_settings_mistakes(project_dir):
    lists = project_dir / "recipients" / "lists.yaml"
    text = lists.read_text()
    before = len(text.splitlines())
    lists.write_text(text + "_files:\n  contacts.xlsx:\n    sheet: A\n")
    with pytest.raises(InputError, match=rf"lists.yaml:{before + 2}: _files: no file "
                                         "'contacts.xlsx' in recipients/"):  # fmt: skip
        load_roster(Project(project_dir))
    lists.write_text(text + "_files:\n  contacts.csv:\n    sheet: A\n")
    with pytest.raises(InputError, match="sheet: is for .xlsx files"):
        load_roster(Project(project_dir))
    lists.write_text(text + "_files:\n  contacts.csv:\n    sheets: A\n")
    with pytest.raises(InputError, match="unknown setting 'sheets'"):
        load_roster(Project(project_dir))


def test_a_sheet_without_an_email_header_is_refused_with_its_row(project_dir):
    simple(project_dir / "recipients" / "people.xlsx",
           {"People": [["Our people"], ["Name", "Phone"], ["Al", "0121"]]})  # fmt: skip
    with pytest.raises(InputError) as caught:
        load_roster(Project(project_dir))
    assert str(caught.value) == ("recipients/people.xlsx:People!1: sheet 'People': no header row "
                                 "with an 'email' column in its first 20 rows")  # fmt: skip


def test_a_file_that_is_not_a_workbook_is_refused(project_dir):
    (project_dir / "recipients" / "contacts-old.xlsx").write_bytes(b"email\nx@example.org\n")
    with pytest.raises(InputError) as caught:
        load_roster(Project(project_dir))
    assert str(caught.value).startswith("recipients/contacts-old.xlsx: cannot be read as an "
                                        "Excel workbook")  # fmt: skip
    assert "save it again as 'Excel Workbook (.xlsx)'" in caught.value.hint


def test_an_empty_sheet_is_reported(project_dir):
    simple(project_dir / "recipients" / "new.xlsx", {"Sheet1": []})
    roster = load_roster(Project(project_dir))
    assert "recipients/new.xlsx: sheet 'Sheet1' is empty" in messages(roster)


def test_other_files_are_reported_never_ignored(project_dir):
    folder = project_dir / "recipients"
    for name in ("contacts-2019.xls", "network.ods", "team.numbers", "notes.txt", "lists.yml",
                 "~$dudley.xlsx", ".DS_Store", "README.md"):  # fmt: skip
        (folder / name).write_bytes(b"x")
    (folder / "archive").mkdir()
    roster = load_roster(Project(project_dir))
    found = messages(roster)
    assert ("recipients/contacts-2019.xls: not read: an old Excel file: open it in Excel and "
            "save it as .xlsx (Excel Workbook) or CSV UTF-8") in found
    assert "recipients/network.ods: not read: save it as .xlsx or CSV UTF-8" in found
    assert "recipients/team.numbers: not read: export it from Numbers as .xlsx or CSV" in found
    for name in ("notes.txt", "lists.yml"):
        assert (f"recipients/{name}: not read: only .csv and .xlsx files (and lists.yaml) are "
                "read") in found  # fmt: skip
    assert ("recipients/~$dudley.xlsx: dudley.xlsx is open in Excel: save and close it, so "
            "what is read is what you see") in found
    assert "recipients/archive: a folder: the files in it are not read" in found
    assert not any(".DS_Store" in m or "README" in m for m in found)
    assert len(roster.skipped_files) == 7


def test_lists_check_and_the_send_screen_name_files_not_read(invoke, project_dir):
    (project_dir / "recipients" / "contacts-2019.xls").write_bytes(b"x")
    check = invoke("lists", "check")
    assert "recipients/contacts-2019.xls: warning: not read: an old Excel file" in check.output
    ready(project_dir)
    send = invoke("send", SEPTEMBER, "--list", "dcs", "--dry-run", "--no-link-check")
    assert send.exit_code == 0, send.output
    assert "recipients/contacts-2019.xls: not read: an old Excel file" in " ".join(
        send.output.split())


def test_lists_check_names_the_sheet_and_row(invoke, project_dir):
    council_export(project_dir / "recipients" / "dudley-sandwell.xlsx")
    result = invoke("lists", "check")
    assert "recipients/dudley-sandwell.xlsx:Contacts!8: error: invalid email address " \
        "'not-an-address'" in result.output  # fmt: skip

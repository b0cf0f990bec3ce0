"""CSV for spreadsheets: the one rule every --csv export goes through (OWASP's CSV injection)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support.spreadsheet import DDE, HYPERLINK, TAB, formulas, read_csv

from newsletter_cli.cli.tabular import Column, emit, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        (DDE, "'" + DDE),
        (TAB, "'\t=cmd"),  # the tab is kept, never stripped to leave "=cmd"
        ("\r=cmd", "'\r=cmd"),
        ("+44 121 000 0000", "'+44 121 000 0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        (["=one", "two"], "'=one; two"),
        ("Dr Aisha Ashworth", "Dr Aisha Ashworth"),
        (" =spaced", " =spaced"),  # a space first: Excel shows it as text
        ("", ""),
        (None, ""),
        (-3, "-3"),  # numbers are numbers, negative ones too
        (-1.5, "-1.5"),
        (0, "0"),
        (True, "True"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_quote(value, cell):
    assert spreadsheet_cell(value) == cell


COLUMNS = (Column("name", "Name"), Column("lists", "Lists"), Column("value", "Value"),
           Column("time", "Time"))  # fmt: skip
ROWS = [
    {"name": HYPERLINK, "lists": ["@dcs", "send"], "value": -2,
     "time": datetime(2025, 10, 1, 9, 2, tzinfo=ZoneInfo("Europe/London"))},
    {"name": TAB, "lists": [], "value": 7, "time": None},
]


def test_csv_output_holds_no_formula(capsys):
    emit(ROWS, COLUMNS, "csv")
    rows = read_csv(capsys.readouterr().out)
    assert formulas(rows) == []
    assert [r["name"] for r in rows] == ["'" + HYPERLINK, "'\t=cmd"]
    assert rows[0]["lists"] == "'@dcs; send" and rows[0]["value"] == "-2"
    assert rows[0]["time"] == "2025-10-01T09:02:00+01:00"


def test_json_output_is_unchanged(capsys):
    emit(ROWS, COLUMNS, "json")
    data = json.loads(capsys.readouterr().out)
    assert data[0] == {"name": HYPERLINK, "lists": ["@dcs", "send"], "value": -2,
                       "time": "2025-10-01T09:02:00+01:00"}  # fmt: skip
    assert data[1]["name"] == "\t=cmd"

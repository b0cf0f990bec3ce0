"""Real .xlsx files for the tests, written with openpyxl the way people lay them out.

openpyxl writes a formula without the value Excel would have saved beside it, so
:func:`cache_results` adds those values to the file, as Excel does when it saves.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

TITLE = "West Midlands SEND contacts – September 2025"


def cache_results(path: Path, sheet_number: int, values: dict[str, object]) -> None:
    """Give formula cells their saved result: {cell: value} in the n-th worksheet (from 1)."""
    part = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                xml = data.decode()
                for ref, value in values.items():
                    kind = "" if isinstance(value, int | float) else ' t="str"'
                    xml, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>',
                        lambda m, ref=ref, kind=kind, value=value: (
                            f'<c r="{ref}"{m[1]}{kind}><f>{m[2]}</f><v>{value}</v></c>'
                        ),
                        xml,
                    )
                    assert count == 1, f"no formula cell {ref} in {part}"
                data = xml.encode()
            target.writestr(info, data)


def council_export(path: Path) -> Path:
    """A contacts workbook as a council sends it: a title, a two-row merged header,
    merged organisation cells, dates, phone numbers as numbers, a formula, a notes sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Contacts"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:H1")
    # row 2 blank; the header spans rows 3 and 4
    for column, heading in zip("ADEFGH", ("E-mail Address", "Local Authority", "Job Title",
                                          "Phone", "Tags", "Start date"), strict=True):  # fmt: skip
        sheet[f"{column}3"] = heading
        sheet.merge_cells(f"{column}3:{column}4")
    sheet["B3"] = "Name"
    sheet.merge_cells("B3:C3")
    sheet["B4"], sheet["C4"] = "First Name", "Last Name"
    rows = [
        ("Ann.Smith@Dudley.example.org", "Ann", "Smith", "Dudley Council",
         "SEND Lead", 1384812345, "send-lead; dcs", datetime(2025, 9, 1)),
        ("bo.jones@dudley.example.org", "Bo", "Jones", None, "Head of SEND", "01384 815000",
         "send-lead", datetime(2024, 4, 15, 9, 30)),
        ("=LOWER(B7&\".\"&C7&\"@dudley.example.org\")", "Cy", "Patel", None,
         "Participation Officer", None, "participation-lead", None),
        ("not-an-address", "Di", "Evans", "Sandwell Council", "SEND Lead", None, "send-lead",
         None),
        ("kay.lee@sandwell.example.org", "Kay", "Lee", "Sandwell Council", "Director of "
         "Children's Services", 121569000, "dcs", None),
    ]  # fmt: skip
    for offset, values in enumerate(rows):
        for column, value in zip("ABCDEFGH", values, strict=True):
            if value is not None:
                sheet[f"{column}{5 + offset}"] = value
    sheet["F5"].number_format = "00000 000000"  # typed 01384 812345: Excel shows the zero
    sheet["F9"].number_format = "00000 000000"
    sheet["H5"].number_format = sheet["H6"].number_format = "dd/mm/yyyy"
    sheet.merge_cells("D5:D7")  # one Dudley Council cell for three people
    notes = book.create_sheet("Notes")
    notes["A1"] = "Updated by the regional team; ask before sharing."
    book.save(path)
    cache_results(path, 1, {"A7": "cy.patel@dudley.example.org"})
    return path


def simple(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook with these sheets, in order, each a list of rows from A1."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path

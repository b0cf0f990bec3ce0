"""A problem found in the recipient files: reported, never silently swallowed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One data problem at ``path:line``.

    ``error`` means a row was left out (or a suppression could not work);
    ``warning`` means the data was used but looks wrong (a merged duplicate, a short row).
    ``keys`` are the tags of the affected row, or the list names of the affected
    definition: they decide which lists count the problem; None means every list.
    ``contact_row`` marks problems with a contact row (lists of everyone count them).
    ``suppression`` marks a suppression entry that could not be read: it blocks live sends.
    """

    path: str
    line: int | None
    message: str
    severity: Severity = "error"
    keys: frozenset[str] | None = None
    contact_row: bool = False
    suppression: bool = False

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class SheetRow(int):
    """A worksheet's row number that reads as ``Contacts!7`` in messages and sorts as 7.

    So ``file:line`` messages name a workbook's sheet and row with no change where
    they are made: ``recipients/contacts.xlsx:Contacts!7``.
    """

    sheet: str

    def __new__(cls, row: int, sheet: str) -> SheetRow:
        made = super().__new__(cls, row)
        made.sheet = sheet
        return made

    def __str__(self) -> str:
        name = self.sheet
        if not re.fullmatch(r"[A-Za-z0-9_.]+", name):  # quoted as Excel writes it
            name = "'" + name.replace("'", "''") + "'"
        return f"{name}!{int(self)}"

    def __repr__(self) -> str:
        return f"SheetRow({int(self)}, {self.sheet!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


_SOURCE = re.compile(r"^(?P<path>.+?):(?:(?P<sheet>'(?:[^']|'')+'|[^'!:]+)!)?(?P<row>\d+)$")


def split_source(source: str) -> tuple[str, int]:
    """'recipients/contacts.csv:12' -> (path, 12); '...xlsx:Contacts!7' -> (path, SheetRow)."""
    found = _SOURCE.match(source)
    if found is None:
        return source, 0
    sheet = found["sheet"]
    if sheet is None:
        return found["path"], int(found["row"])
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return found["path"], SheetRow(int(found["row"]), sheet)

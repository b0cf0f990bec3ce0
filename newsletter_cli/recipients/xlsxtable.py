"""Read an Excel workbook (.xlsx) the way people really fill them in, as a table of text.

python-calamine (a Rust reader) reads it, formulas as the values Excel saved; the
workbook's size is checked first (:mod:`~newsletter_cli.recipients.limits`).
The first visible sheet is read, or the sheets named in lists.yaml's ``_files:``. The
header is the first row with an email column, so title rows above it are fine; a
header cell merged down over a second row takes that row's sub-headings; merged data
cells give their value to every row they span. Cells become text as Excel shows them:
dates as YYYY-MM-DD, whole numbers without ``.0`` (a phone number keeps the leading
zeros its number format shows). Each row is a :class:`SheetRow`, so messages read
``recipients/contacts.xlsx:Contacts!7``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import limits
from newsletter_cli.recipients.contact import COLUMNS
from newsletter_cli.recipients.csvtable import header_name
from newsletter_cli.recipients.problems import Problem, SheetRow
from newsletter_cli.recipients.xlsxformats import padded_cells

#: How far down a sheet the header row is looked for (past title rows and notes).
HEADER_SEARCH_ROWS = 20
_ZERO_PADDED = re.compile(r"^[0 \-]*0[0 \-]*$")  # '00000 000000', '0000-000-0000'


@dataclass
class SheetTable:
    """One worksheet as text: the header (normalised names) and the rows below it."""

    path: Path
    shown: str  # the file as messages show it, e.g. "recipients/contacts.xlsx"
    sheet: str
    header: list[str]
    header_line: SheetRow
    problems: list[Problem] = field(default_factory=list)
    _rows: list[tuple[SheetRow, list[str]]] = field(default_factory=list, repr=False)

    def rows(self) -> Iterator[tuple[SheetRow, list[str]]]:
        """``(row, cells)`` for every row after the header that is not blank."""
        return iter(self._rows)


@dataclass(frozen=True)
class SheetChoice:
    """The sheets lists.yaml names for one workbook, and where it says so."""

    sheets: tuple[str, ...]
    shown: str  # the lists file, e.g. "recipients/lists.yaml"
    line: int


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell's value as the text Excel shows (dates ISO, whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if number_format and value >= 0 and _ZERO_PADDED.match(number_format):
            return _pad(digits, number_format)
        return digits
    if isinstance(value, float):
        return format(value, ".15g")  # Excel keeps 15 significant digits
    return str(value)


def _text(value: Any, number_format: str | None = None) -> str:
    if isinstance(value, str):
        # a line break typed in a cell (Alt+Enter) means no more than a space in a contact
        return " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    return cell_text(value, number_format)


def _pad(digits: str, number_format: str) -> str:
    """7700900123 in '00000 000000' -> '07700 900123'."""
    zeros = number_format.count("0")
    digits = digits.rjust(zeros, "0")
    extra, digits = digits[: len(digits) - zeros], digits[len(digits) - zeros :]
    filled = iter(digits)
    return extra + "".join(next(filled) if c == "0" else c for c in number_format)


def _open(path: Path, shown: str) -> CalamineWorkbook:
    limits.check_workbook_size(path, shown)  # before anything is unpacked
    try:
        return CalamineWorkbook.from_path(str(path))
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", path=shown) from None
    except Exception as exc:  # a zip that is not a workbook, a password-protected file...
        raise InputError(
            f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
            path=shown,
            hint="open it in Excel and save it again as 'Excel Workbook (.xlsx)' without a "
            "password, or as 'CSV UTF-8'",
        ) from None


def read_workbook(
    path: Path, shown: str, problems: list[Problem], choice: SheetChoice | None = None
) -> list[SheetTable]:
    """The chosen sheets (by default the first visible one) as tables; empty ones reported."""
    workbook = _open(path, shown)
    try:
        names = workbook.sheet_names
        worksheets = {m.name: m for m in workbook.sheets_metadata
                      if m.typ == SheetTypeEnum.WorkSheet}  # fmt: skip
        if choice is not None:
            for name in choice.sheets:
                if name not in worksheets:
                    raise InputError(
                        f"{path.name} has no sheet {name!r} (its sheets: {', '.join(names)})",
                        path=choice.shown,
                        line=choice.line,
                    )
            chosen = list(choice.sheets)
        else:
            visible = [n for n in names if n in worksheets
                       and worksheets[n].visible == SheetVisibleEnum.Visible]  # fmt: skip
            chosen = (visible or list(worksheets))[:1]
        tables = []
        for name in chosen:
            table = _read_sheet(workbook, name, path, shown)
            if table is None:
                problems.append(Problem(shown, None, f"sheet {name!r} is empty", "warning"))
            else:
                tables.append(table)
        others = [n for n in worksheets if n not in chosen and _has_data(workbook, n, shown)]
        if others:
            problems.append(Problem(shown, None,
                f"not read: sheet(s) {', '.join(repr(n) for n in others)} (only "
                f"{', '.join(repr(n) for n in chosen)}); to read them, name them in "
                "recipients/lists.yaml under _files:", "warning"))  # fmt: skip
        return tables
    finally:
        workbook.close()


def _cells(workbook: CalamineWorkbook, sheet: str, shown: str) -> list[list[Any]]:
    """Every row of ``sheet`` from A1, values as Excel saved them (formulas: their results)."""
    try:
        return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as exc:
        raise InputError(f"sheet {sheet!r} cannot be read ({exc})", path=shown) from None


def _has_data(workbook: CalamineWorkbook, sheet: str, shown: str) -> bool:
    return any(value not in (None, "") for row in _cells(workbook, sheet, shown) for value in row)


def _merged_ranges(workbook: CalamineWorkbook, sheet: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, counted from 1."""
    ranges = workbook.get_sheet_by_name(sheet).merged_cell_ranges or []
    return [(c1 + 1, r1 + 1, c2 + 1, r2 + 1) for (r1, c1), (r2, c2) in ranges]


def _is_email_header(cells: Sequence[str]) -> bool:
    return any(COLUMNS.get(header_name(cell)) == "email" for cell in cells if cell)


def _read_sheet(
    workbook: CalamineWorkbook, sheet: str, path: Path, shown: str
) -> SheetTable | None:
    """Read one worksheet; None when it holds nothing."""
    rows: dict[int, list[str]] = {}
    try:
        padded = padded_cells(path, sheet)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"sheet {sheet!r} cannot be read ({exc})", path=shown) from None
    for number, cells in enumerate(_cells(workbook, sheet, shown), start=1):
        values = [_text(value) for value in cells]
        if padded:
            for column, value in enumerate(cells, start=1):
                if (number, column) in padded and not isinstance(value, str | bool):
                    values[column - 1] = cell_text(value, padded[(number, column)])
        while values and not values[-1].strip():
            values.pop()
        if values:
            rows[number] = values
            if len(rows) > limits.MAX_ROWS and _past_limit(rows):
                raise limits.too_many_rows(shown, SheetRow(number, sheet))
    if not rows:
        return None
    merges = _merged_ranges(workbook, sheet)
    numbers = sorted(rows)
    header_at = next(
        (n for n in numbers[:HEADER_SEARCH_ROWS] if _is_email_header(rows[n])), None
    )
    if header_at is None:
        raise InputError(
            f"sheet {sheet!r}: no header row with an 'email' column in its first "
            f"{HEADER_SEARCH_ROWS} rows",
            path=shown,
            line=SheetRow(numbers[0], sheet),
            hint="columns: email, name, organisation, role, tags "
            "(see 'Recipients and lists' in the manual)",
        )
    bottom = max([r2 for c1, r1, c2, r2 in merges if r1 == header_at] + [header_at])
    header = _header(rows, header_at, bottom)
    for c1, r1, c2, r2 in merges:
        if r1 > bottom:
            _fill(rows, c1, r1, c2, r2)
    width = len(header)
    body = [(SheetRow(n, sheet), rows[n][:width]) for n in numbers if n > bottom]
    body = [(n, cells) for n, cells in body if "".join(cells).strip()]
    return SheetTable(path, shown, sheet, [header_name(h) for h in header],
                      SheetRow(header_at, sheet), _rows=body)  # fmt: skip


def _past_limit(rows: dict[int, list[str]]) -> bool:
    """True when more than MAX_ROWS rows follow the header (or the first row, if none yet)."""
    numbers = list(rows)  # in sheet order
    header_at = next((n for n in numbers[:HEADER_SEARCH_ROWS] if _is_email_header(rows[n])),
                     numbers[0])  # fmt: skip
    return sum(1 for n in numbers if n > header_at) > limits.MAX_ROWS


def _header(rows: dict[int, list[str]], top: int, bottom: int) -> list[str]:
    """Column names: in a header merged over several rows, the lowest text in each column."""
    band = [rows.get(n, []) for n in range(top, bottom + 1)]
    width = max(len(r) for r in band)
    names = []
    for column in range(width):
        texts = [r[column] for r in band if column < len(r) and r[column].strip()]
        names.append(texts[-1] if texts else "")
    return names


def _fill(rows: dict[int, list[str]], c1: int, r1: int, c2: int, r2: int) -> None:
    """Give a merged range's value to every cell it covers (in rows that hold anything)."""
    top = rows.get(r1, [])
    value = top[c1 - 1] if c1 - 1 < len(top) else ""
    if not value:
        return
    for number in range(r1, r2 + 1):
        row = rows.get(number)
        if row is None:
            continue
        if len(row) < c2:
            row.extend([""] * (c2 - len(row)))
        for column in range(c1 - 1, c2):
            row[column] = row[column] or value

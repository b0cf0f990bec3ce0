"""Which files in recipients/ are read, and how: CSV and Excel tables; anything else reported.

Contacts and suppressions may be ``.csv`` or ``.xlsx`` files. Any other file there
(an old ``.xls``, a ``.numbers`` or ``.ods`` export, a ``.txt``...) is named in a
warning, never silently ignored; ``lists.yaml``, README files and dotfiles are fine.
lists.yaml's ``_files:`` section names the sheets to read in a workbook::

    _files:
      contacts.xlsx:
        sheet: Contacts 2025            # or a list: [Birmingham, Coventry]
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsletter_cli.errors import InputError
from newsletter_cli.recipients.csvtable import Table, read_table
from newsletter_cli.recipients.listdefs import _line
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.xlsxtable import SheetChoice, SheetTable, read_workbook
from newsletter_cli.sourcefile import load_yaml

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
FILES_KEY = "_files"
FILE_SETTINGS = ("sheet",)
#: What to do with files the tool cannot read, by suffix.
ADVICE = {
    ".xls": "an old Excel file: open it in Excel and save it as .xlsx (Excel Workbook) "
    "or CSV UTF-8",
    ".ods": "save it as .xlsx or CSV UTF-8",
    ".numbers": "export it from Numbers as .xlsx or CSV",
    ".xlsb": "save it as .xlsx (Excel Workbook) or CSV UTF-8",
}
_FINE = ("lists.yaml", "readme")


def recipient_files(
    folder: Path, shown: Callable[[Path], str]
) -> tuple[list[Path], list[Problem]]:
    """The table files in ``folder``, sorted, and a warning for every other file."""
    tables: list[Path] = []
    skipped: list[Problem] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        lower = name.lower()
        if name.startswith(".") or lower.startswith(_FINE):
            continue
        if name.startswith("~$"):  # Excel's lock file beside a workbook that is open
            message = f"{name[2:]} is open in Excel: save and close it, so what is read is " \
                "what you see"  # fmt: skip
            skipped.append(Problem(shown(path), None, message, "warning"))
            continue
        if path.is_dir():
            skipped.append(Problem(shown(path), None, "a folder: the files in it are not read",
                                   "warning"))  # fmt: skip
            continue
        suffix = path.suffix.lower()
        if suffix in TABLE_SUFFIXES and path.is_file():
            tables.append(path)
            continue
        advice = ADVICE.get(suffix, "only .csv and .xlsx files (and lists.yaml) are read")
        skipped.append(Problem(shown(path), None, f"not read: {advice}", "warning"))
    return tables, skipped


def read_tables(
    path: Path, shown: str, problems: list[Problem], choice: SheetChoice | None = None
) -> list[Table | SheetTable | None]:
    """A CSV file's table (None when empty), or a workbook's chosen sheets."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return list(read_workbook(path, shown, problems, choice))
    return [read_table(path, shown)]


def read_file_settings(lists_path: Path, shown: str, files: list[Path]) -> dict[str, SheetChoice]:
    """lists.yaml's ``_files:`` section: {file name: the sheets to read}."""
    if not lists_path.is_file():
        return {}

    try:
        data = load_yaml(lists_path)
    except InputError:
        return {}  # the lists file's own reader reports it
    if not isinstance(data, dict) or FILES_KEY not in data:
        return {}
    section = data[FILES_KEY]
    at = _line(data, FILES_KEY) or 1
    if not isinstance(section, dict):
        raise InputError(f"{FILES_KEY}: give each file's settings below its name, e.g. "
                         "'contacts.xlsx: {sheet: Contacts}'", path=shown, line=at)  # fmt: skip
    known = {p.name: p for p in files}
    found: dict[str, SheetChoice] = {}
    for name, settings in section.items():
        line = _line(section, name) or at
        name = str(name)
        if name not in known:
            raise InputError(f"{FILES_KEY}: no file {name!r} in recipients/",
                             path=shown, line=line)  # fmt: skip
        if not isinstance(settings, dict):
            raise InputError(f"{FILES_KEY}: {name}: give settings below it (sheet: ...)",
                             path=shown, line=line)  # fmt: skip
        for key in settings:
            if key not in FILE_SETTINGS:
                raise InputError(f"{FILES_KEY}: {name}: unknown setting {key!r} (expected: "
                                 f"{', '.join(FILE_SETTINGS)})", path=shown,
                                 line=_line(settings, key) or line)  # fmt: skip
        if "sheet" in settings:
            sheet_line = _line(settings, "sheet") or line
            if not name.lower().endswith(EXCEL_SUFFIXES):
                raise InputError(f"{FILES_KEY}: {name}: sheet: is for .xlsx files",
                                 path=shown, line=sheet_line)  # fmt: skip
            found[name] = SheetChoice(_sheet_names(settings["sheet"], name, shown, sheet_line),
                                      shown, sheet_line)  # fmt: skip
    return found


def _sheet_names(value: Any, name: str, shown: str, line: int) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names = tuple(str(item).strip() for item in items if item is not None and str(item).strip())
    if not names or not all(isinstance(item, str | int | float) for item in items):
        raise InputError(f"{FILES_KEY}: {name}: sheet: give a sheet's name, or a list of them",
                         path=shown, line=line)  # fmt: skip
    return tuple(dict.fromkeys(names))

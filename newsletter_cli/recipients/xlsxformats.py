"""The cells of a worksheet shown with leading zeros (a '00000 000000' number format).

python-calamine gives each cell's value but not its number format; the only format
that changes a contact's text is a zero-padded one (a phone number saved as a number).
So the workbook's styles are read for custom zero-padded formats, and only when there
are some is the sheet's XML scanned for the cells that use them.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

_ZERO_PADDED = re.compile(r"^[0 \-]*0[0 \-]*$")  # '00000 000000', '0000-000-0000'
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\s([^>]*)>")
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs\s*>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
#: The first custom number format id (lower ids are Excel's built-in formats).
FIRST_CUSTOM = 164


def _attribute(attributes: bytes, name: str) -> str | None:
    found = re.search(rb"(?:^|\s)" + name.encode() + rb"""\s*=\s*(["'])(.*?)\1""", attributes)
    return html.unescape(found[2].decode("utf-8", "replace")) if found else None


def padded_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """{(row, column) from 1: number format} of the cells of ``sheet`` in a zero-padded format."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/styles.xml" not in names:
            return {}
        styles = _padded_styles(archive.read("xl/styles.xml"))
        part = _sheet_part(archive, sheet) if styles else None
        if part is None or part not in names:
            return {}
        xml = archive.read(part)
    ids = b"|".join(str(s).encode() for s in styles)
    cell = re.compile(rb"<(?:\w+:)?c\s([^>]*?\bs\s*=\s*[\"'](?:" + ids + rb")[\"'][^>]*)>")
    found = {}
    for match in cell.finditer(xml):
        attributes = match[1]
        ref = _REF.fullmatch(_attribute(attributes, "r") or "")
        style = _attribute(attributes, "s")
        if ref and style is not None and int(style) in styles:
            found[(int(ref[2]), _column(ref[1]))] = styles[int(style)]
    return found


def _padded_styles(xml: bytes) -> dict[int, str]:
    """{cell style index: format} for the styles whose number format is zero-padded."""
    formats = {}
    for match in _NUM_FMT.finditer(xml):
        number, code = _attribute(match[1], "numFmtId"), _attribute(match[1], "formatCode")
        if number and number.isdigit() and int(number) >= FIRST_CUSTOM and code:
            if _ZERO_PADDED.match(code):
                formats[int(number)] = code
    if not formats:
        return {}
    block = _CELL_XFS.search(xml)
    styles = {}
    for index, xf in enumerate(_XF.finditer(block[1] if block else b"")):
        number = _attribute(xf[1], "numFmtId")
        if number and number.isdigit() and int(number) in formats:
            styles[index] = formats[int(number)]
    return styles


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip path of the worksheet named ``sheet`` (workbook.xml and its relationships)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rid = next(
        (
            html.unescape(found[2].decode("utf-8", "replace"))
            for m in _SHEET.finditer(workbook)
            if _attribute(m[1], "name") == sheet
            and (found := re.search(rb"""(?:^|\s)\w+:id\s*=\s*(["'])(.*?)\1""", m[1]))
        ),
        None,
    )
    for match in _RELATION.finditer(relations):
        if rid is not None and _attribute(match[1], "Id") == rid:
            target = _attribute(match[1], "Target") or ""
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number

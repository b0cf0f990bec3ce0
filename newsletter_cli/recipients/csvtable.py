"""Read a spreadsheet export (CSV) the way Excel and Google Sheets really write them.

Handles a UTF-8 byte-order mark, Windows (CRLF) or old Mac (CR) line endings,
``,``/``;``/tab separators (and Excel's ``sep=;`` first line), files saved as
Windows-1252 instead of UTF-8, blank rows, short rows and extra columns. Every
row keeps the line number where it starts, for ``file:line`` messages.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsletter_cli.errors import InputError
from newsletter_cli.recipients import limits
from newsletter_cli.recipients.addresses import clean
from newsletter_cli.recipients.problems import Problem

DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^\"?sep=(.)\"?\s*$", re.IGNORECASE)
_HEADER_JUNK = re.compile(r"[\s_\-./]+")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (CRLF, LF or a lone CR), without copying it all.

    Feeding csv.reader line by line keeps memory at the size of the text itself.
    """
    return (match.group() for match in _LINE.finditer(text))


@dataclass
class Table:
    """A CSV file's header (normalised names) and its non-blank rows with line numbers."""

    path: Path
    shown: str  # the path as messages show it, e.g. "recipients/contacts.csv"
    header: list[str]
    header_line: int
    delimiter: str
    problems: list[Problem] = field(default_factory=list)
    _text: str = ""
    _skip: int = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` for every row after the header that is not blank."""
        reader = csv.reader(split_lines(self._text), delimiter=self.delimiter)
        last = count = 0
        try:
            for index, cells in enumerate(reader):
                line = last + 1
                last = reader.line_num
                if index < self._skip:
                    continue
                if not "".join(cells).strip():
                    continue
                count += 1
                if count > limits.MAX_ROWS:
                    raise limits.too_many_rows(self.shown, line)
                yield line, cells
        except csv.Error as exc:
            raise csv_error(exc, self.shown, last + 1) from None


def csv_error(exc: csv.Error, shown: str, line: int) -> InputError:
    """The csv module's own complaint about the row starting at ``line``, as one line."""
    reason = str(exc)
    if "field larger than field limit" in reason:
        reason = f"a cell is longer than {csv.field_size_limit():,} characters (an unclosed quote?)"
    return InputError(reason, path=shown, line=line)


def runs_on(cells: list[str]) -> bool:
    """True when a cell spans lines and holds an address after a line break.

    That is what an unclosed quote does: it swallows the rows after it into one cell.
    """
    for cell in cells:  # a loop, not any(): this runs for every row of 100,000
        if "\n" in cell and "@" in cell.partition("\n")[2]:
            return True
    return False


def decode(data: bytes, shown: str, problems: list[Problem]) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM; else Windows-1252, with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                shown,
                data[: exc.start].count(b"\n") + 1,
                "not UTF-8: read as Windows-1252 (save as 'CSV UTF-8' to avoid this)",
                "warning",
            )
        )
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(line: str) -> str:
    """The separator used most often outside quotes in the header line (',' by default)."""
    outside = re.sub(r'"[^"]*"', "", line)
    best = max(DELIMITERS, key=outside.count)
    return best if outside.count(best) else ","


def header_name(cell: str) -> str:
    """'E-mail Address ' -> 'e_mail_address': lower case, words joined by '_'."""
    return _HEADER_JUNK.sub("_", clean(cell).strip('"').lower()).strip("_")


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines that hold more than separators and spaces."""
    found: list[str] = []
    for line in split_lines(text):
        if line.strip(" \t,;|\r\n"):
            found.append(line.rstrip("\r\n"))
            if len(found) == count:
                break
    return found


def read_table(path: Path, shown: str) -> Table | None:
    """Read ``path``; None when it holds nothing but blank lines."""
    limits.check_csv_size(path, shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", path=shown) from None
    problems: list[Problem] = []
    text = decode(data, shown, problems)
    del data
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            "contains a NUL byte: this is not a CSV text file",
            path=shown,
            line=text.count("\n", 0, nul) + 1,
            hint="save it from the spreadsheet as 'CSV UTF-8'",
        )
    meaningful = _first_lines(text, 2)
    if not meaningful:
        return None
    sep = _SEP_LINE.match(meaningful[0])
    if sep and len(meaningful) == 1:
        return None
    delimiter = sep[1] if sep else sniff_delimiter(meaningful[0])
    table = Table(path, shown, [], 0, delimiter, problems, text)
    reader = csv.reader(split_lines(text), delimiter=delimiter)
    sep_pending = bool(sep)
    last = skip = 0
    try:
        for index, cells in enumerate(reader):
            line = last + 1
            last = reader.line_num
            skip = index + 1
            if not any(cell.strip() for cell in cells):
                continue
            if sep_pending:
                sep_pending = False
                continue
            table.header = [header_name(cell) for cell in cells]
            table.header_line = line
            break
    except csv.Error as exc:
        raise csv_error(exc, shown, last + 1) from None
    table._skip = skip
    return table

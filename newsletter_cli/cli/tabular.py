"""Rows out as a table for people, or as CSV or JSON for other programs.

Used by every command with ``--csv`` / ``--json``: the machine formats go to stdout and
nothing else does (messages go to stderr), so ``newsletter history ... --csv > proof.csv``
is a clean file. Times are UK time: "1 October 2025, 9:02am" in the table, ISO 8601 with
the offset in CSV and JSON.

CSV is written for spreadsheets (see :func:`spreadsheet_cell`): a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front, so Excel
shows it as text and never runs it as a formula (OWASP's rule against CSV injection).
Numbers stay numbers, negative ones too. JSON is written as it is.

A table that does not fit the terminal (a phone-sized window, 60 columns) is shown as
records instead: the first column as a heading, then one "Heading: value" line for each
other column, wrapped between words. Nothing is cut in the middle of a word.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsletter_cli.datefmt import format_moment
from newsletter_cli.errors import InputError

FORMATS = ("table", "csv", "json")
#: What a spreadsheet may take as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Said in the --help of every --csv option.
CSV_HELP = "Cells starting with = + - @ are prefixed with ' for spreadsheets."


@dataclass(frozen=True)
class Column:
    """One column: the row key (also the CSV header and JSON name) and the table heading."""

    key: str
    heading: str
    justify: str = "left"
    #: Long free text (a description, a reason) that may wrap inside its column.
    wrap: bool = False
    #: What the table shows for 0 ("-" where only other numbers matter); CSV/JSON keep 0.
    zero: str | None = None


#: The narrowest a wrapping column may get before the table turns into records.
MIN_WRAP = 20


def choose_format(*, as_csv: bool = False, as_json: bool = False) -> str:
    """'table', 'csv' or 'json' from the two flags (both at once is a mistake)."""
    if as_csv and as_json:
        raise InputError("give --csv or --json, not both")
    return "csv" if as_csv else "json" if as_json else "table"


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], fmt: str) -> None:
    """Print ``rows`` (only ``columns``, in order) to stdout in ``fmt``."""
    if fmt == "json":
        data = [{c.key: _json_value(row.get(c.key)) for c in columns} for row in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for row in rows:
            writer.writerow([spreadsheet_cell(row.get(c.key)) for c in columns])
    else:
        _table(rows, columns)
    sys.stdout.flush()


def spreadsheet_cell(value: Any) -> str:
    """One CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Checked on the cell exactly as written (nothing stripped first, so a tab followed by
    ``=`` is caught). An int or float is a plain number and is written as it is (-3 stays
    -3); anything else, text from a file included, is checked.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = _text(value, "; ", iso=True)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> None:
    from rich.table import Table

    from newsletter_cli.cli.output import console

    cells = [[_cell(row.get(c.key), c) for c in columns] for row in rows]
    if console.is_terminal and natural_width(cells, columns) > console.width:
        records(cells, columns, console.width)
        return
    table = Table(show_edge=False, pad_edge=False, highlight=False)
    for column in columns:
        table.add_column(column.heading, justify=column.justify,  # type: ignore[arg-type]
                         no_wrap=not column.wrap, min_width=MIN_WRAP if column.wrap else None)
    for line in cells:
        table.add_row(*(_escaped(cell) for cell in line))
    if console.is_terminal:
        console.print(table)
    else:  # written to a file or a pipe: whole lines, however wide
        from rich.console import Console

        Console(file=sys.stdout, width=10_000, highlight=False, soft_wrap=True).print(table)


def _cell(value: Any, column: Column) -> str:
    if column.zero is not None and value == 0 and not isinstance(value, bool):
        return column.zero
    return _text(value, ", ")


def natural_width(cells: Sequence[Sequence[str]], columns: Sequence[Column]) -> int:
    """How wide the table must be, in terminal cells (a Chinese character or an emoji takes
    two): whole cells, wrapping columns at least MIN_WRAP wide."""
    from rich.cells import cell_len

    total = 3 * (len(columns) - 1)  # " │ " between columns
    for index, column in enumerate(columns):
        heading = cell_len(column.heading)
        longest = max([heading, *(cell_len(line[index]) for line in cells)])
        total += min(longest, max(MIN_WRAP, heading)) if column.wrap else longest
    return total


def records(cells: Sequence[Sequence[str]], columns: Sequence[Column], width: int) -> None:
    """Rows as blocks for a narrow terminal: the first cell, then 'Heading: value' lines.

    Short values share a line (joined by ' · '); a wrapping column gets lines of its own.
    """
    from newsletter_cli.cli.output import console

    for line in cells:
        console.print(f"[bold]{_escaped(line[0])}[/]")
        pairs = list(zip(columns[1:], line[1:], strict=True))
        short = " · ".join(f"{c.heading}: {cell}" for c, cell in pairs if cell and not c.wrap)
        texts = [short] + [f"{c.heading}: {cell}" for c, cell in pairs if cell and c.wrap]
        for text in filter(None, texts):
            for part in wrapped(text, width, indent="  "):
                console.print(_escaped(part))


def say(text: str, *, indent: str = "", following: str | None = None, bold: int = 0) -> None:
    """Print ``text`` (not markup) to stdout, wrapped between words to fit the terminal.

    ``bold`` characters at its start are shown in bold. To a file or pipe: one line.
    """
    from newsletter_cli.cli.output import console

    lines = (
        wrapped(text, console.width, indent=indent, following=following)
        if console.is_terminal
        else [indent + text]
    )
    for number, line in enumerate(lines):
        start = len(indent) if number == 0 else 0
        end = start + bold if number == 0 and bold else 0
        if end:
            console.print(f"{_escaped(line[:start])}[bold]{_escaped(line[start:end])}[/]"
                          f"{_escaped(line[end:])}")  # fmt: skip
        else:
            console.print(_escaped(line))


def wrapped(text: str, width: int, *, indent: str = "", following: str | None = None) -> list[str]:
    """``text`` in lines at most ``width`` terminal cells wide, broken only between words
    (a word longer than the line stays whole). Spaces inside a line are kept as written."""
    import re

    from rich.cells import cell_len

    width, rest = max(width, 20), indent + "  " if following is None else following
    lines: list[str] = []
    line, started, space = indent, False, ""
    for token in re.findall(r"\S+|\s+", text):
        if token.isspace():
            space = " " * len(token)
        elif started and cell_len(line + space + token) > width:
            lines.append(line)
            line, space = rest + token, ""
        else:
            line, started, space = line + (space if started else "") + token, True, ""
    return [*lines, line]


def _escaped(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _text(value: Any, joiner: str, *, iso: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if iso else format_moment(value)
    if isinstance(value, list | tuple | set | frozenset):
        return joiner.join(str(v) for v in value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


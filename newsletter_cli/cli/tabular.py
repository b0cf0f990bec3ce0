"""Rows out as a table for people, or as CSV or JSON for other programs.

Used by every command with ``--csv`` / ``--json``: the machine formats go to stdout and
nothing else does (messages go to stderr), so ``newsletter history ... --csv > proof.csv``
is a clean file. Times are UK time: "1 October 2025, 9:02am" in the table, ISO 8601 with
the offset in CSV and JSON.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsletter_cli.errors import InputError

FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class Column:
    """One column: the row key (also the CSV header and JSON name) and the table heading."""

    key: str
    heading: str
    justify: str = "left"


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
            writer.writerow([_text(row.get(c.key), "; ", iso=True) for c in columns])
    else:
        _table(rows, columns)
    sys.stdout.flush()


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> None:
    from rich.table import Table

    from newsletter_cli.cli.output import console

    table = Table(show_edge=False, pad_edge=False, highlight=False)
    for column in columns:
        table.add_column(column.heading, justify=column.justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*(_escaped(_text(row.get(c.key), ", ")) for c in columns))
    if console.is_terminal:
        console.print(table)
    else:  # written to a file or a pipe: whole lines, however wide
        from rich.console import Console

        Console(file=sys.stdout, width=10_000, highlight=False, soft_wrap=True).print(table)


def _escaped(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _text(value: Any, joiner: str, *, iso: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if iso else shown_time(value)
    if isinstance(value, list | tuple | set | frozenset):
        return joiner.join(str(v) for v in value)
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


def shown_time(moment: datetime) -> str:
    from newsletter_cli.datefmt import format_time

    return f"{moment.day} {moment:%B %Y}, {format_time(moment.time(), minutes=True)}"

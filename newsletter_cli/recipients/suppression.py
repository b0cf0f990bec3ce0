"""Suppression files: addresses that must never be sent to, whatever their tags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsletter_cli.errors import InputError
from newsletter_cli.recipients.addresses import address_problem
from newsletter_cli.recipients.cells import parse_address_cell, shown_cell
from newsletter_cli.recipients.contact import COLUMNS
from newsletter_cli.recipients.csvtable import Table, runs_on
from newsletter_cli.recipients.problems import Problem
from newsletter_cli.recipients.sources import read_tables
from newsletter_cli.recipients.xlsxtable import SheetChoice, SheetTable

# A file in recipients/ whose name starts like this is a suppression file, not contacts,
# so that an exported unsubscribe or bounce list can never be mailed by mistake.
PREFIXES = {"suppress": "suppressed", "unsubscribe": "unsubscribed", "bounce": "bounced"}
MAIN_FILE = "suppressions.csv"
REASON_COLUMNS = ("reason", "status", "type")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppressed address, why, and where it was listed."""

    email: str
    reason: str
    source: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.source})"


def is_suppression_file(path: Path) -> bool:
    """True for suppressions.csv, unsubscribes.csv, bounces-2025.csv and the like."""
    name = path.name.lower()
    return any(name.startswith(prefix) for prefix in PREFIXES)


def default_reason(path: Path) -> str:
    name = path.name.lower()
    return next((reason for p, reason in PREFIXES.items() if name.startswith(p)), "suppressed")


def read_suppressions(
    path: Path,
    shown: str,
    into: dict[str, Suppression],
    problems: list[Problem],
    choice: SheetChoice | None = None,
) -> None:
    """Add one suppression file's addresses to ``into`` (the first entry for an address wins)."""
    for table in read_tables(path, shown, problems, choice):
        if table is not None:
            _read_table(table, path, shown, into, problems)


def _read_table(
    table: Table | SheetTable,
    path: Path,
    shown: str,
    into: dict[str, Suppression],
    problems: list[Problem],
) -> None:
    problems.extend(table.problems)
    header = table.header
    email_at = next((i for i, h in enumerate(header) if COLUMNS.get(h) == "email"), None)
    if email_at is None:
        raise InputError(
            "the first row must be a header with an 'email' column",
            path=shown,
            line=table.header_line,
            hint="columns: email, reason (unsubscribed, bounced, do-not-contact), note",
        )
    reason_at = next((i for i, h in enumerate(header) if h in REASON_COLUMNS), None)
    fallback = default_reason(path)
    for line, cells in table.rows():
        raw = cells[email_at] if email_at < len(cells) else ""
        email = parse_address_cell(raw)[0]
        problem = address_problem(email)
        if runs_on(cells):
            problem = "the row runs over several lines and holds other addresses (unclosed quote?)"
        if problem:
            problems.append(
                Problem(
                    shown,
                    line,
                    f"suppression entry {shown_cell(raw)} cannot be read: {problem}; live "
                    "sends are refused until it is fixed",
                    "error",
                    suppression=True,
                )
            )
            continue
        reason = ""
        if reason_at is not None and reason_at < len(cells):
            reason = " ".join(cells[reason_at].split())
        into.setdefault(email, Suppression(email, reason or fallback, f"{shown}:{line}"))

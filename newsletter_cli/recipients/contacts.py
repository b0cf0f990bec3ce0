"""Contacts files: every row becomes a Contact or a Problem with its file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsletter_cli.errors import InputError
from newsletter_cli.headertext import header_problem
from newsletter_cli.recipients.addresses import address_problem, clean
from newsletter_cli.recipients.cells import parse_address_cell, shown_cell
from newsletter_cli.recipients.contact import COLUMNS, Contact
from newsletter_cli.recipients.csvtable import Table, runs_on
from newsletter_cli.recipients.limits import MAX_CELL
from newsletter_cli.recipients.problems import Problem, split_source
from newsletter_cli.recipients.sources import read_tables
from newsletter_cli.recipients.tags import split_tags
from newsletter_cli.recipients.xlsxtable import SheetChoice, SheetTable

TEXT_FIELDS = ("name", "organisation", "role")
_UNSAFE = re.compile("[<>]")


@dataclass
class ContactsRead:
    """What the contacts files held: contacts (merged by address) and the problems found."""

    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    tag_first_seen: dict[str, str] = field(default_factory=dict)  # tag -> "file:line"
    _index: dict[str, int] = field(default_factory=dict)

    def add(self, contact: Contact, problems: list[Problem]) -> None:
        """Keep ``contact``, merging it into an earlier row with the same address."""
        for tag in contact.tags:
            self.tag_first_seen.setdefault(tag, contact.source)
        at = self._index.get(contact.email)
        if at is None:
            self._index[contact.email] = len(self.contacts)
            self.contacts.append(contact)
            return
        first = self.contacts[at]
        merged, note = merge(first, contact)
        self.contacts[at] = merged
        path, line = split_source(contact.source)
        problems.append(
            Problem(
                path,
                line,
                f"duplicate of {contact.email} (first at {first.source}): merged into one "
                f"contact{note}",
                "warning",
                first.tags | contact.tags,
                contact_row=True,
            )
        )


def merge(first: Contact, again: Contact) -> tuple[Contact, str]:
    """One contact from two rows for the same address: first values win, tags combine."""
    values = {}
    notes = []
    for name in TEXT_FIELDS:
        mine, theirs = getattr(first, name), getattr(again, name)
        values[name] = mine or theirs
        if mine and theirs and mine != theirs:
            notes.append(f"{name} {theirs!r} differs, kept {mine!r}")
    extra = again.tags - first.tags
    if extra:
        notes.append("tags added: " + ", ".join(sorted(extra)))
    merged = Contact(
        email=first.email,
        tags=first.tags | again.tags,
        source=first.source,
        **values,
    )
    return merged, ("; " + "; ".join(notes)) if notes else ""


def _column_map(table: Table | SheetTable) -> dict[str, int]:
    """Our field -> column index. Unknown columns are ignored; a repeated one is a warning."""
    found: dict[str, int] = {}
    for index, name in enumerate(table.header):
        ours = COLUMNS.get(name)
        if ours is None:
            continue
        if ours in found:
            table.problems.append(
                Problem(
                    table.shown,
                    table.header_line,
                    f"column {index + 1} ({name!r}) repeats the {ours!r} column: ignored",
                    "warning",
                )
            )
            continue
        found[ours] = index
    return found


def require_email_column(table: Table | SheetTable, columns: dict[str, int]) -> None:
    """A file without an email column cannot be used at all: stop with a clear message."""
    if "email" not in columns:
        seen = ", ".join(h for h in table.header if h) or "nothing"
        raise InputError(
            f"the first row must be a header with an 'email' column (found: {seen})",
            path=table.shown,
            line=table.header_line,
            hint="columns: email, name, organisation, role, tags "
            "(see 'Recipients and lists' in the manual)",
        )


def _long_cell(cells: list[str], columns: dict[str, int]) -> tuple[str, int] | None:
    """(field, length) of the first cell the tool reads that is over MAX_CELL characters."""
    for name, index in columns.items():
        if index < len(cells) and len(cells[index]) > MAX_CELL:
            return name.replace("_", " "), len(cells[index])
    return None


def _text(value: str) -> str:
    return " ".join(clean(value).split())


def plain(text: str) -> bool:
    """True when ``text`` surely holds nothing :func:`unsafe_in_email` refuses (fast)."""
    return text.isprintable() and "=?" not in text and "<" not in text and ">" not in text


def unsafe_in_email(raw: dict[str, str], values: dict[str, str]) -> str | None:
    """Why a row's text cannot go into an email, or None: what it says after "the ".

    ``raw``: the cells as read; a line break typed in a cell (Alt+Enter) means a space,
    and every line break is one, so what is checked is the cell on one line.
    ``values``: after every later decoding step (``Name <address>`` cells, quoting,
    ``mailto:`` %-escapes), where ``=?`` could appear only now.
    """
    for name, text in (*raw.items(), *values.items()):
        problem = header_problem(_text(text))
        if problem:
            return f"{name.replace('_', ' ')} {shown_cell(text)} {problem}"
    for name in TEXT_FIELDS:
        if _UNSAFE.search(values[name]):
            return f"{name} {values[name]!r} contains < or >"
    return None


def read_contacts(
    path: Path, shown: str, into: ContactsRead, choice: SheetChoice | None = None
) -> None:
    """Add the contacts in one CSV or Excel file to ``into`` (problems: ``into.problems``)."""
    for table in read_tables(path, shown, into.problems, choice):
        if table is None:
            into.problems.append(
                Problem(shown, None, "empty file: no header, no contacts", "warning")
            )
        else:
            _read_table(table, shown, into)


def _left_out(shown: str, line: int, tags: frozenset[str] | None, message: str) -> Problem:
    """An error that leaves a contact row out (``tags``: the lists it would have been on)."""
    return Problem(shown, line, message, "error", tags, contact_row=True)


def _read_table(table: Table | SheetTable, shown: str, into: ContactsRead) -> None:
    problems = into.problems
    columns = _column_map(table)
    problems.extend(table.problems)
    require_email_column(table, columns)
    width = len(table.header)
    email_at = columns["email"]
    tags_at = columns.get("tags")
    at = {name: columns.get(name) for name in ("name", "first_name", "last_name")}
    at.update({name: columns.get(name) for name in ("organisation", "role")})
    tag_cache: dict[str, frozenset[str]] = {}
    shared: dict[str, str] = {}  # one copy of each organisation and role text

    def cell(cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    for line, cells in table.rows():
        raw_tags = cell(cells, tags_at)
        tags = tag_cache.get(raw_tags)
        if tags is None:
            tags = tag_cache[raw_tags] = split_tags(raw_tags)
        if runs_on(cells):
            problems.append(_left_out(shown, line, None, "this row runs over several lines and "
                                      "holds other addresses (an unclosed quote?): row left "
                                      "out, with the rows it swallowed"))  # fmt: skip
            continue
        long = _long_cell(cells, columns)
        if long is not None:
            problems.append(_left_out(shown, line, tags, f"the {long[0]} cell holds "
                                      f"{long[1]:,} characters; at most {MAX_CELL:,} are read: "
                                      "row left out"))  # fmt: skip
            continue
        email, cell_name = parse_address_cell(cell(cells, email_at))
        reason = address_problem(email)
        if reason:
            text = f"invalid email address {shown_cell(cell(cells, email_at))}: {reason}"
            problems.append(
                _left_out(shown, line, tags, text if email else "no email address: row left out")
            )
            continue
        name = _text(cell(cells, at["name"]))
        if not name:
            name = _text(f"{cell(cells, at['first_name'])} {cell(cells, at['last_name'])}")
        name = name or cell_name  # 'Ben Bellamy <ben@…>' in the email cell
        values = {
            "name": name,
            "organisation": shared.setdefault(org := _text(cell(cells, at["organisation"])), org),
            "role": shared.setdefault(role := _text(cell(cells, at["role"])), role),
        }
        unsafe = None
        if not plain(" ".join((*cells, name, email))):
            raw = {key: cell(cells, index) for key, index in columns.items() if key != "tags"}
            unsafe = unsafe_in_email(raw, {**values, "email": email})
        if unsafe:
            problems.append(
                _left_out(shown, line, tags,
                          f"{email}: the {unsafe}, which is not safe in an email: row left out")
            )
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            # The real tags may have been pushed into the extra cells: count those lists too.
            shifted = split_tags(";".join(cells[tags_at:])) if tags_at is not None else tags
            problems.append(
                Problem(
                    shown,
                    line,
                    f"{email}: {len(cells)} cells but the header has {width}: extra cells "
                    "ignored, so the tags may be wrong (a separator inside an unquoted value?)",
                    "warning",
                    tags | shifted,
                    contact_row=True,
                )
            )
        into.add(Contact(email=email, tags=tags, source=f"{shown}:{line}", **values), problems)

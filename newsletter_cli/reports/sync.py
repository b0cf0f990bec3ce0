"""``newsletter suppressions sync``: SendGrid's suppressions into recipients/.

Everyone SendGrid holds back (see :mod:`.suppressed`) is merged into
``recipients/suppressions-sendgrid.csv`` (columns email, reason, source, date): one row
per address and reason, sorted, dates as UK calendar days, so a git diff shows only
what is new. An entry is never removed (SendGrid forgetting a bounce does not make
the address good again: delete the row by hand for that). A second run with nothing
new changes nothing. The file's name starts with "suppress", so every list already
leaves its addresses out. When it last ran is kept in ``.newsletter/`` so that a live
SendGrid send can say the list is stale.
"""

from __future__ import annotations

import csv
import io
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter_cli.config import load_config
from newsletter_cli.delivery.sendgrid_http import env_client
from newsletter_cli.delivery.sendgrid_settings import unsubscribe_group
from newsletter_cli.delivery.sync_state import london_day, save_state
from newsletter_cli.errors import InputError, NewsletterError
from newsletter_cli.recipients.addresses import address_problem, normalise
from newsletter_cli.recipients.roster import load_roster
from newsletter_cli.reports.suppressed import fetch

if TYPE_CHECKING:
    from newsletter_cli.project import Project
    from newsletter_cli.reports.suppressed import Held

SYNC_FILE = "suppressions-sendgrid.csv"
COLUMNS = ("email", "reason", "source", "date")
NO_LIST = "not on any list"
#: How each reason reads in a summary ("2 bounced, 1 unsubscribed").
WORDS = {"unsubscribed": "unsubscribed", "unsubscribed-all": "unsubscribed from all mail",
         "bounced": "bounced", "blocked": "blocked", "spam-report": "spam report(s)",
         "invalid": "invalid"}  # fmt: skip


@dataclass
class SyncResult:
    """What a sync found and did."""

    file: str  # recipients/suppressions-sendgrid.csv
    held: int  # address-and-reason pairs SendGrid holds back
    before: int  # rows in the file before
    new: list[tuple[str, str, str, str]] = field(default_factory=list)
    by_list: dict[str, Counter[str]] = field(default_factory=dict)
    unusable: list[str] = field(default_factory=list)  # not addresses: left out
    lists_note: str | None = None  # why the new rows could not be grouped by list
    dry_run: bool = False

    def summary(self) -> list[str]:
        """What happened, in plain words."""
        if not self.new:
            lines = [f"Nothing new: {self.file} already has every address SendGrid holds back "
                     f"({self.held:,}); the file is unchanged."]  # fmt: skip
        else:
            verb = "would be added to" if self.dry_run else "added to"
            total = self.before + len(self.new)
            lines = [f"{len(self.new):,} new {verb} {self.file} ({total:,} entries"
                     f"{' then' if self.dry_run else ' now'}); SendGrid holds back "
                     f"{self.held:,}."]  # fmt: skip
            if self.lists_note:
                lines.append(self.lists_note)
            for name, counts in self.by_list.items():
                parts = ", ".join(f"{n} {WORDS.get(r, r)}" for r, n in sorted(counts.items()))
                lines.append(f"  {name}: {parts}")
        if self.unusable:
            lines.append(f"{len(self.unusable)} entr{'y' if len(self.unusable) == 1 else 'ies'} "
                         "SendGrid lists are not valid addresses here (no contact can have "
                         f"them): left out ({', '.join(self.unusable[:3])}"
                         f"{', ...' if len(self.unusable) > 3 else ''})")  # fmt: skip
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return lines




def sync_suppressions(
    project: Project,
    *,
    dry_run: bool = False,
    api: Any = None,
    now: float | None = None,
    **options: Any,
) -> SyncResult:
    """Fetch what SendGrid holds back and merge it into recipients/suppressions-sendgrid.csv."""
    now = time.time() if now is None else now
    group = unsubscribe_group(project, load_config(project))
    path = project.recipients_dir / SYNC_FILE
    shown = f"{project.recipients_dir.name}/{SYNC_FILE}"
    rows = read_rows(path, shown)
    held = fetch(api if api is not None else env_client(), group, **options)
    result = SyncResult(shown, 0, len(rows), dry_run=dry_run)
    new = merge(rows, held, london_day(now), result)
    result.new = new
    if new:
        _group_by_list(project, new, result)
        if not dry_run:
            write_rows(path, rows + new)
    if not dry_run:
        save_state(project, {"synced_at": now, "group": group, "held": result.held})
    return result


def merge(
    rows: list[tuple[str, str, str, str]], held: list[Held], today: str, result: SyncResult
) -> list[tuple[str, str, str, str]]:
    """The rows ``held`` adds to ``rows`` (never removing one), sorted."""
    have = {(r[0].lower(), r[1]) for r in rows}
    pairs: set[tuple[str, str]] = set()
    new = []
    for entry in held:
        key = (entry.email, entry.reason)
        if key in pairs:
            continue
        if key not in have:  # checked once, when it is first written
            email = normalise(entry.email)
            if address_problem(email):
                result.unusable.append(entry.email)
                continue
            key = (email, entry.reason)
        pairs.add(key)
        if key not in have:
            day = london_day(entry.created) if entry.created is not None else today
            new.append((email, entry.reason, entry.source, day))
    result.held = len(pairs)
    return sorted(new)


def read_rows(path: Path, shown: str) -> list[tuple[str, str, str, str]]:
    """The file's rows (email, reason, source, date); none if there is no file yet."""
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it: {exc}", path=shown) from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if "email" not in header:
        raise InputError("the first row must be the header email,reason,source,date",
                         path=shown, line=1)  # fmt: skip
    at = {name: header.index(name) for name in COLUMNS if name in header}
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        values = [cells[at[n]].strip() if n in at and at[n] < len(cells) else "" for n in COLUMNS]
        rows.append((values[0], values[1], values[2], values[3]))
    return rows


def write_rows(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """Write the file sorted by address (then reason), "\\n" line ends, atomically."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(rows, key=lambda r: (r[0].lower(), r[1], r[2], r[3])))
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(out.getvalue(), encoding="utf-8")
    os.replace(temporary, path)


def _group_by_list(project: Project, new: list, result: SyncResult) -> None:
    """New rows counted by the lists their address is on ('not on any list' for the rest)."""
    try:
        roster = load_roster(project)
    except NewsletterError as exc:
        result.lists_note = f"(not grouped by list: the recipients could not be read: {exc})"
        return
    contacts = {c.email: c for c in roster.contacts}
    grouped: dict[str, Counter[str]] = {}
    names_of: dict[str, list[str]] = {}
    for email, reason, _source, _day in new:
        names = names_of.get(email)
        if names is None:
            contact = contacts.get(email)
            on = roster.lists_of(contact) if contact else frozenset()
            names = names_of[email] = [n for n in roster.list_names() if n in on]
        for name in names or [NO_LIST]:
            grouped.setdefault(name, Counter())[reason] += 1
    order = [*roster.list_names(), NO_LIST]
    result.by_list = {name: grouped[name] for name in order if name in grouped}


# -- when it last ran ------------------------------------------------------------------------

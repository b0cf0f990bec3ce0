"""Reading and seeding a project's journal in tests, whichever store it uses."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsletter_cli.journal import JournalStore

#: The journal as the first release created it (no version, no per-recipient details).
FIRST_RELEASE_DDL = """
CREATE TABLE IF NOT EXISTS sends (
    id TEXT PRIMARY KEY,
    issue TEXT NOT NULL,
    lists TEXT NOT NULL,
    mode TEXT NOT NULL,
    backend TEXT NOT NULL,
    subject TEXT NOT NULL,
    issue_sha TEXT NOT NULL,
    send_at INTEGER,
    batch_id TEXT,
    state TEXT NOT NULL DEFAULT 'open',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS recipients (
    send_id TEXT NOT NULL REFERENCES sends(id),
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (send_id, email)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recipients_status ON recipients(send_id, status);
"""


def new_send(
    journal: JournalStore, send_id: str, *, issue: str = "2025-09", mode: str = "live",
    delivers: bool = True, lists: tuple[str, ...] = ("dcs",),
) -> str:  # fmt: skip
    journal.open_send(
        send_id, issue=issue, lists=lists, mode=mode,
        backend="sendgrid" if delivers else "outbox", subject="Regional Update",
        issue_sha="x", delivers=delivers,
    )  # fmt: skip
    return send_id


def journal_of(project_dir: Path):
    """The project's journal, whichever store newsletter.toml names."""
    from newsletter_cli.journal import existing_journal
    from newsletter_cli.project import Project

    journal = existing_journal(Project(project_dir))
    assert journal is not None, "no journal yet"
    return journal


def journal_by_status(project_dir: Path) -> dict[str, set[str]]:
    """Every recipient row of every send, by status (whichever store the project uses)."""
    found: dict[str, set[str]] = {}
    with journal_of(project_dir) as journal:
        for record in journal.sends():
            for email, status in journal.statuses(record.id).items():
                found.setdefault(status.value, set()).add(email)
    return found


def journal_counts(project_dir: Path) -> Counter:
    counts: Counter = Counter()
    with journal_of(project_dir) as journal:
        for record in journal.sends():
            counts.update({s.value: n for s, n in journal.counts(record.id).items()})
    return counts

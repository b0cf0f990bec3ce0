"""The journal's tables, written once for every database, and the upgrades between versions.

The SQL is the portable subset SQLite and PostgreSQL share. The two differences are
parameters of :func:`create_statements`: a table option (SQLite's ``WITHOUT ROWID``)
and the text type (PostgreSQL's ``TEXT COLLATE "C"``, so that text compares and sorts
by code point as SQLite's does, whatever the server's locale); each implementation
passes its own.
"""

from __future__ import annotations

import re

from newsletter_cli.journal.store import SCHEMA_VERSION

_TABLES = """
CREATE TABLE IF NOT EXISTS journal_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sends (
    id TEXT PRIMARY KEY,
    issue TEXT NOT NULL,              -- the issue's name (its file name): its identity
    lists TEXT NOT NULL,              -- JSON list of list names (or test addresses)
    mode TEXT NOT NULL,               -- live | sandbox | test
    backend TEXT NOT NULL,
    delivers INTEGER NOT NULL DEFAULT 1,   -- 0 when nothing leaves the machine (outbox)
    subject TEXT NOT NULL,
    issue_sha TEXT NOT NULL,
    send_at BIGINT,                   -- unix time of a scheduled send
    batch_id TEXT,                    -- the service's id for a scheduled send
    state TEXT NOT NULL DEFAULT 'open',    -- held | open | done | cancelled
    created DOUBLE PRECISION NOT NULL,
    updated DOUBLE PRECISION NOT NULL,
    hand_over_from BIGINT,            -- a held send: unix time from which send --due hands it over
    handed_over DOUBLE PRECISION,     -- when a scheduled send went to its backend
    hold_note TEXT,                   -- why the last hand-over was refused (it stays held)
    request TEXT                      -- JSON: how to plan a held send again at hand-over
);
CREATE INDEX IF NOT EXISTS sends_issue ON sends(issue);
CREATE TABLE IF NOT EXISTS recipients (
    send_id TEXT NOT NULL REFERENCES sends(id),
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    lists TEXT NOT NULL DEFAULT '[]', -- JSON list: the send's lists they are on
    batch INTEGER,                    -- the request that carried them
    sent_at DOUBLE PRECISION,         -- when that request left
    updated DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (send_id, email)
){table_options};
CREATE INDEX IF NOT EXISTS recipients_status ON recipients(send_id, status);
CREATE INDEX IF NOT EXISTS recipients_email ON recipients(email);
"""

#: Statements that bring a journal of version N up to N + 1.
UPGRADES: dict[int, list[str]] = {
    # The first release: no version, no per-recipient details, no batch numbers.
    1: [
        "ALTER TABLE sends ADD COLUMN delivers INTEGER NOT NULL DEFAULT 1",
        "UPDATE sends SET delivers = 0 WHERE backend = 'outbox'",
        "ALTER TABLE recipients ADD COLUMN name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE recipients ADD COLUMN organisation TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE recipients ADD COLUMN lists TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE recipients ADD COLUMN batch INTEGER",
        "ALTER TABLE recipients ADD COLUMN sent_at DOUBLE PRECISION",
        "CREATE INDEX IF NOT EXISTS sends_issue ON sends(issue)",
        "CREATE INDEX IF NOT EXISTS recipients_email ON recipients(email)",
        "CREATE TABLE IF NOT EXISTS journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
    # Scheduling any time ahead: sends held in the journal until ``send --due`` hands them over.
    2: [
        "ALTER TABLE sends ADD COLUMN hand_over_from BIGINT",
        "ALTER TABLE sends ADD COLUMN handed_over DOUBLE PRECISION",
        "ALTER TABLE sends ADD COLUMN hold_note TEXT",
        "ALTER TABLE sends ADD COLUMN request TEXT",
    ],
}


def create_statements(table_options: str = "", text_type: str = "TEXT") -> list[str]:
    """The statements that create a journal of the current version from nothing."""
    text = _typed(_TABLES.replace("{table_options}", table_options), text_type)
    statements = [s.strip() for s in text.split(";")]
    return [s for s in statements if s and not s.startswith("--")]


def upgrade_statements(version: int, text_type: str = "TEXT") -> list[str]:
    """The statements that bring a journal of ``version`` up to the current one."""
    steps: list[str] = []
    for step in range(version, SCHEMA_VERSION):
        steps += [_typed(statement, text_type) for statement in UPGRADES[step]]
    return steps


def _typed(text: str, text_type: str) -> str:
    return text if text_type == "TEXT" else re.sub(r"\bTEXT\b", text_type, text)

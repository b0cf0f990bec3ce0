"""What only the SQLite store does: WAL, private files, upgrading the first release's journal."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from support.journal import FIRST_RELEASE_DDL, new_send

from newsletter_cli.errors import DeliveryError
from newsletter_cli.journal import Person, SQLiteJournal
from newsletter_cli.journal.status import Outcome, Status
from newsletter_cli.journal.store import SCHEMA_VERSION


def mode_of(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_wal_and_every_commit_is_seen_by_another_process(tmp_path):
    journal = SQLiteJournal(tmp_path / "journal.sqlite")
    new_send(journal, "s")
    journal.enqueue("s", [Person("a@example.org"), Person("b@example.org")])
    journal.record("s", [Outcome("a@example.org", Status.ACCEPTED, message_id="m1")])
    other = sqlite3.connect(journal.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = dict(other.execute("SELECT email, status FROM recipients"))
    assert rows == {"a@example.org": "accepted", "b@example.org": "queued"}
    journal.close()


@pytest.mark.posix  # Windows has no mode bits: the profile's ACLs guard it
def test_the_folder_and_files_are_private(tmp_path):
    folder = tmp_path / ".newsletter"
    journal = SQLiteJournal(folder / "journal.sqlite")
    new_send(journal, "s")
    with journal.send_lock("s"):
        pass
    assert mode_of(folder) == 0o700
    assert mode_of(folder / "locks") == 0o700
    for name in ("journal.sqlite", "journal.sqlite-wal", "journal.sqlite-shm"):
        assert mode_of(folder / name) == 0o600, name
    journal.close()


@pytest.mark.posix  # Windows has no mode bits: the profile's ACLs guard it
def test_a_journal_made_readable_by_others_is_tightened(tmp_path):
    folder = tmp_path / ".newsletter"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "journal.sqlite"
    sqlite3.connect(path).executescript(FIRST_RELEASE_DDL)
    path.chmod(0o644)
    SQLiteJournal(path).close()
    assert mode_of(folder) == 0o700 and mode_of(path) == 0o600


def test_the_first_releases_journal_is_upgraded_in_place(tmp_path):
    path = tmp_path / "journal.sqlite"
    old = sqlite3.connect(path)
    old.executescript(FIRST_RELEASE_DDL)
    old.executemany(
        "INSERT INTO sends VALUES (?, ?, ?, 'live', ?, 'Subject', 'sha', NULL, NULL, 'done', ?, ?)",
        [("2025-09--dcs-aaaaaa", "2025-09", '["dcs"]', "sendgrid", 1.0, 1.0),
         ("2025-09--dcs-outbox-bbbbbb", "2025-09", '["dcs"]', "outbox", 2.0, 2.0)],
    )  # fmt: skip
    old.executemany(
        "INSERT INTO recipients VALUES (?, ?, ?, ?, NULL, 1, 1.0)",
        [("2025-09--dcs-aaaaaa", "a@example.org", "accepted", "m1"),
         ("2025-09--dcs-aaaaaa", "b@example.org", "uncertain", None),
         ("2025-09--dcs-outbox-bbbbbb", "c@example.org", "accepted", "c.eml")],
    )  # fmt: skip
    old.commit()
    old.close()

    journal = SQLiteJournal(path)
    assert journal.schema_version() == SCHEMA_VERSION
    sends = {r.id: r for r in journal.sends()}
    assert sends["2025-09--dcs-aaaaaa"].delivers is True
    assert sends["2025-09--dcs-outbox-bbbbbb"].delivers is False
    rows = journal.recipients("2025-09--dcs-aaaaaa")
    assert [(r.email, r.status, r.message_id, r.name, r.batch) for r in rows] == [
        ("a@example.org", Status.ACCEPTED, "m1", "", None),
        ("b@example.org", Status.UNCERTAIN, None, "", None),
    ]
    # what the first release recorded counts for once per person per issue
    assert journal.received("2025-09") == {"a@example.org": "2025-09--dcs-aaaaaa",
                                           "b@example.org": "2025-09--dcs-aaaaaa"}  # fmt: skip
    # and the upgraded journal takes the new details
    new_send(journal, "2025-09--network-cccccc")
    journal.enqueue("2025-09--network-cccccc", [Person("d@example.org", "Dee", "Org", ("x",))])
    assert journal.recipients("2025-09--network-cccccc")[0].lists == ("x",)
    journal.close()
    # opening again changes nothing
    again = SQLiteJournal(path)
    assert again.schema_version() == SCHEMA_VERSION and len(again.sends()) == 3
    again.close()


def test_a_journal_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "journal.sqlite"
    SQLiteJournal(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE journal_meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(DeliveryError, match="newer version of newsletter"):
        SQLiteJournal(path)


def test_open_existing_creates_nothing(tmp_path):
    assert SQLiteJournal.open_existing(tmp_path / "missing.sqlite") is None
    assert not (tmp_path / "missing.sqlite").exists()

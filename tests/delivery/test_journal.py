"""The send journal (SQLite, WAL) and the one-run-per-send lock."""

from __future__ import annotations

import sqlite3

import pytest

from newsletter_cli.delivery.base import Outcome, Status
from newsletter_cli.errors import Refused, UnknownNameError
from newsletter_cli.journal import Journal, send_lock

SEND = "issue--list-abc123"


def test_journal_is_wal_and_survives_reopening(journal, open_send):
    open_send(SEND)
    journal.enqueue(SEND, ["a@example.org", "b@example.org"])
    journal.record(SEND, [Outcome("a@example.org", Status.ACCEPTED, message_id="m1")])
    assert journal._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # another connection (another process after a crash) sees every committed change
    other = sqlite3.connect(journal.path)
    rows = dict(other.execute("SELECT email, status FROM recipients"))
    assert rows == {"a@example.org": "accepted", "b@example.org": "queued"}


def test_enqueue_keeps_known_statuses(journal, open_send):
    open_send(SEND)
    journal.enqueue(SEND, ["a@example.org"])
    journal.record(SEND, [Outcome("a@example.org", Status.ACCEPTED)])
    assert journal.enqueue(SEND, ["a@example.org", "b@example.org"]) == 1
    assert journal.statuses(SEND) == {"a@example.org": Status.ACCEPTED,
                                      "b@example.org": Status.QUEUED}  # fmt: skip


def test_in_flight_becomes_uncertain_after_a_crash(journal, open_send):
    open_send(SEND)
    journal.enqueue(SEND, ["a@example.org", "b@example.org"])
    journal.set_status(SEND, ["a@example.org"], Status.SENDING)
    assert journal.recover_in_flight(SEND) == 1
    assert journal.statuses(SEND)["a@example.org"] is Status.UNCERTAIN
    assert journal.recipients(SEND, [Status.UNCERTAIN])[0].attempts == 1


def test_a_later_suppression_never_rewrites_an_accepted_recipient(journal, open_send):
    open_send(SEND)
    journal.enqueue(SEND, ["a@example.org", "b@example.org"])
    journal.record(SEND, [Outcome("a@example.org", Status.ACCEPTED)])
    journal.set_new(SEND, [("a@example.org", Status.SUPPRESSED, None),
                           ("b@example.org", Status.SUPPRESSED, None)])  # fmt: skip
    assert journal.statuses(SEND) == {"a@example.org": Status.ACCEPTED,
                                      "b@example.org": Status.SUPPRESSED}  # fmt: skip


def test_set_status_guard_only_moves_allowed_rows(journal, open_send):
    open_send(SEND)
    journal.enqueue(SEND, ["a@example.org", "b@example.org"])
    journal.record(SEND, [Outcome("a@example.org", Status.ACCEPTED)])
    journal.set_status(SEND, ["a@example.org", "b@example.org"], Status.SENDING,
                       only_from=[Status.QUEUED])  # fmt: skip
    assert journal.statuses(SEND)["a@example.org"] is Status.ACCEPTED


def test_unknown_send(journal):
    with pytest.raises(UnknownNameError):
        journal.require_send("nope")
    assert Journal.open_existing(journal.path.parent / "missing.sqlite") is None


def test_a_second_run_of_the_same_send_is_refused(tmp_path):
    with send_lock(tmp_path, SEND):
        with pytest.raises(Refused, match="already running"):
            with send_lock(tmp_path, SEND):
                pass
        with send_lock(tmp_path, "another-send"):
            pass
    with send_lock(tmp_path, SEND):  # released
        pass

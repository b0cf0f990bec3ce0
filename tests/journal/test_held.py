"""Sends held in the journal until their time (schema 3), on every store."""

from __future__ import annotations

from support.journal import new_send

from newsletter_cli.journal import Person
from newsletter_cli.journal.status import Status
from newsletter_cli.journal.store import SCHEMA_VERSION

A, B, C = "a@example.org", "b@example.org", "c@example.org"
T = 1_900_000_000  # a unix time in 2030


def hold(journal, send_id, emails, *, at=T, start=T - 3600):
    new_send(journal, send_id)
    journal.enqueue(send_id, [Person(e) for e in emails])
    moved = journal.move_all(send_id, Status.HELD, among=[Status.QUEUED])
    journal.update_send(send_id, state="held", send_at=at, hand_over_from=start,
                        request='{"issue": "issues/x.yaml"}')  # fmt: skip
    return moved


def test_a_held_send_keeps_its_time_and_request_and_is_due_from_its_hand_over(journal):
    assert hold(journal, "later", [A, B], at=T + 86400, start=T + 3600) == 2
    hold(journal, "sooner", [C])
    new_send(journal, "live-now")
    record = journal.get_send("later")
    assert record.held and record.send_at == T + 86400 and record.hand_over_from == T + 3600
    assert record.request == '{"issue": "issues/x.yaml"}' and record.handed_over is None
    assert [r.id for r in journal.held_sends()] == ["sooner", "later"]  # soonest first
    assert journal.held_sends(due_by=T - 3601) == []
    assert [r.id for r in journal.held_sends(due_by=T - 3600)] == ["sooner"]
    assert [r.id for r in journal.held_sends(due_by=T + 3600)] == ["sooner", "later"]
    journal.update_send("sooner", hold_note="a link died")
    assert journal.get_send("sooner").hold_note == "a link died"
    # handed over: no longer held, the moment kept
    journal.move_all("sooner", Status.QUEUED, among=[Status.HELD])
    journal.update_send("sooner", state="open", hand_over_from=None, handed_over=T + 5.5)
    handed = journal.get_send("sooner")
    assert not handed.held and handed.handed_over == T + 5.5 and handed.send_at == T
    assert journal.statuses("sooner") == {C: Status.QUEUED}
    assert [r.id for r in journal.held_sends()] == ["later"]


def test_held_people_count_as_having_the_issue_until_the_hold_is_cancelled(journal):
    hold(journal, "held", [A, B])
    other = new_send(journal, "other", lists=("send-network",))
    journal.enqueue(other, [Person(A), Person(C)])
    assert journal.received("2025-09", exclude=other) == {A: "held", B: "held"}
    claim = journal.claim(other, [A, C], among=[Status.QUEUED], batch=1, issue="2025-09")
    assert claim.skipped == {A: "held"} and claim.sending == [C]
    # cancelled before hand-over: nobody gets it from the held send, so others may send
    assert journal.move_all("held", Status.CANCELLED, among=[Status.HELD]) == 2
    assert journal.received("2025-09", exclude=other) == {}
    assert journal.counts("held") == {Status.CANCELLED: 2}


def test_a_version_2_journal_is_upgraded_in_place(open_store):
    journal = open_store()
    hold(journal, "old", [A])
    with journal._tx() as cur:  # make it the layout version 2 wrote
        for column in ("hand_over_from", "handed_over", "hold_note", "request"):
            cur.execute(f"ALTER TABLE sends DROP COLUMN {column}")
        cur.execute("UPDATE journal_meta SET value = '2' WHERE key = 'schema_version'")
    journal.close()
    again = open_store()
    assert again.schema_version() == SCHEMA_VERSION == 3
    record = again.get_send("old")
    assert record.state == "held" and record.send_at == T
    assert record.hand_over_from is None and record.request is None
    again.update_send("old", hand_over_from=T - 60, hold_note="x")
    assert [r.id for r in again.held_sends(due_by=T)] == ["old"]

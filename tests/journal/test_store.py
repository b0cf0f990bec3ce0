"""The journal's one behaviour, run against every store (see conftest.STORES)."""

from __future__ import annotations

import threading
import time

import pytest
from support.journal import new_send

from newsletter_cli.errors import Refused
from newsletter_cli.journal import Person
from newsletter_cli.journal.status import Outcome, Status
from newsletter_cli.journal.store import SCHEMA_VERSION

SEND = "issue--list-abc123"
A, B, C = "a@example.org", "b@example.org", "c@example.org"


def accept(journal, send_id, *emails):
    journal.enqueue(send_id, [Person(e) for e in emails])
    journal.record(send_id, [Outcome(e, Status.ACCEPTED, message_id="m") for e in emails])


def test_a_fresh_store_is_at_the_current_schema_version(journal):
    assert journal.schema_version() == SCHEMA_VERSION


def test_sends_are_created_once_and_listed_by_issue(journal):
    new_send(journal, "one", issue="2025-09")
    new_send(journal, "two", issue="2025-10", delivers=False)
    again = journal.open_send("one", issue="changed", lists=["x"], mode="test", backend="b",
                              subject="s", issue_sha="y")  # fmt: skip
    assert again.issue == "2025-09" and again.lists == ("dcs",) and again.delivers
    assert [r.id for r in journal.sends()] == ["one", "two"]
    assert [r.id for r in journal.sends("2025-10")] == ["two"]
    assert journal.get_send("two").delivers is False
    assert journal.get_send("nope") is None
    journal.update_send("one", state="done", send_at=1_900_000_000, batch_id="b1")
    record = journal.get_send("one")
    assert (record.state, record.send_at, record.batch_id) == ("done", 1_900_000_000, "b1")
    with pytest.raises(ValueError):
        journal.update_send("one", issue="other")


def test_enqueue_keeps_known_statuses_and_the_details_proof_needs(journal):
    new_send(journal, SEND)
    journal.enqueue(SEND, [Person(A, "Ann Ash", "Dudley Council", ("dcs", "send-network"))])
    journal.record(SEND, [Outcome(A, Status.ACCEPTED)])
    assert journal.enqueue(SEND, [Person(A, "Renamed"), Person(B)]) == 1
    assert journal.statuses(SEND) == {A: Status.ACCEPTED, B: Status.QUEUED}
    row = journal.recipients(SEND, [Status.ACCEPTED])[0]
    assert (row.name, row.organisation, row.lists) == ("Ann Ash", "Dudley Council",
                                                       ("dcs", "send-network"))  # fmt: skip
    assert row.send_id == SEND and row.updated is not None


def test_in_flight_becomes_uncertain_after_a_crash(journal):
    new_send(journal, SEND)
    journal.enqueue(SEND, [Person(A), Person(B)])
    claim = journal.claim(SEND, [A], among=[Status.QUEUED], batch=1)
    assert claim.sending == [A] and journal.last_batch(SEND) == 1
    assert journal.recover_in_flight(SEND) == 1
    row = journal.recipients(SEND, [Status.UNCERTAIN])[0]
    assert (row.email, row.attempts, row.batch) == (A, 1, 1) and row.sent_at is not None


def test_a_later_suppression_never_rewrites_an_accepted_recipient(journal):
    new_send(journal, SEND)
    accept(journal, SEND, A)
    journal.enqueue(SEND, [Person(B)])
    journal.set_new(SEND, [(Person(A), Status.SUPPRESSED, None),
                           (Person(B), Status.SUPPRESSED, "unsubscribed")])  # fmt: skip
    assert journal.statuses(SEND) == {A: Status.ACCEPTED, B: Status.SUPPRESSED}


def test_set_status_guard_only_moves_allowed_rows(journal):
    new_send(journal, SEND)
    accept(journal, SEND, A)
    journal.enqueue(SEND, [Person(B)])
    journal.set_status(SEND, [A, B], Status.FAILED, reason="r", only_from=[Status.QUEUED])
    assert journal.statuses(SEND) == {A: Status.ACCEPTED, B: Status.FAILED}


def test_received_counts_only_live_sends_of_the_issue_that_reached_someone(journal):
    new_send(journal, "dcs", issue="2025-09")
    accept(journal, "dcs", A)
    journal.enqueue("dcs", [Person(B), Person(C)])
    journal.record("dcs", [Outcome(B, Status.UNCERTAIN), Outcome(C, Status.FAILED)])
    new_send(journal, "test", mode="test")
    accept(journal, "test", C)
    new_send(journal, "sandbox", mode="sandbox")
    accept(journal, "sandbox", C)
    new_send(journal, "other-issue", issue="2025-10")
    accept(journal, "other-issue", C)
    new_send(journal, "outbox", delivers=False)
    accept(journal, "outbox", C)
    assert journal.received("2025-09") == {A: "dcs", B: "dcs"}
    # an outbox rehearsal is held back by every live send, the outbox ones included
    assert journal.received("2025-09", exclude="outbox", delivering=False) == {A: "dcs",
                                                                              B: "dcs"}  # fmt: skip
    assert journal.received("2025-09", delivering=False)[C] == "outbox"
    assert journal.received("2025-09", exclude="dcs") == {}


def test_claim_skips_whoever_another_send_reached_and_names_it(journal):
    new_send(journal, "first")
    accept(journal, "first", A)
    new_send(journal, "second")
    journal.enqueue("second", [Person(A), Person(B)])
    claim = journal.claim("second", [A, B], among=[Status.QUEUED], batch=1, issue="2025-09")
    assert claim.sending == [B] and claim.skipped == {A: "first"}
    skipped = journal.recipients("second", [Status.SKIPPED])[0]
    assert skipped.reason == "already received this issue in send first"
    # without the issue (--allow-repeat, tests), nobody is skipped
    journal.enqueue("second", [Person(C)])
    accept(journal, "first", C)
    again = journal.claim("second", [C], among=[Status.QUEUED], batch=2)
    assert again.sending == [C] and again.skipped == {}


def test_skip_received_looks_again_each_run(journal):
    new_send(journal, "first")
    accept(journal, "first", A)
    new_send(journal, "second")
    journal.enqueue("second", [Person(A), Person(B)])
    among = [Status.QUEUED, Status.FAILED]
    assert journal.skip_received("second", "2025-09", delivering=True, among=among) == {
        A: "first"}  # fmt: skip
    assert journal.statuses("second") == {A: Status.SKIPPED, B: Status.QUEUED}
    # the first send's copy turns out never to have left: the second send may now reach A
    journal.record("first", [Outcome(A, Status.FAILED, reason="never taken")])
    assert journal.skip_received("second", "2025-09", delivering=True, among=among) == {}
    assert journal.statuses("second") == {A: Status.QUEUED, B: Status.QUEUED}
    # --allow-repeat (no issue): skipped rows become sendable
    accept(journal, "first", A)
    journal.skip_received("second", "2025-09", delivering=True, among=among)
    journal.skip_received("second", None, delivering=True, among=among)
    assert journal.statuses("second")[A] is Status.QUEUED


def test_two_sends_of_one_issue_claiming_at_once_never_both_take_a_person(open_store):
    people = [f"p{i:03d}@example.org" for i in range(300)]
    setup = open_store()
    for name in ("left", "right"):
        new_send(setup, name)
        setup.enqueue(name, [Person(e) for e in people])
    stores = {"left": open_store(), "right": open_store()}
    start = threading.Barrier(2)
    taken: dict[str, list[str]] = {"left": [], "right": []}

    def run(name: str) -> None:
        start.wait()
        for batch, at in enumerate(range(0, len(people), 25), start=1):
            chunk = people[at : at + 25]
            claim = stores[name].claim(name, chunk, among=[Status.QUEUED], batch=batch,
                                       issue="2025-09")  # fmt: skip
            taken[name] += claim.sending
            stores[name].record(name, [Outcome(e, Status.ACCEPTED) for e in claim.sending])

    threads = [threading.Thread(target=run, args=(n,)) for n in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not set(taken["left"]) & set(taken["right"])
    assert sorted(taken["left"] + taken["right"]) == people


def test_issue_recipients_lists_every_live_send_of_the_issue(journal):
    new_send(journal, "dcs")
    accept(journal, "dcs", A)
    new_send(journal, "test", mode="test")
    accept(journal, "test", B)
    new_send(journal, "network")
    journal.enqueue("network", [Person(A), Person(C)])
    rows = journal.issue_recipients("2025-09")
    assert [(r.send_id, r.email) for r in rows] == [("dcs", A), ("network", A), ("network", C)]


def test_counts_and_recipients_by_status(journal):
    new_send(journal, SEND)
    accept(journal, SEND, A, B)
    journal.enqueue(SEND, [Person(C)])
    assert journal.counts(SEND) == {Status.ACCEPTED: 2, Status.QUEUED: 1}
    assert [r.email for r in journal.recipients(SEND)] == [A, B, C]
    assert [r.email for r in journal.recipients(SEND, [Status.QUEUED])] == [C]


def test_a_second_run_of_the_same_send_is_refused(open_store):
    first, second = open_store(), open_store()
    assert not first.running(SEND)
    with first.send_lock(SEND):
        assert second.running(SEND)
        with pytest.raises(Refused, match="already running"):
            with second.send_lock(SEND):
                pass
        with second.send_lock("another-send"):
            pass
    assert not second.running(SEND)
    with second.send_lock(SEND):  # released
        pass


def test_accepted_since_counts_one_backends_recent_acceptances(journal):
    """The SMTP daily limit asks this: accepted through a backend since a time."""
    for send_id, backend in (("smtp-1", "smtp"), ("smtp-2", "smtp"), ("sg-1", "sendgrid")):
        journal.open_send(send_id, issue="2025-09", lists=("dcs",), mode="live",
                          backend=backend, subject="s", issue_sha="x")  # fmt: skip
        journal.enqueue(send_id, [Person(f"{n}@example.org") for n in "abc"])
    journal.set_status("smtp-1", ["a@example.org", "b@example.org"], Status.ACCEPTED)
    journal.set_status("smtp-2", ["a@example.org"], Status.ACCEPTED)
    journal.set_status("smtp-2", ["b@example.org"], Status.FAILED)
    journal.set_status("sg-1", ["a@example.org", "b@example.org"], Status.ACCEPTED)
    now = time.time()
    assert journal.accepted_since("smtp", now - 60) == 3
    assert journal.accepted_since("sendgrid", now - 60) == 2
    assert journal.accepted_since("smtp", now + 60) == 0  # nothing accepted after now


def test_addresses_sort_by_code_point_whatever_the_server_locale(journal):
    # the test server's databases sort text as British English would ('a' before 'B');
    # the journal's answers keep SQLite's order (byte by byte: 'B' before 'a')
    new_send(journal, "b-send")
    new_send(journal, "B-send")
    people = ["b@example.org", "B@example.org", "a.b@example.org", "ab@example.org"]
    journal.enqueue("b-send", [Person(e) for e in people])
    assert [r.email for r in journal.recipients("b-send")] == sorted(people)
    assert [r.id for r in journal.sends()] == ["b-send", "B-send"]  # oldest first
    journal.update_send("B-send", state="done")
    assert journal.get_send("B-send").state == "done" and journal.get_send("b-send").state == "open"

"""Scheduling any time ahead: sends held in the journal, handed over by `send --due`.

Every command reads the injected clock (the ``clock`` fixture), so "five days later" is a
line of the test; the fake SendGrid judges ``send_at`` by the same clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from support.issues import SEPTEMBER, members, ready
from support.sendgrid import API_KEY
from support.sending import use_smtp

from newsletter_cli.delivery.hold import HAND_OVER_MARGIN
from newsletter_cli.journal.history import london_time

SENDGRID_AHEAD = timedelta(hours=72) - HAND_OVER_MARGIN


def at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def send_id_of(output: str) -> str:
    return next(w for w in output.split() if w.startswith("2025-09-regional-update--"))


def outbox_files(project_dir) -> list:
    return sorted((project_dir / "outbox").rglob("*.eml"))


@pytest.fixture
def sendgrid_env(fake, clock) -> dict[str, str]:
    fake.clock = clock.timestamp  # send_at is judged against the test's time
    return {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}


def test_sendgrid_five_days_ahead_is_held_then_handed_over_inside_72_hours(
    invoke, project_dir, clock, fake, sendgrid_env
):
    ready(project_dir)
    when = clock.now() + timedelta(days=5)
    held = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                  "--at", at(when), env=sendgrid_env)  # fmt: skip
    assert held.exit_code == 0, held.output
    dcs = members(project_dir, "dcs")
    assert f"Held in the journal: {len(dcs)} recipient(s)" in held.output
    assert fake.mail_requests == [] and fake.batches == set()  # nothing handed over
    send_id = send_id_of(held.output)
    start = when - SENDGRID_AHEAD
    assert (f"held until {london_time(when.timestamp(), weekday=True)} (hand-over from "
            f"{london_time(start.timestamp(), weekday=True)})") in invoke("history").stdout

    clock.advance(days=1)
    early = invoke("send", "--due", env=sendgrid_env)
    assert early.exit_code == 0 and "Nothing is due" in early.output
    assert fake.mail_requests == []

    clock.advance(hours=25)  # now 71 hours before the time: within SendGrid's reach
    due = invoke("send", "--due", env=sendgrid_env)
    assert due.exit_code == 0, due.output
    body = fake.mail_requests[0].body
    assert body["send_at"] == int(when.timestamp()) and body["batch_id"] in fake.batches
    assert sorted(fake.accepted) == sorted(dcs)
    assert f"SendGrid will send to {len(dcs)} recipient(s)" in due.output
    handed = f"handed over at {london_time(clock.timestamp())}"
    assert f"scheduled for {london_time(when.timestamp(), weekday=True)}, {handed}" in (
        invoke("history", send_id).stdout)
    assert "Nothing is due" in invoke("send", "--due", env=sendgrid_env).output

    cancelled = invoke("cancel", send_id, env=sendgrid_env)  # after hand-over: SendGrid's cancel
    assert cancelled.exit_code == 0, cancelled.output
    assert fake.cancelled == [body["batch_id"]]
    assert f"{len(dcs)} cancelled" in invoke("history").stdout


@pytest.mark.parametrize("backend", ["sendgrid", "smtp", "outbox"])
def test_cancel_before_hand_over_works_for_every_backend(
    invoke, project_dir, clock, fake, sendgrid_env, smtp_sink, backend
):
    ready(project_dir)
    use_smtp(project_dir, smtp_sink.port)
    when = clock.now() + timedelta(days=4)
    held = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", backend,
                  "--at", at(when), env=sendgrid_env)  # fmt: skip
    assert held.exit_code == 0, held.output
    send_id = send_id_of(held.output)
    dcs = members(project_dir, "dcs")
    cancelled = invoke("cancel", send_id, env=sendgrid_env)
    assert cancelled.exit_code == 0, cancelled.output
    assert f"Cancelled {send_id}: {len(dcs)} recipient(s) will not get it" in cancelled.output
    clock.advance(days=5)
    due = invoke("send", "--due", env=sendgrid_env)
    assert due.exit_code == 0 and "Nothing is due" in due.output
    assert fake.requests == [] and smtp_sink.messages == [] and outbox_files(project_dir) == []
    history = invoke("history").stdout
    assert "cancelled" in history and f"{len(dcs)} cancelled" in history


def test_smtp_is_held_then_delivered_by_due_at_its_time(invoke, project_dir, clock, smtp_sink):
    ready(project_dir)
    use_smtp(project_dir, smtp_sink.port)
    when = clock.now() + timedelta(days=2)
    held = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp",
                  "--at", at(when))  # fmt: skip
    assert held.exit_code == 0, held.output
    assert "hands it over at that time" in held.output and smtp_sink.messages == []
    send_id = send_id_of(held.output)
    assert f"held until {london_time(when.timestamp(), weekday=True)}" in invoke("history").stdout
    clock.advance(days=1, hours=23, minutes=59)
    assert "Nothing is due" in invoke("send", "--due").output and smtp_sink.messages == []
    clock.advance(minutes=1)
    due = invoke("send", "--due")
    assert due.exit_code == 0, due.output
    dcs = members(project_dir, "dcs")
    assert sorted(smtp_sink.accepted) == sorted(dcs)
    assert f"The SMTP server accepted the email for {len(dcs)} recipient(s)." in due.output
    assert (f"done (scheduled for {london_time(when.timestamp(), weekday=True)}, handed over "
            f"at {london_time(clock.timestamp())})") in invoke("history").stdout
    late = invoke("cancel", send_id)
    assert late.exit_code == 1 and "has gone" in late.output
    assert "Nothing is due" in invoke("send", "--due").output
    assert len(smtp_sink.messages) == len(dcs)


def test_outbox_held_counts_for_once_per_issue_then_is_written_at_its_time(
    invoke, project_dir, clock
):
    ready(project_dir)
    when = clock.now() + timedelta(days=3)
    held = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--at", at(when))
    assert held.exit_code == 0, held.output
    held_id = send_id_of(held.output)
    assert outbox_files(project_dir) == []
    dcs, network = members(project_dir, "dcs"), members(project_dir, "send-network")
    both = set(dcs) & set(network)
    assert both, "the sample's lists share people"
    # meanwhile the same issue goes to another list: who is held for the first is skipped
    now = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert now.exit_code == 0, now.output
    assert f"{len(both)} skipped: already received this issue in send {held_id}." in now.output
    clock.advance(days=3)
    due = invoke("send", "--due")
    assert due.exit_code == 0, due.output
    files = outbox_files(project_dir)
    assert len(files) == len(set(dcs) | set(network))  # one copy each
    assert len([f for f in files if f.parent.name == held_id]) == len(dcs)


def dated_issue(project_dir, today: date, deadline: date) -> str:
    """A clean issue from three days ago, one event a week ahead, booking by ``deadline``."""
    path = project_dir / "issues" / "held.yaml"
    path.write_text(
        f"title: T\nissue_date: {today - timedelta(days=3)}\nsubject: News\n"
        "preheader: All the news\nblocks:\n  - kind: event\n    title: Workshop\n"
        f"    start: {today + timedelta(days=7)} 10:00\n    deadline: {deadline}\n"
        "    links:\n      - text: Book a place\n        url: https://example.org/book\n",
        encoding="utf-8",
    )
    return "issues/held.yaml"


def test_a_due_send_whose_booking_deadline_passed_stays_held(invoke, project_dir, clock):
    today = clock.now().date()
    issue = dated_issue(project_dir, today, deadline=today + timedelta(days=3))
    when = clock.now() + timedelta(days=2)
    held = invoke("send", issue, "--list", "dcs", "--yes", "--at", at(when))
    assert held.exit_code == 0, held.output
    clock.advance(days=4)  # the computer was off: --due runs two days late
    due = invoke("send", "--due")
    assert due.exit_code == 1
    assert "booking deadline" in due.output and "has passed" in due.output
    assert "it stays held" in due.output and "1 of 1 due send(s) stayed held" in due.output
    assert outbox_files(project_dir) == []
    history = invoke("history").stdout
    assert "held until" in history and "not handed over:" in history


def test_a_due_send_refuses_an_issue_file_changed_since_scheduling(invoke, project_dir, clock):
    path = ready(project_dir)
    when = clock.now() + timedelta(days=1)
    held = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--at", at(when))
    assert held.exit_code == 0, held.output
    path.write_text(path.read_text(encoding="utf-8") + "# a late edit\n", encoding="utf-8")
    clock.advance(days=1)
    due = invoke("send", "--due")
    assert due.exit_code == 1
    assert "the issue file changed after send" in due.output and "--at" in due.output
    assert outbox_files(project_dir) == []
    # scheduling it again (the same command) takes the file as it is now
    again = invoke("send", SEPTEMBER, "--list", "dcs", "--yes",
                   "--at", at(clock.now() + timedelta(hours=1)))  # fmt: skip
    assert again.exit_code == 0, again.output
    clock.advance(hours=1)
    assert invoke("send", "--due").exit_code == 0
    assert len(outbox_files(project_dir)) == len(members(project_dir, "dcs"))


def test_due_takes_no_issue_and_send_needs_one(invoke, project_dir):
    with_issue = invoke("send", SEPTEMBER, "--due")
    assert with_issue.exit_code == 2 and "--due hands over every held send" in with_issue.output
    bare = invoke("send")
    assert bare.exit_code == 2 and "no issue given" in bare.output
    assert "Nothing is due" in invoke("send", "--due").output


def test_a_test_send_is_never_held(invoke, project_dir, clock):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--test-to", "me@example.org", "--yes",
                    "--at", at(clock.now() + timedelta(days=4)))  # fmt: skip
    assert result.exit_code == 2 and "a test send goes now" in result.output

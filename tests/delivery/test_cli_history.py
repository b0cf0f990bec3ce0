"""`newsletter history`: states, proof of who got a send or an issue (table, CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from support.issues import SEPTEMBER, members, ready
from support.sendgrid import API_KEY
from support.sending import in_hours

from newsletter_cli.journal.history import describe_state
from newsletter_cli.journal.status import Status
from newsletter_cli.journal.store import SendRecord


def sends(invoke) -> list[str]:
    return [line.split()[0] for line in invoke("history").stdout.splitlines()
            if line.startswith("2025-09-regional-update--")]  # fmt: skip


def two_sends(invoke, project_dir) -> tuple[str, str]:
    ready(project_dir)
    assert invoke("send", SEPTEMBER, "--list", "dcs", "--yes").exit_code == 0
    assert invoke("send", SEPTEMBER, "--list", "send-network", "--yes").exit_code == 0
    dcs_send, network_send = sends(invoke)
    return dcs_send, network_send


def test_one_sends_recipients_as_csv_is_clean_and_complete(invoke, project_dir):
    dcs_send, network_send = two_sends(invoke, project_dir)
    result = invoke("history", network_send, "--recipients", "--csv")
    assert result.exit_code == 0 and result.stderr == ""
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    network = members(project_dir, "send-network")
    assert len(rows) == len(network) + 1  # and the one suppressed
    assert list(rows[0]) == ["email", "name", "organisation", "lists", "status", "time",
                             "message_id", "reason"]  # fmt: skip
    by_email = {r["email"]: r for r in rows}
    dcs = members(project_dir, "dcs")
    assert by_email[dcs[0]]["status"] == "skipped"
    assert by_email[dcs[0]]["reason"] == f"already received this issue in send {dcs_send}"
    new = next(e for e in network if e not in dcs)
    assert by_email[new]["status"] == "accepted" and by_email[new]["message_id"].endswith(".eml")
    assert by_email[new]["lists"] == "send-network" and by_email[new]["name"]
    assert by_email[new]["time"].startswith("20") and by_email[new]["time"][-6:] in ("+00:00",
                                                                                    "+01:00")  # fmt: skip
    assert sum(r["status"] == "suppressed" for r in rows) == 1


def test_an_issues_recipients_one_row_per_person_from_the_send_that_reached_them(invoke,
                                                                                project_dir):  # fmt: skip
    dcs_send, network_send = two_sends(invoke, project_dir)
    result = invoke("history", "--issue", SEPTEMBER, "--recipients", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    rows = json.loads(result.stdout)
    emails = [r["email"] for r in rows]
    assert len(emails) == len(set(emails))  # one row per person
    by_email = {r["email"]: r for r in rows}
    for email in members(project_dir, "dcs"):
        assert by_email[email]["send"] == dcs_send and by_email[email]["status"] == "accepted"
        assert by_email[email]["lists"] == ["dcs"]
    reached = {r["email"] for r in rows if r["status"] == "accepted"}
    assert reached == set(members(project_dir, "send-network"))
    # the issue's name works as well as its file; the table says who and from which send
    table = invoke("history", "--issue", "2025-09-regional-update", "--recipients")
    assert table.exit_code == 0 and network_send in table.stdout and dcs_send in table.stdout


def test_a_sends_recipients_as_a_table(invoke, project_dir):
    dcs_send, _ = two_sends(invoke, project_dir)
    result = invoke("history", dcs_send, "--recipients")
    assert result.exit_code == 0
    first = members(project_dir, "dcs")[0]
    line = next(line for line in result.stdout.splitlines() if first in line)
    assert "accepted" in line and "dcs" in line
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d\d[ap]m\b", line)  # UK time


def test_unknown_send_ids_suggest_the_nearest(invoke, project_dir):
    dcs_send, network_send = two_sends(invoke, project_dir)
    result = invoke("history", network_send.replace("network", "netwrk"), "--recipients")
    assert result.exit_code == 2
    assert "no send with id" in result.stderr and f"closest: {network_send}" in result.stderr
    assert result.stdout == ""
    assert invoke("history", "--recipients").exit_code == 2
    assert invoke("history", "--csv", "--json").exit_code == 2
    # a unique start of an id is enough
    assert invoke("history", dcs_send[:-3]).exit_code == 0


def test_the_send_list_as_json(invoke, project_dir):
    two_sends(invoke, project_dir)
    listing = json.loads(invoke("history", "--json").stdout)
    assert [entry["state"] for entry in listing] == ["done", "done"]
    assert listing[1]["counts"] == {"accepted": 15, "skipped": 14, "suppressed": 1}
    assert invoke("history", "--issue", "2025-04-regional-update", "--json").stdout == "[]\n"


def test_scheduled_then_cancelled_twice(invoke, project_dir, fake):
    ready(project_dir)
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}
    scheduled = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                       "--at", in_hours(5), env=env)  # fmt: skip
    assert scheduled.exit_code == 0, scheduled.output
    (send_id,) = sends(invoke)
    assert "scheduled for " in invoke("history").stdout
    assert "scheduled for " in invoke("history", send_id).stdout
    first = invoke("cancel", send_id, env=env)
    assert first.exit_code == 0 and "Cancelled" in first.stdout
    second = invoke("cancel", send_id, env=env)
    assert second.exit_code == 0
    assert f"Send {send_id} was already cancelled; nothing to do." in second.stdout
    assert len(fake.cancelled) == 1  # SendGrid was asked once
    assert "cancelled" in invoke("history").stdout


def record(**changes) -> SendRecord:
    base = dict(id="s", issue="i", lists=("dcs",), mode="live", backend="sendgrid", subject="x",
                issue_sha="", send_at=None, batch_id=None, state="open", created=0.0,
                updated=0.0)  # fmt: skip
    return SendRecord(**{**base, **changes})


def test_states_in_words():
    at = 1_790_000_000  # Monday 21 September 2026, 3:13pm in London
    scheduled = record(send_at=at, batch_id="b")
    counts = {Status.ACCEPTED: 3}
    assert describe_state(scheduled, counts, now=at - 3600) == (
        "scheduled for Monday 21 September 2026, 3:13pm")
    assert describe_state(scheduled, counts, now=at + 60) == "done"  # its time has passed
    stopped = {Status.ACCEPTED: 1000, Status.QUEUED: 1400, Status.UNCERTAIN: 100}
    assert describe_state(record(), stopped) == "stopped, 1400 left (100 uncertain)"
    assert describe_state(record(), stopped, running=True) == "running"
    assert describe_state(record(state="cancelled"), {Status.CANCELLED: 3}) == "cancelled"
    assert describe_state(record(), {Status.UNCERTAIN: 2, Status.ACCEPTED: 1}) == (
        "done, 2 uncertain")


@pytest.mark.posix
def test_history_reads_well_in_a_60_column_terminal(invoke, project_dir):
    from support.terminal import run_in_terminal, too_wide

    dcs_send, network_send = two_sends(invoke, project_dir)
    sends_list = run_in_terminal("history", cwd=project_dir, columns=60)
    assert too_wide(sends_list, 60) == []
    flat = " ".join(sends_list.split())
    assert f"{dcs_send} (live, outbox, done)" in flat
    proof = run_in_terminal("history", network_send, "--recipients", cwd=project_dir, columns=60)
    assert too_wide(proof, 60) == [] and "…" not in proof
    first = members(project_dir, "send-network")[0]
    block = proof[proof.index(first):].split("\n\n")[0]
    assert re.search(r"Status: (accepted|skipped)", block)
    assert "Reason: already received this issue in send" in " ".join(proof.split())
    wide = run_in_terminal("history", network_send, "--recipients", cwd=project_dir, columns=320)
    assert re.search(r"^Email\s+┃ Name\s+┃ Organisation", wide, re.M)  # a table when it fits


def test_recipients_csv_neutralises_formulas_and_json_keeps_them(invoke, project_dir):
    from support.spreadsheet import (
        DDE,
        HYPERLINK,
        MINUS,
        add_hostile_contacts,
        formulas,
        neutralised,
    )

    hostile = add_hostile_contacts(project_dir)
    ready(project_dir)
    assert invoke("send", SEPTEMBER, "--list", "dcs", "--yes").exit_code == 0
    (send_id,) = sends(invoke)
    for args in ((send_id, "--recipients"), ("--issue", SEPTEMBER, "--recipients")):
        result = invoke("history", *args, "--csv")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert formulas(rows) == []
        by_email = {r["email"]: r for r in rows}
        assert set(hostile) <= set(by_email)
        assert by_email[hostile[0]]["name"] == "'" + HYPERLINK
        assert by_email[hostile[1]]["name"] == "'" + DDE
        assert by_email[hostile[2]]["name"] in neutralised("\t=cmd")
        assert by_email[hostile[2]]["organisation"] == "'" + HYPERLINK
        assert by_email[hostile[3]]["organisation"] == "'" + MINUS
    data = json.loads(invoke("history", send_id, "--recipients", "--json").stdout)
    assert {r["email"]: r["name"] for r in data}[hostile[0]] == HYPERLINK
    text = " ".join(invoke("history", "--help").output.split())
    assert "Cells starting with = + - @ are prefixed with ' for spreadsheets" in text

"""Once per person per issue: across lists, runs and backends (outbox and the fake SendGrid).

Each test runs on the embedded SQLite journal and on a shared PostgreSQL one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from support.issues import SEPTEMBER, members, ready
from support.journal import journal_of
from support.sendgrid import API_KEY
from support.sending import in_hours

pytestmark = pytest.mark.usefixtures("either_journal")


@pytest.fixture
def sendgrid_env(fake) -> dict[str, str]:
    return {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}


def outbox_files(project_dir: Path, send_id: str) -> set[str]:
    return {p.name for p in (project_dir / "outbox" / send_id).glob("*.eml")}


def send_ids(invoke) -> list[str]:
    listing = invoke("history").output.splitlines()
    return [line.split()[0] for line in listing if line.startswith("2025-09-regional-update--")]


def journal_rows(project_dir: Path, send_id: str) -> dict[str, tuple[str, str | None]]:
    with journal_of(project_dir) as journal:
        return {r.email: (r.status.value, r.reason) for r in journal.recipients(send_id)}


def test_cross_list_with_the_outbox_skips_the_14_dcss(invoke, project_dir):
    ready(project_dir)
    dcs, network = members(project_dir, "dcs"), members(project_dir, "send-network")
    assert len(dcs) == 14 and set(dcs) < set(network)
    first = invoke("send", SEPTEMBER, "--list", "dcs", "--yes")
    assert first.exit_code == 0, first.output
    (dcs_send,) = send_ids(invoke)

    dry = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"14 already received this issue in send {dcs_send}; skipped" in dry.output
    assert f"{len(network) - 14} to send now" in dry.output

    second = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert second.exit_code == 0, second.output
    assert f"14 already received this issue in send {dcs_send}; skipped" in second.output
    network_send = next(i for i in send_ids(invoke) if i != dcs_send)
    written = outbox_files(project_dir, network_send)
    assert len(written) == len(network) - 14
    assert not written & outbox_files(project_dir, dcs_send)
    rows = journal_rows(project_dir, network_send)
    skipped = {e for e, (status, _) in rows.items() if status == "skipped"}
    assert skipped == set(dcs)
    assert rows[dcs[0]][1] == f"already received this issue in send {dcs_send}"
    assert "14 skipped" in invoke("history").output


def test_cross_list_through_sendgrid_sends_each_person_once(invoke, project_dir, fake,
                                                            sendgrid_env):  # fmt: skip
    ready(project_dir)
    dcs, network = members(project_dir, "dcs"), members(project_dir, "send-network")
    common = ("--yes", "--backend", "sendgrid")
    first = invoke("send", SEPTEMBER, "--list", "dcs", *common, env=sendgrid_env)
    assert first.exit_code == 0, first.output
    (dcs_send,) = send_ids(invoke)
    second = invoke("send", SEPTEMBER, "--list", "send-network", *common, env=sendgrid_env)
    assert second.exit_code == 0, second.output
    assert f"14 already received this issue in send {dcs_send}; skipped" in second.output
    assert Counter(fake.accepted) == Counter({e: 1 for e in network})
    assert not set(dcs) & set(fake.mail_requests[1].addresses)
    # a third list overlapping both: only the new people
    third = invoke("send", SEPTEMBER, "--list", "everyone", *common, env=sendgrid_env)
    assert third.exit_code == 0, third.output
    assert max(Counter(fake.accepted).values()) == 1
    assert set(fake.accepted) == set(members(project_dir, "everyone"))


def test_allow_repeat_says_what_it_will_do_and_does_it(invoke, project_dir):
    ready(project_dir)
    invoke("send", SEPTEMBER, "--list", "dcs", "--yes")
    (dcs_send,) = send_ids(invoke)
    network = members(project_dir, "send-network")
    again = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--allow-repeat")
    assert again.exit_code == 0, again.output
    assert (f"--allow-repeat: 14 already received this issue in send {dcs_send}; they will get "
            "it again") in again.output  # fmt: skip
    network_send = next(i for i in send_ids(invoke) if i != dcs_send)
    assert len(outbox_files(project_dir, network_send)) == len(network)


def test_an_outbox_rehearsal_never_holds_back_a_real_send(invoke, project_dir, fake,
                                                         sendgrid_env):  # fmt: skip
    ready(project_dir)
    rehearsal = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "outbox")
    assert rehearsal.exit_code == 0, rehearsal.output
    real = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                  env=sendgrid_env)  # fmt: skip
    assert real.exit_code == 0, real.output
    assert "already received" not in real.output
    assert sorted(fake.accepted) == sorted(members(project_dir, "send-network"))
    # ...but a real send holds back a later rehearsal: the outbox shows what would happen
    later = invoke("send", SEPTEMBER, "--list", "everyone", "--yes", "--backend", "outbox")
    assert later.exit_code == 0, later.output
    assert "already received this issue in send" in later.output


def test_test_sends_neither_count_nor_are_held_back(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    dcs = members(project_dir, "dcs")
    common = ("--yes", "--backend", "sendgrid")
    test = invoke("send", SEPTEMBER, "--test-to", dcs[0], *common, env=sendgrid_env)
    assert test.exit_code == 0, test.output
    real = invoke("send", SEPTEMBER, "--list", "dcs", *common, env=sendgrid_env)
    assert real.exit_code == 0, real.output
    assert "already received" not in real.output
    assert Counter(fake.accepted)[dcs[0]] == 2  # the [TEST] copy, then the real one
    again = invoke("send", SEPTEMBER, "--test-to", dcs[1], *common, env=sendgrid_env)
    assert again.exit_code == 0 and "already received" not in again.output
    assert Counter(fake.accepted)[dcs[1]] == 2


def test_uncertain_in_another_send_holds_a_person_back(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    fake.will("lost")  # SendGrid takes the DCS request; the answer never comes
    first = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                   env=sendgrid_env)  # fmt: skip
    assert first.exit_code == 0 and "14 uncertain" in first.output
    second = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                    env=sendgrid_env)  # fmt: skip
    assert "14 already received this issue in send" in second.output
    assert Counter(fake.accepted) == Counter({e: 1 for e in members(project_dir, "send-network")})


def test_a_cancelled_scheduled_send_does_not_count(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    common = ("--yes", "--backend", "sendgrid")
    scheduled = invoke("send", SEPTEMBER, "--list", "dcs", *common, "--at", in_hours(5),
                       env=sendgrid_env)  # fmt: skip
    assert scheduled.exit_code == 0, scheduled.output
    (dcs_send,) = send_ids(invoke)
    assert invoke("cancel", dcs_send, env=sendgrid_env).exit_code == 0
    network = invoke("send", SEPTEMBER, "--list", "send-network", *common, env=sendgrid_env)
    assert network.exit_code == 0, network.output
    assert "already received" not in network.output
    last = fake.mail_requests[-1]
    assert sorted(last.addresses) == sorted(members(project_dir, "send-network"))


def test_a_send_with_nobody_new_says_so_and_does_not_ask(invoke, project_dir):
    ready(project_dir)
    invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    # no --yes and no terminal: nothing to ask about, so no refusal either
    result = invoke("send", SEPTEMBER, "--list", "dcs")
    assert result.exit_code == 0, result.output
    assert "Nothing to send: everyone on the list(s) already has it." in result.output
    assert "no terminal" not in result.output
    assert len(send_ids(invoke)) == 1  # no empty send was recorded

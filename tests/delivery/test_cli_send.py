"""`newsletter send / cancel / history` on the sample project (outbox and fake SendGrid)."""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from support.issues import SEPTEMBER, members, ready
from support.sendgrid import API_KEY
from support.sendgrid_fake import FakeSendGrid
from support.sending import every_file_text, in_hours


@pytest.fixture
def sendgrid_env(fake: FakeSendGrid) -> dict[str, str]:
    return {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}


def test_dry_run_counts_and_writes_nothing(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run")
    assert result.exit_code == 0, result.output
    count = len(members(project_dir, "send-network"))
    assert f"Recipients  {count} on the list(s);" in result.output
    assert f"{count} to send now" in result.output
    assert "Dry run: nothing was sent" in result.output
    assert not (project_dir / ".newsletter").exists() and not (project_dir / "outbox").exists()


def test_refuses_without_yes_when_no_terminal(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--list", "send-network")
    assert result.exit_code == 1
    assert "no terminal to confirm" in result.output and "--yes" in result.output
    assert not (project_dir / "outbox").exists()


def test_issue_with_check_errors_is_refused(invoke, project_dir):
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert result.exit_code == 1
    assert "check error" in result.output and "nothing was sent" in result.output
    assert not (project_dir / "outbox").exists()


def test_outbox_writes_one_file_per_member_and_resumes(invoke, project_dir):
    ready(project_dir)
    expected = members(project_dir, "send-network")
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert result.exit_code == 0, result.output
    assert "Nothing left this machine" in result.output
    files = list((project_dir / "outbox").rglob("*.eml"))
    assert len(files) == len(expected)
    text = files[0].read_text()
    assert "%unsubscribe_url%" not in text and "%first_name%" not in text
    again = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert again.exit_code == 0 and "Nothing to send" in again.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == len(expected)


def test_features_the_backend_lacks_fail_loudly(invoke, project_dir):
    ready(project_dir)
    at = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--at", "2099-01-01 09:00")
    assert at.exit_code == 2 and "more than a year ahead" in at.output
    sandbox = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--sandbox")
    assert sandbox.exit_code == 1 and "sandbox" in sandbox.output
    assert not (project_dir / "outbox").exists()


def test_sendgrid_without_a_key_says_how_to_fix_it(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid")
    assert result.exit_code == 2
    assert "SENDGRID_API_KEY is not set" in result.output and "--backend outbox" in result.output


def test_sendgrid_send_variants_and_no_key_anywhere(invoke, project_dir, fake, sendgrid_env,
                                                    caplog):  # fmt: skip
    issue = ready(project_dir)
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace('heading: "Regional SEND Co-ordinator"\n',
                                  'heading: "Regional SEND Co-ordinator"\n    only_for: [dcs]\n'),
                     encoding="utf-8")  # fmt: skip
    expected = members(project_dir, "send-network")
    dcs = set(members(project_dir, "dcs"))
    caplog.set_level(logging.DEBUG)
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                    env=sendgrid_env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "SendGrid accepted the email for" in result.output
    assert "Versions    2 versions: " in result.output
    on_dcs, others = len(dcs & set(expected)), len(set(expected) - dcs)
    assert (f'{on_dcs} people get every block, including block 2 "Regional SEND Co-ordinator" '
            f"(only for dcs); {others} people get all but block 2") in result.output
    assert Counter(fake.accepted) == Counter({e: 1 for e in expected})
    assert len(fake.mail_requests) == 2  # one per version of the issue
    for request in fake.mail_requests:
        html = request.body["content"][1]["value"]
        shows_dcs_block = "Regional SEND Co-ordinator" in html
        assert shows_dcs_block == all(a in dcs for a in request.addresses)
    # the key is nowhere but in the Authorization header
    assert API_KEY not in result.output + caplog.text
    assert API_KEY not in every_file_text(project_dir)
    rows = sqlite3.connect(project_dir / ".newsletter" / "journal.sqlite").iterdump()
    assert API_KEY not in "\n".join(rows)


def test_key_never_shown_in_errors(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    fake.will("401")
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                    env=sendgrid_env)  # fmt: skip
    assert result.exit_code == 3
    assert "SendGrid rejected the API key" in result.output
    assert API_KEY not in result.output
    assert API_KEY not in every_file_text(project_dir)
    bad = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                 env={**sendgrid_env, "SENDGRID_API_KEY": "SG.abc\ndef-secret"})  # fmt: skip
    assert bad.exit_code == 2 and "def-secret" not in bad.output


def test_test_send_first_then_the_real_send_reaches_everyone(invoke, project_dir, fake,
                                                            sendgrid_env):  # fmt: skip
    ready(project_dir)
    expected = members(project_dir, "dcs")
    test = invoke("send", SEPTEMBER, "--test-to", "Me@Example.org", "--yes",
                  "--backend", "sendgrid", env=sendgrid_env)  # fmt: skip
    assert test.exit_code == 0, test.output
    assert fake.mail_requests[0].body["subject"].startswith("[TEST] ")
    assert fake.accepted == ["me@example.org"]
    real = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                  env=sendgrid_env)  # fmt: skip
    assert real.exit_code == 0, real.output
    assert "no test send" not in real.output
    assert sorted(fake.accepted[1:]) == sorted(expected)
    assert not fake.mail_requests[1].body["subject"].startswith("[TEST]")


def test_failure_shows_sendgrids_reason_a_resume_hint_and_history(invoke, project_dir, fake,
                                                                   sendgrid_env):  # fmt: skip
    ready(project_dir)
    expected = members(project_dir, "dcs")
    fake.will("400")
    failed = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                    env=sendgrid_env)  # fmt: skip
    assert failed.exit_code == 3
    assert "from.email: The from email does not contain a valid address." in failed.output
    assert "again to resume" in failed.output
    listing = invoke("history")
    assert f"{len(expected)} failed" in listing.output
    send_id = next(line.split()[0] for line in listing.output.splitlines() if "--dcs" in line)
    details = invoke("history", send_id)
    assert details.exit_code == 0
    assert "from.email" in details.output and expected[0] in details.output
    resumed = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                     env=sendgrid_env)  # fmt: skip
    assert resumed.exit_code == 0
    assert Counter(fake.accepted) == Counter({e: 1 for e in expected})
    assert "Nobody failed." in invoke("history", send_id).output


def test_scheduled_send_and_cancel(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    when = in_hours(5)
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                    "--at", when, env=sendgrid_env)  # fmt: skip
    assert result.exit_code == 0, result.output
    body = fake.mail_requests[0].body
    assert body["batch_id"] in fake.batches and body["send_at"] > 0
    send_id = next(w for w in result.output.split() if w.startswith("2025-09-regional-update--"))
    cancelled = invoke("cancel", send_id, env=sendgrid_env)
    assert cancelled.exit_code == 0, cancelled.output
    assert fake.cancelled == [body["batch_id"]]
    assert f"{len(members(project_dir, 'dcs'))} cancelled" in invoke("history").output
    further = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "sendgrid",
                     "--at", in_hours(80), env=sendgrid_env)  # fmt: skip
    assert further.exit_code == 0 and "Held in the journal" in further.output  # send --due
    assert len(fake.mail_requests) == 1


def test_cancel_refuses_an_unscheduled_send(invoke, project_dir):
    ready(project_dir)
    invoke("send", SEPTEMBER, "--list", "dcs", "--yes")
    send_id = invoke("history").output.split()[0]
    result = invoke("cancel", send_id)
    assert result.exit_code == 1 and "was not scheduled" in result.output


def test_a_person_at_a_terminal_is_asked_first(invoke, project_dir, monkeypatch):
    from newsletter_cli.cli import send as send_module

    ready(project_dir)
    monkeypatch.setattr(send_module, "is_terminal", lambda: True)
    no = invoke("send", SEPTEMBER, "--list", "dcs", input="n\n")
    assert no.exit_code == 1 and "you said no" in no.output
    assert not (project_dir / "outbox").exists()
    expected = members(project_dir, "dcs")
    yes = invoke("send", SEPTEMBER, "--list", "dcs", input="y\n")
    assert yes.exit_code == 0, yes.output
    assert f"Write to {len(expected)} recipient(s) now?" in yes.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == len(expected)


def test_resume_screen_counts_what_is_left(invoke, project_dir, fake, sendgrid_env):
    ready(project_dir)
    expected = members(project_dir, "send-network")
    fake.will("drop")
    first = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                   env=sendgrid_env)  # fmt: skip
    assert first.exit_code == 0 and f"{len(expected)} uncertain" in first.output
    dry = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run", "--backend",
                 "sendgrid", env=sendgrid_env)  # fmt: skip
    assert f"{len(expected)} uncertain, left alone; 0 to send now" in dry.output
    again = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--backend", "sendgrid",
                   "--resend-uncertain", env=sendgrid_env)  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "uncertain, to be sent again" in again.output
    assert sorted(fake.accepted) == sorted(expected)


def test_rows_left_out_of_the_lists_are_named_before_sending(invoke, project_dir):
    ready(project_dir)
    with (project_dir / "recipients" / "contacts.csv").open("a", encoding="utf-8") as handle:
        handle.write("not-an-address,Sam Broken,Dudley Council,SEND lead,send-lead\n")
        handle.write("also broken@x,Al Other,Dudley Council,Safeguarding,safeguarding-rep\n")
    lines = (project_dir / "recipients" / "contacts.csv").read_text().count("\n")
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        f"left out, may belong on these lists: recipients/contacts.csv:{lines - 1}:"
        in result.output
    )
    assert "not-an-address" in result.output
    assert "also broken@x" not in result.output  # not a SEND-network tag


def test_newsletter_toml_is_read_once_per_send(invoke, project_dir, monkeypatch):
    """The settings are read at the edge and handed down: not again for each audience
    version, the checks, the journal or the backend."""
    import newsletter_cli.config as config_module

    issue = ready(project_dir)
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.replace('heading: "Regional SEND Co-ordinator"\n',
                                  'heading: "Regional SEND Co-ordinator"\n    only_for: [dcs]\n'),
                     encoding="utf-8")  # fmt: skip
    reads: list[Path] = []
    real = config_module.read_text

    def counting(path, *args, **kwargs):
        if Path(path).name == "newsletter.toml":
            reads.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(config_module, "read_text", counting)
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--no-link-check")
    assert result.exit_code == 0, result.output
    assert "Versions    2 versions: " in result.output
    assert len(list((project_dir / "outbox").rglob("*.eml"))) == len(
        members(project_dir, "send-network"))
    assert len(reads) == 1

"""`newsletter send --backend smtp` on the sample project, against aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import trustme
from support.issues import SEPTEMBER, members, ready
from support.journal import journal_by_status, journal_counts
from support.sending import every_file_text, in_hours, suppressed, wait_for

from .smtp_sink import PASSWORD, USER, SmtpSink


def smtp_config(project_dir: Path, body: str) -> None:
    with open(project_dir / "newsletter.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[smtp]\n" + body)


def local(port: int, security: str = "none", user: bool = False) -> str:
    text = f'host = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
    return text + (f'user = "{USER}"\n' if user else "")


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A certificate authority the test trusts (via SSL_CERT_FILE) and a server context."""
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server)
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return server, str(pem)


def test_send_over_starttls_with_login_and_the_password_nowhere(invoke, project_dir, tls):
    ready(project_dir)
    server_ctx, ca_file = tls
    sink = SmtpSink(tls_context=server_ctx, auth=True).start()
    try:
        smtp_config(project_dir, local(sink.port, "starttls", user=True))
        env = {"SSL_CERT_FILE": ca_file, "NEWSLETTER_SMTP_PASSWORD": PASSWORD}
        result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp", env=env)
    finally:
        sink.stop()
    assert result.exit_code == 0, result.output
    dcs = members(project_dir, "dcs")
    assert f"The SMTP server accepted the email for {len(dcs)} recipient(s)." in result.output
    assert f"127.0.0.1:{sink.port} with STARTTLS, as {USER}" in result.output
    assert sink.accepted == dcs and sink.connections == 1 and sink.logins == ["PLAIN"]
    assert all(m.rcpt_tos == [m.parsed()["To"].addresses[0].addr_spec] for m in sink.messages)
    assert PASSWORD not in result.output + every_file_text(project_dir)
    again = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp", env=env)
    assert again.exit_code == 0 and "Nothing to send" in again.output and len(sink.messages) == len(dcs)


def test_backend_from_newsletter_toml_and_a_refused_recipient_in_history(invoke, project_dir,
                                                                          sink):  # fmt: skip
    ready(project_dir)
    toml = project_dir / "newsletter.toml"
    toml.write_text(toml.read_text().replace('backend = "outbox"', 'backend = "smtp"'))
    smtp_config(project_dir, local(sink.port))
    bad = members(project_dir, "dcs")[3]
    sink.refuse[bad] = "550 5.1.1 User unknown"
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes")
    assert result.exit_code == 0, result.output
    assert bad not in sink.accepted and len(sink.accepted) == len(members(project_dir, "dcs")) - 1
    send_id = next(line.split()[-1] for line in result.output.splitlines()
                   if line.startswith("Send id"))  # fmt: skip
    history = invoke("history", send_id)
    assert f"{bad}  failed: the server refused the recipient (RCPT TO): 550 5.1.1 User unknown" \
        in history.output  # fmt: skip


def test_dry_run_shows_the_server_pace_and_daily_limit(invoke, project_dir):
    ready(project_dir)
    smtp_config(project_dir, f'preset = "microsoft365"\nuser = "{USER}"\nrecipients_per_day = 20\n')
    result = invoke("send", SEPTEMBER, "--list", "everyone", "--dry-run", "--backend", "smtp")
    assert result.exit_code == 0, result.output
    count = len(members(project_dir, "everyone"))
    assert (f"Microsoft 365 smtp.office365.com:587 with STARTTLS, as {USER} (real email, one "
            "message per recipient); at most 30 a minute: about 2 minutes; 20 of 20 a day left"
            ) in " ".join(result.output.split())  # fmt: skip
    assert "the daily limit allows 20 more recipient(s)" in " ".join(result.output.split())
    assert (f"NEWSLETTER_SMTP_PASSWORD is not set, and the keychain has no password for {USER}: "
            "a real send would stop") in " ".join(
        result.output.split())
    assert count > 20


def test_a_missing_password_stops_before_anything_is_sent(invoke, project_dir, sink):
    ready(project_dir)
    smtp_config(project_dir, local(sink.port, user=True))
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp")
    assert result.exit_code == 2 and "NEWSLETTER_SMTP_PASSWORD is not set" in result.output
    assert not sink.messages and not (project_dir / ".newsletter").exists()


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [  # line: of the [smtp] settings, counting from 1
        ('host = "smtp.example.org"\npassword = "hunter2"\n', 2,
         "a password must not be stored in newsletter.toml; set NEWSLETTER_SMTP_PASSWORD"),
        ('host = "smtp.example.org"\nsecurity = "none"\n', 2,
         "allowed only for a server on this machine"),
        ('preset = "gmail"\n', 1, "smtp.preset: Input should be 'microsoft365'"),
    ],
)  # fmt: skip
def test_config_mistakes_name_the_line(invoke, project_dir, body, line, words):
    ready(project_dir)
    line += len((project_dir / "newsletter.toml").read_text().splitlines()) + 2  # blank, [smtp]
    smtp_config(project_dir, body)
    result = invoke("send", SEPTEMBER, "--list", "dcs", "--dry-run", "--backend", "smtp")
    assert result.exit_code == 2
    assert f"newsletter.toml:{line}: " in result.output and words in result.output
    assert "hunter2" not in result.output


def test_smtp_holds_a_scheduled_send_and_has_no_sandbox(invoke, project_dir, sink):
    ready(project_dir)
    smtp_config(project_dir, local(sink.port))
    at = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp", "--at",
                in_hours(2))  # fmt: skip
    assert at.exit_code == 0 and "Held in the journal" in at.output  # until send --due
    sandbox = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp", "--sandbox")
    assert sandbox.exit_code == 1 and "smtp backend has none" in sandbox.output
    assert not sink.messages


def test_a_refused_login_exits_3_with_a_hint(invoke, project_dir):
    ready(project_dir)
    sink = SmtpSink(auth=True).start()
    try:
        smtp_config(project_dir, local(sink.port, user=True))
        env = {"NEWSLETTER_SMTP_PASSWORD": "not-" + PASSWORD}
        result = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--backend", "smtp", env=env)
    finally:
        sink.stop()
    assert result.exit_code == 3
    assert "refused the login for regional.team@example.org: 535" in result.output
    assert "NEWSLETTER_SMTP_PASSWORD" in result.output and "not-" + PASSWORD not in result.output


def send_command(project_dir: Path) -> tuple[list[str], dict[str, str]]:
    command = [sys.executable, "-m", "newsletter_cli", "send", SEPTEMBER, "--list", "everyone",
               "--backend", "smtp", "--yes", "--no-link-check"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("NEWSLETTER_SMTP_PASSWORD", None)
    return command, env


@pytest.mark.posix
def test_kill_9_at_random_moments_leaves_at_most_one_uncertain_each_time(project_dir, sink):
    """One commit a message (the outcome rides with the next claim): whenever the sending
    process dies, at most one recipient is in flight, and nobody gets the issue twice."""
    ready(project_dir)
    smtp_config(project_dir, local(sink.port))
    lines = ["email,name,organisation,role,tags"]
    lines += [f"bulk{i:04d}@example.org,Bulk Person {i},Council {i % 9},Officer,"
              for i in range(300)]  # fmt: skip
    (project_dir / "recipients" / "bulk.csv").write_text("\n".join(lines) + "\n")
    everyone = set(members(project_dir, "everyone"))
    command, env = send_command(project_dir)
    rng = random.Random(20251205)
    kills = 0
    for _ in range(4):
        run = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
        before = len(sink.accepted)
        wait_for(lambda run=run, before=before: len(sink.accepted) > before
                 or run.poll() is not None, timeout=60)  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.4))
        kills += run.poll() is None
        run.kill()
        run.wait()
        assert len(journal_by_status(project_dir).get("sending", set())) <= 1
    assert kills  # at least one kill landed mid-send
    final = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True,
                           timeout=180)  # fmt: skip
    assert final.returncode == 0, final.stdout + final.stderr
    taken = Counter(sink.accepted)
    assert max(taken.values()) == 1  # nobody got it twice
    journal = journal_by_status(project_dir)
    accepted, uncertain = journal.get("accepted", set()), journal.get("uncertain", set())
    assert accepted <= set(taken) and set(taken) <= accepted | uncertain
    assert accepted | uncertain == everyone and len(uncertain) <= kills
    assert not journal.get("queued") and not journal.get("sending")


@pytest.mark.posix
def test_kill_9_while_a_message_awaits_its_answer_then_resume_delivers_everyone_once(
    project_dir, sink
):
    ready(project_dir)
    smtp_config(project_dir, local(sink.port))
    everyone = members(project_dir, "everyone")
    sink.hold_after = 30  # the 31st message is received, and its answer never comes
    command, env = send_command(project_dir)
    first = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)  # fmt: skip
    wait_for(lambda: sink.handler.held.is_set() or first.poll() is not None)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate()
    assert first.returncode == -signal.SIGKILL
    held = suppressed(project_dir, "everyone")
    assert journal_counts(project_dir) == Counter(
        {"accepted": 30, "sending": 1, "queued": len(everyone) - 31, "suppressed": held}
    )
    sink.release()

    second = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    out = second.stdout + second.stderr
    assert second.returncode == 0, out
    assert "1 recipient(s) were in flight when an earlier run stopped" in out
    assert "1 uncertain" in out and "Sent Items" in out
    # the server got every member exactly once: the one in flight was not sent again
    assert Counter(sink.accepted) == Counter({e: 1 for e in everyone})
    counts = journal_counts(project_dir)
    assert counts["accepted"] == len(everyone) - 1 and counts["uncertain"] == 1
    db = sqlite3.connect(project_dir / ".newsletter" / "journal.sqlite")
    (uncertain,) = db.execute("SELECT email FROM recipients WHERE status = 'uncertain'").fetchone()
    assert uncertain == everyone[30]

"""Two machines, one shared journal: two project folders pointing at one PostgreSQL database.

Once per person per issue across machines; one run per send (an advisory lock, released by
a ``kill -9``); resume on the other machine; an unreachable server sends nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from support.issues import SEPTEMBER, members, ready
from support.journal import journal_counts, journal_of
from support.pgcluster import free_port, use_shared_journal
from support.sendgrid import API_KEY
from support.sending import add_bulk_contacts, send_command, wait_for
from typer.testing import CliRunner

from newsletter_cli.cli import app


@pytest.fixture
def machines(project_dir: Path, tmp_path: Path, pg_url: str) -> tuple[Path, Path]:
    """Folder A (the sample project) and folder B (a colleague's copy), one database."""
    ready(project_dir)
    add_bulk_contacts(project_dir)
    other = tmp_path / "machine-b"
    shutil.copytree(project_dir, other)
    for folder in (project_dir, other):
        use_shared_journal(folder, pg_url)
    return project_dir, other


def cli_in(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str, env=None):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(app, list(args), env=env)


def test_a_list_sent_from_one_machine_is_skipped_by_the_other(machines, fake, monkeypatch):
    a, b = machines
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}
    common = ("--yes", "--backend", "sendgrid", "--no-link-check")
    first = cli_in(a, monkeypatch, "send", SEPTEMBER, "--list", "dcs", *common, env=env)
    assert first.exit_code == 0, first.output
    dry = cli_in(b, monkeypatch, "send", SEPTEMBER, "--list", "send-network", "--dry-run",
                 "--no-link-check")
    assert "14 already received this issue in send" in dry.output
    second = cli_in(b, monkeypatch, "send", SEPTEMBER, "--list", "send-network", *common,
                    env=env)  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "14 already received this issue in send" in second.output
    dcs, network = members(b, "dcs"), members(b, "send-network")
    assert Counter(fake.accepted) == Counter({e: 1 for e in network})
    assert not set(dcs) & set(fake.mail_requests[-1].addresses)
    # each machine's history shows both sends; neither has a journal file of its own
    for folder in (a, b):
        listing = cli_in(folder, monkeypatch, "history").output
        assert "dcs" in listing and "send-network" in listing and "14 skipped" in listing
        assert not (folder / ".newsletter" / "journal.sqlite").exists()


def test_the_same_send_from_two_machines_at_once_runs_once(machines, fake):
    a, b = machines
    everyone = members(a, "everyone")
    fake.delay = 1.0  # three requests: the run holds its lock for 3 s or more
    command, env = send_command(a, fake.url)
    runs = [subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for folder in (a, b)]  # fmt: skip
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert codes == [0, 1], outputs
    refused = outputs[[run.returncode for run in runs].index(1)]
    assert "is already running (on " in refused and ", process " in refused
    assert Counter(fake.accepted) == Counter({e: 1 for e in everyone})

    # the refused machine runs it again afterwards: nobody is new, nothing is sent twice
    again = subprocess.run(command, cwd=b, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Nothing to send" in again.stdout + again.stderr
    assert Counter(fake.accepted) == Counter({e: 1 for e in everyone})


@pytest.mark.posix
def test_kill_9_on_one_machine_then_resume_on_the_other(machines, fake):
    a, b = machines
    everyone = members(a, "everyone")
    fake.delay = 0.5
    command, env = send_command(a, fake.url)
    first = subprocess.Popen(command, cwd=a, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    # the second request is taken by SendGrid; its answer has not come back yet
    wait_for(lambda: len(fake.accepted) >= 2000 or first.poll() is not None)
    with journal_of(b) as journal:  # the other machine sees it running
        (record,) = journal.sends()
        assert journal.running(record.id)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL
    with journal_of(b) as journal:  # the server dropped the killed run's session, and its lock
        wait_for(lambda: not journal.running(record.id), timeout=10)
    history = subprocess.run([*command[:3], "history"], cwd=b, env=env, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
    assert f"stopped, {len(everyone) - 2000} left (1000 uncertain)" in history.stdout
    counts = journal_counts(b)
    assert (counts["accepted"], counts["sending"]) == (1000, 1000)

    fake.delay = 0
    started = time.monotonic()
    second = subprocess.run(command, cwd=b, env=env, capture_output=True, text=True, timeout=120)
    out = second.stdout + second.stderr
    assert second.returncode == 0, out  # the lock died with the killed process
    assert time.monotonic() - started < 60
    assert "1000 recipient(s) were in flight when an earlier run stopped" in out
    assert Counter(fake.accepted) == Counter({e: 1 for e in everyone})
    counts = journal_counts(a)
    assert counts["accepted"] == len(everyone) - 1000 and counts["uncertain"] == 1000
    assert not counts["queued"] and not counts["sending"]


def test_an_unreachable_journal_sends_nothing(project_dir, fake, monkeypatch):
    ready(project_dir)
    url = f"postgresql://newsletter@127.0.0.1:{free_port()}/journal"
    use_shared_journal(project_dir, url)
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}
    result = cli_in(project_dir, monkeypatch, "send", SEPTEMBER, "--list", "dcs", "--yes",
                    "--backend", "sendgrid", "--no-link-check", env=env)  # fmt: skip
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"error: {url}: the shared journal cannot be reached: ")
    assert "Connection refused" in lines[0]
    assert lines[1].startswith("hint: nothing was sent;") and len(lines) == 2
    assert fake.mail_requests == [] and not (project_dir / ".newsletter").exists()
    history = cli_in(project_dir, monkeypatch, "history")
    assert history.exit_code == 3 and "cannot be reached" in history.output

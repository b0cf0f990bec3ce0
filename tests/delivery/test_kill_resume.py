"""`kill -9` in the middle of a send, then the same command again: everyone exactly once.

Each test runs on the embedded SQLite journal and on a shared PostgreSQL one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter

import pytest
from support.issues import members, ready
from support.journal import journal_by_status, journal_counts
from support.sendgrid import API_KEY
from support.sending import add_bulk_contacts, send_command, suppressed, wait_for

pytestmark = pytest.mark.usefixtures("either_journal")


@pytest.mark.posix
def test_kill_9_mid_send_then_rerun_accepts_everyone_exactly_once(project_dir, fake):
    ready(project_dir)
    add_bulk_contacts(project_dir)
    everyone = members(project_dir, "everyone")
    assert len(everyone) > 2000  # three requests: 1000, 1000, the rest
    fake.delay = 0.5  # SendGrid takes each request at once but answers slowly
    command, env = send_command(project_dir, fake.url)

    first = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)  # fmt: skip
    # the second request has been taken by SendGrid; its answer has not come back yet
    wait_for(lambda: len(fake.accepted) >= 2000 or first.poll() is not None)
    os.kill(first.pid, signal.SIGKILL)
    out1 = first.communicate()[0].decode()
    assert first.returncode == -signal.SIGKILL
    assert len(fake.mail_requests) == 2
    # the journal survived the kill: 1000 accepted, 1000 in flight
    held = suppressed(project_dir, "everyone")
    assert journal_counts(project_dir) == Counter(
        {"accepted": 1000, "sending": 1000, "queued": len(everyone) - 2000, "suppressed": held}
    )

    fake.delay = 0
    second = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    out2 = second.stdout + second.stderr
    assert second.returncode == 0, out2
    assert "1000 recipient(s) were in flight when an earlier run stopped" in out2
    assert "1000 uncertain" in out2

    # across both runs, SendGrid took every member exactly once
    assert Counter(fake.accepted) == Counter({e: 1 for e in everyone})
    assert len(fake.mail_requests) == 3
    counts = journal_counts(project_dir)
    assert counts["accepted"] == len(everyone) - 1000 and counts["uncertain"] == 1000
    assert API_KEY not in out1 + out2


def test_kill_9_at_random_moments_never_sends_twice_or_loses_a_record(project_dir, fake):
    ready(project_dir)
    add_bulk_contacts(project_dir)
    everyone = set(members(project_dir, "everyone"))
    fake.delay = 0.5
    command, env = send_command(project_dir, fake.url)
    rng = random.Random(20250919)
    interrupted = 0
    for _ in range(3):
        run = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.6, 1.6))
        interrupted += run.poll() is None
        run.kill()
        run.wait()
    assert interrupted  # at least one kill landed mid-send
    fake.delay = 0
    final = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert final.returncode == 0, final.stdout + final.stderr

    taken = Counter(fake.accepted)
    assert max(taken.values()) == 1  # nobody got it twice
    journal = journal_by_status(project_dir)
    accepted, uncertain = journal.get("accepted", set()), journal.get("uncertain", set())
    assert accepted <= set(taken)  # every 'accepted' in the journal really was taken
    assert set(taken) <= accepted | uncertain  # every copy taken is on record
    assert accepted | uncertain == everyone  # nobody skipped: sent, or flagged to check
    assert not journal.get("queued") and not journal.get("sending")

"""Real processes: a kill during a split (413) batch, and two sends of one issue at once.

Each test runs on the embedded SQLite journal and on a shared PostgreSQL one.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter

import pytest
from support.issues import members, ready
from support.journal import journal_by_status
from support.sending import send_command, wait_for

from newsletter_cli.errors import DeliveryError

pytestmark = pytest.mark.usefixtures("either_journal")


@pytest.mark.posix
def test_kill_9_after_the_first_halfs_202_never_sends_that_half_again(project_dir, fake):
    ready(project_dir)
    everyone = members(project_dir, "everyone")
    fake.too_large_over = len(everyone) // 2 + 1  # the batch is too large; each half is not
    fake.delay = 1.5  # each half is taken at once, its 202 comes 1.5 s later
    command, env = send_command(project_dir, fake.url)
    run = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    half = len(everyone) // 2

    def accepted() -> int:
        try:
            return len(journal_by_status(project_dir).get("accepted", ()))
        except (AssertionError, DeliveryError):  # no journal yet, or being created
            return 0

    # the first half's 202 is in the journal; the second half is taken, its 202 not yet back
    wait_for(lambda: accepted() >= half or run.poll() is not None)
    wait_for(lambda: len(fake.accepted) >= len(everyone) or run.poll() is not None)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert [r.status for r in fake.mail_requests] == [413, 202, None]
    first_half = set(fake.mail_requests[1].addresses)
    journal = journal_by_status(project_dir)
    assert journal["accepted"] == first_half  # journalled the moment its 202 came
    assert journal["sending"] == set(fake.mail_requests[2].addresses)

    fake.delay = 0
    fake.too_large_over = None
    again = subprocess.run([*command, "--resend-uncertain"], cwd=project_dir, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    copies = Counter(fake.accepted)
    assert all(copies[e] == 1 for e in first_half)  # even with --resend-uncertain
    assert set(copies) == set(everyone)


def test_two_sends_of_one_issue_started_together_share_nobody(project_dir, fake):
    ready(project_dir)
    dcs, network = members(project_dir, "dcs"), members(project_dir, "send-network")
    fake.delay = 0.3
    runs = []
    for name in ("dcs", "send-network"):
        command, env = send_command(project_dir, fake.url)
        command[command.index("everyone")] = name
        runs.append(subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True))  # fmt: skip
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    copies = Counter(fake.accepted)
    assert max(copies.values()) == 1  # the 14 DCSs on both lists got one copy each
    assert set(copies) == set(dcs) | set(network)
    # whichever came second said so (on its screen, or when its claim found them taken)
    assert sum("already received this issue in send" in o for o in outputs) == 1

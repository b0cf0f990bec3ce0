"""Ctrl-C during a send: counts so far, the exact command to resume, exit 130; progress."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections import Counter

import pytest
from support.issues import SEPTEMBER, members, ready
from support.journal import journal_counts
from support.sending import add_bulk_contacts, make_email, people, send_command, wait_for

from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.errors import Interrupted
from newsletter_cli.journal.status import Status


class CtrlCAfter(OutboxBackend):
    """The outbox, with Ctrl-C pressed after ``count`` messages."""

    def __init__(self, folder, count: int) -> None:
        super().__init__(folder, from_email="team@example.org", from_name="Team", reply_to=None)
        self.left = count

    def _write(self, path, msg) -> None:
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        super()._write(path, msg)


def outbox_run(tmp_path, journal, open_send, backend, count, **kwargs):
    send = open_send("s-outbox")
    context = SendContext(send_id=send, issue_name="2025-09")
    return deliver(journal, backend, context, [Variant("all", make_email(), people(count))],
                   **kwargs)  # fmt: skip


def test_the_outbox_moves_progress_with_every_message(tmp_path, journal, open_send):
    seen: list[tuple[int, int]] = []
    backend = CtrlCAfter(tmp_path / "outbox", count=99)
    outbox_run(tmp_path, journal, open_send, backend, 5, on_progress=lambda d, t: seen.append(
        (d, t)), batch_size=3)  # fmt: skip
    done = [d for d, _ in seen]
    assert done == [0, 1, 2, 3, 4, 5] and {t for _, t in seen} == {5}


def test_ctrl_c_mid_batch_keeps_what_was_written_and_stops_cleanly(tmp_path, journal, open_send):
    backend = CtrlCAfter(tmp_path / "outbox", count=4)
    result = outbox_run(tmp_path, journal, open_send, backend, 10, batch_size=3)
    assert isinstance(result.stopped, Interrupted) and result.stopped.exit_code == 130
    assert result.totals == Counter({Status.ACCEPTED: 4, Status.QUEUED: 6})
    assert len(list((tmp_path / "outbox" / "s-outbox").glob("*.eml"))) == 4
    # the same run again finishes the job
    again = outbox_run(tmp_path, journal, open_send, CtrlCAfter(tmp_path / "outbox", 99), 10)
    assert again.stopped is None and again.totals == Counter({Status.ACCEPTED: 10})


@pytest.mark.posix
def test_ctrl_c_prints_the_counts_and_the_command_to_resume(project_dir, fake):
    ready(project_dir)
    add_bulk_contacts(project_dir)
    everyone = members(project_dir, "everyone")
    fake.delay = 1.0
    command, env = send_command(project_dir, fake.url)
    run = subprocess.Popen(command, cwd=project_dir, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip

    def first_batch_done() -> bool:
        try:
            return journal_counts(project_dir).get("accepted", 0) >= 1000
        except Exception:  # noqa: BLE001 - the journal is still being created
            return run.poll() is not None

    wait_for(lambda: first_batch_done() or run.poll() is not None)
    # Ctrl-C while the second request waits for its answer
    wait_for(lambda: len(fake.accepted) >= 2000 or run.poll() is not None)
    os.kill(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=30)
    assert run.returncode == 130, out + err
    assert "Traceback" not in out + err
    assert re.search(r"accepted +│ +1000 │ +1000", out)  # the counts so far
    assert re.search(r"uncertain +│ +1000 │ +1000", out)
    assert "the send was interrupted (Ctrl-C)" in err
    resume = f"newsletter send {SEPTEMBER} --list everyone --backend sendgrid"
    assert resume in err
    counts = journal_counts(project_dir)
    assert counts["accepted"] == 1000 and counts["uncertain"] == 1000  # the batch in flight
    left = len(everyone) - 2000

    history = subprocess.run([*command[:3], "history"], cwd=project_dir, env=env,
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    assert f"stopped, {left} left (1000 uncertain)" in history.stdout

    fake.delay = 0  # the command it printed resumes the send: everyone else, once
    finish = subprocess.run([*command[:3], *resume.split()[1:], "--yes", "--no-link-check"],
                            cwd=project_dir,
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert Counter(fake.accepted) == Counter({e: 1 for e in everyone})

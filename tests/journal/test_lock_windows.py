"""The per-send lock without fcntl: the Windows path (msvcrt.locking on one byte)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.issues import REPO

SCRIPT = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from support.windows_standin import block_posix
calls = block_posix()
from newsletter_cli.errors import Refused
from newsletter_cli.journal import lock
folder = sys.argv[2]
seen = {"before": lock.is_locked(folder, "s")}
with lock.send_lock(folder, "s"):
    seen["during"] = lock.is_locked(folder, "s")
    try:
        with lock.send_lock(folder, "s"):
            seen["second"] = "ran"
    except Refused as exc:
        seen["second"] = str(exc)
    with lock.send_lock(folder, "other"):
        seen["other"] = "ran"
seen["after"] = lock.is_locked(folder, "s")
with lock.send_lock(folder, "s"):
    seen["again"] = "ran"
seen["pid"] = os.getpid()
seen["calls"] = calls
seen["offset"] = lock.LOCK_OFFSET
print(json.dumps(seen))
"""


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, str(REPO / "tests"), *args],
                          capture_output=True, text=True, timeout=60, cwd=REPO)  # fmt: skip


def test_without_fcntl_one_run_holds_a_send_and_the_holder_is_named(tmp_path):
    done = run(SCRIPT, str(tmp_path))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["before"] is False and seen["during"] is True and seen["after"] is False
    assert seen["second"] == f"send s is already running (process {seen['pid']})"
    assert seen["other"] == "ran" and seen["again"] == "ran"
    if os.name == "nt":
        return  # the real msvcrt: its calls are not recorded
    modes = {mode for mode, _, _ in seen["calls"]}
    assert modes == {0, 2}  # LK_UNLCK and LK_NBLCK: Windows' calls, no shared lock
    assert {(offset, size) for _, offset, size in seen["calls"]} == {(seen["offset"], 1)}
    assert (tmp_path / "locks" / "s.lock").read_text(encoding="utf-8") == str(seen["pid"])


def test_with_no_file_locks_at_all_the_send_stops_with_a_config_error(tmp_path):
    script = """
import sys
sys.modules["fcntl"] = None
sys.modules["msvcrt"] = None
from newsletter_cli.errors import ConfigError
from newsletter_cli.journal import lock
try:
    with lock.send_lock(sys.argv[2], "s"):
        print("ran")
except ConfigError as exc:
    print(exc.exit_code, exc)
"""
    done = run(script, str(tmp_path))
    assert done.stdout.strip() == "2 this system offers no file locks (neither fcntl nor msvcrt)"

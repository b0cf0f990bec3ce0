"""A build that succeeds ends its process at once, losing nothing: output, exit handlers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from support.issues import REPO, SEPTEMBER

#: The console-script entry point, with an exit handler that leaves a file behind.
SCRIPT = """
import atexit, pathlib, sys
atexit.register(lambda: pathlib.Path("exit-handler-ran").write_text("yes"))
sys.argv = ["newsletter", *sys.argv[1:]]
from newsletter_cli.cli import main
main()
print("after main", file=sys.stderr)  # never reached: main always ends the process
"""


def run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def project(tmp_path):
    for part in ("issues", "newsletter.toml", "recipients"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part)
        elif source.exists():
            shutil.copy2(source, tmp_path / part)


def test_a_build_ends_with_its_output_whole_and_exit_handlers_run(tmp_path):
    project(tmp_path)
    done = run(tmp_path, "build", SEPTEMBER)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Built Regional Update") and lines[1].startswith("  HTML")
    written = {p.name for p in (tmp_path / "build" / "2025-09-regional-update").iterdir()}
    assert sorted(line.strip() for line in lines[2:]) == sorted(written)  # the last line too
    assert (tmp_path / "build/2025-09-regional-update/preview.eml").stat().st_size > 60_000
    assert (tmp_path / "exit-handler-ran").read_text() == "yes"
    assert "after main" not in done.stderr


def test_a_failed_build_exits_as_before(tmp_path):
    project(tmp_path)
    done = run(tmp_path, "build", "issues/no-such-issue.yaml")
    assert done.returncode == 2
    assert done.stderr.startswith("error: issues/no-such-issue.yaml")
    assert (tmp_path / "exit-handler-ran").read_text() == "yes"

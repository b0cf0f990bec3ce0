"""`newsletter preview` as a person runs it: a URL printed, Ctrl-C stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .helpers import TITLE

NEWSLETTER = Path(sys.executable).with_name("newsletter")


@pytest.mark.posix
def test_serves_on_loopback_and_stops_cleanly_on_ctrl_c(issue_path: Path, project_dir: Path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "BROWSER": "false"}
    proc = subprocess.Popen(
        [str(NEWSLETTER), "preview", str(issue_path), "--port", "0", "--no-open"],
        cwd=project_dir, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith(f"Previewing {issue_path} at http://127.0.0.1:"), first
        url = first.split(" at ", 1)[1].strip()
        assert urlsplit(url).hostname == "127.0.0.1" and urlsplit(url).port != 0
        with urllib.request.urlopen(url, timeout=20) as response:
            assert response.status == 200
            assert TITLE in response.read().decode("utf-8")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Preview stopped." in out
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_a_missing_issue_file_is_one_line_and_exit_2(invoke) -> None:
    result = invoke("preview", "issues/no-such-issue.yaml", "--no-open", "--port", "0")
    assert result.exit_code == 2
    assert "issues/no-such-issue.yaml: no such file" in result.output
    assert "Traceback" not in result.output


def test_a_port_out_of_range_is_a_usage_error(invoke, issue_path: Path) -> None:
    result = invoke("preview", str(issue_path), "--port", "70000", "--no-open")
    assert result.exit_code == 2

"""Run the CLI in a real pseudo-terminal of a given width, as a person at a narrow window."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_in_terminal(*args: str, cwd: Path, columns: int, env: dict[str, str] | None = None) -> str:
    """Output of ``newsletter ARGS`` in a pty ``columns`` wide (colours stripped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm", **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsletter_cli", *args], cwd=cwd, env=environment,
        stdin=slave, stdout=slave, stderr=slave, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=60) == 0, b"".join(chunks).decode(errors="replace")
    return ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")


def too_wide(output: str, columns: int) -> list[str]:
    """Lines wider than the terminal that hold more than one word (a long address may not fit)."""
    return [line for line in output.splitlines() if len(line) > columns and " " in line.strip()]

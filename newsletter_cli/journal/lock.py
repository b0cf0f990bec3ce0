"""One run per send at a time: an OS file lock, released even by ``kill -9``."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsletter_cli.errors import Refused


def _lock_path(state_dir: Path, send_id: str) -> Path:
    folder = Path(state_dir) / "locks"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"{send_id}.lock"


@contextmanager
def send_lock(state_dir: Path, send_id: str) -> Iterator[None]:
    """Hold the lock for ``send_id``; Refused if another run holds it."""
    handle = open(_lock_path(state_dir, send_id), "a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Refused(
                f"send {send_id} is already running (process {holder})",
                hint="wait for it to finish; two runs of one send could deliver twice",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def is_locked(state_dir: Path, send_id: str) -> bool:
    """True while a run holds the lock for ``send_id``."""
    path = Path(state_dir) / "locks" / f"{send_id}.lock"
    if not path.is_file():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False

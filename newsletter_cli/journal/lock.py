"""One run per send at a time: an OS file lock, released even by ``kill -9``.

POSIX systems use ``fcntl.flock`` (an exclusive lock to run, a shared one to look);
Windows uses ``msvcrt.locking`` on one byte far past the process id the holder writes,
so another process can still read who holds it. Windows has no shared lock: a look
takes the byte for an instant and gives it back, and tries again if two looks meet.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from newsletter_cli.errors import ConfigError, Refused

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    try:
        import msvcrt
    except ImportError:
        msvcrt = None  # type: ignore[assignment]

#: Where the Windows lock byte is: past any process id written at the start of the file.
LOCK_OFFSET = 1 << 30
#: Looks at a lock on Windows that meet another look: how often, how far apart.
LOOK_TRIES, LOOK_PAUSE = 5, 0.01


def _lock_path(state_dir: Path, send_id: str) -> Path:
    folder = Path(state_dir) / "locks"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / f"{send_id}.lock"


def _take(handle: IO[str], shared: bool = False) -> bool:
    """Lock ``handle`` without waiting; False if another process holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
                        | fcntl.LOCK_NB)  # fmt: skip
        except BlockingIOError:
            return False
        return True
    if msvcrt is None:
        raise ConfigError("this system offers no file locks (neither fcntl nor msvcrt)")
    os.lseek(handle.fileno(), LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _give_back(handle: IO[str]) -> None:
    """Release a lock :func:`_take` took (closing the file releases it too)."""
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return
    os.lseek(handle.fileno(), LOCK_OFFSET, os.SEEK_SET)
    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


@contextmanager
def send_lock(state_dir: Path, send_id: str) -> Iterator[None]:
    """Hold the lock for ``send_id``; Refused if another run holds it."""
    handle = open(_lock_path(state_dir, send_id), "a+", encoding="utf-8")
    try:
        if not _take(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Refused(
                f"send {send_id} is already running (process {holder})",
                hint="wait for it to finish; two runs of one send could deliver twice",
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            _give_back(handle)
    finally:
        handle.close()


def is_locked(state_dir: Path, send_id: str) -> bool:
    """True while a run holds the lock for ``send_id``."""
    path = Path(state_dir) / "locks" / f"{send_id}.lock"
    if not path.is_file():
        return False
    with open(path, "a+", encoding="utf-8") as handle:
        for attempt in range(1 if fcntl is not None else LOOK_TRIES):
            if attempt:
                time.sleep(LOOK_PAUSE)
            if _take(handle, shared=True):
                _give_back(handle)
                return False
        return True

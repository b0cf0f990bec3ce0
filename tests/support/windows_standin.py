"""Run code as on Windows: the POSIX-only modules gone, and ``msvcrt.locking`` in their place.

``block_posix()`` puts None in sys.modules for each module Windows lacks, so importing
one raises ImportError, as there. The stand-in ``msvcrt`` keeps Windows' contract for
``locking`` (a non-blocking exclusive lock held per open file, OSError when another
holds it, LK_UNLCK to give it back) on top of ``flock``, taken before ``fcntl`` goes;
it records each call so a test can see the Windows path ran. Call it first thing in a
fresh interpreter (a subprocess), before newsletter_cli is imported.
"""

from __future__ import annotations

import sys
import types

POSIX_ONLY = ("fcntl", "pwd", "grp", "termios", "resource", "pty", "tty", "posix")


def block_posix() -> list[tuple[int, int, int]]:
    """Make the POSIX-only modules unimportable; install the stand-in msvcrt; its call log."""
    import os
    import subprocess  # noqa: F401 - it takes an importable msvcrt to mean Windows

    calls: list[tuple[int, int, int]] = []
    if os.name == "nt":  # really Windows: the real msvcrt, and nothing to block
        return calls
    import fcntl
    standin = types.ModuleType("msvcrt")
    standin.LK_UNLCK, standin.LK_LOCK, standin.LK_NBLCK, standin.LK_RLCK, standin.LK_NBRLCK = (
        0, 1, 2, 3, 4)  # fmt: skip

    def locking(fd: int, mode: int, nbytes: int) -> None:
        calls.append((mode, os.lseek(fd, 0, os.SEEK_CUR), nbytes))
        if mode == standin.LK_UNLCK:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PermissionError(13, "Permission denied") from None

    standin.locking = locking
    for name in POSIX_ONLY:
        if name != "posix":  # os itself is built on it; Windows has nt in its place
            sys.modules[name] = None  # type: ignore[assignment]
    sys.modules["msvcrt"] = standin
    return calls

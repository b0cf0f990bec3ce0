"""Noticing saved files by polling their modification times (no extra dependency).

A :class:`Watcher` looks at a few files and every file under a few folders. Each
:meth:`Watcher.poll` compares size and mtime with the last look and bumps a
version counter when anything was saved, added or removed. It is cheap (a few
dozen ``stat`` calls), so the preview page can ask twice a second.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

Signature = tuple[tuple[str, int, int], ...]


def _ignored(name: str) -> bool:
    """Editor droppings that are not the user's files: .swp, backups, hidden files."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class Watcher:
    """Tracks files and folders; :meth:`poll` returns a version that grows on every change."""

    def __init__(self, files: Iterable[Path] = (), folders: Iterable[Path] = ()) -> None:
        self.files = tuple(Path(f) for f in files)
        self.folders = tuple(Path(f) for f in folders)
        self._lock = threading.Lock()
        self._last = self.signature()
        self._version = 1

    def _paths(self) -> Iterable[Path]:
        yield from self.files
        for folder in self.folders:
            for top, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not _ignored(d))
                for name in sorted(names):
                    if not _ignored(name):
                        yield Path(top, name)

    def signature(self) -> Signature:
        """(path, mtime in ns, size) of every watched file that exists now."""
        found = []
        for path in self._paths():
            try:
                info = path.stat()
            except OSError:
                continue
            found.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(found)

    @property
    def version(self) -> int:
        return self._version

    def poll(self) -> int:
        """Look again; bump and return the version if anything changed since the last look."""
        with self._lock:
            now = self.signature()
            if now != self._last:
                self._last = now
                self._version += 1
            return self._version

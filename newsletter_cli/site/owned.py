"""What `publish` owns in its folder: the files listed in ``.newsletter-publish.json``.

Publish writes only into an empty folder or one it made (one holding this list), and
in it never replaces or removes a file that is not on the list, nor one changed since
it was written (its SHA-256 no longer matches). Files are written through a temporary
file made with :func:`tempfile.mkstemp` (O_CREAT|O_EXCL, never following a link) in
the same folder, then renamed over the old one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from newsletter_cli.errors import InputError

MANIFEST = ".newsletter-publish.json"
WRITTEN_BY = "newsletter publish"
#: How many foreign files a refusal names.
SHOWN = 5


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; the temporary file never follows a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # a web server must be able to read it
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _foreign(folder: Path) -> list[str]:
    """The first few files (or links) under ``folder``, in name order, as relative paths."""
    found: list[str] = []
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if os.path.islink(Path(top, d))):
            found.append(Path(top, name).relative_to(folder).as_posix())
            if len(found) > SHOWN:
                return found
    return found


def _refuse_foreign(folder: Path, found: list[str]) -> InputError:
    more = ", and more" if len(found) > SHOWN else ""
    return InputError(
        f"holds files that publish did not write ({', '.join(found[:SHOWN])}{more}): publish "
        "writes only into an empty folder or one it made itself; give --out an empty folder "
        "(or a new name) instead",
        path=folder if folder.name else folder.resolve(),  # "." is named in full
    )


@dataclass
class Manifest:
    """The files publish wrote in ``folder``: relative path -> SHA-256 of what it wrote."""

    folder: Path
    files: dict[str, str] = field(default_factory=dict)
    #: Written just before files change, so a crash between two writes loses nothing.
    pending: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The folder's list; InputError if the folder holds files but is not publish's."""
        manifest = cls(folder)
        if not manifest.path.is_file() or manifest.path.is_symlink():
            found = _foreign(folder) if folder.is_dir() else []
            if found:
                raise _refuse_foreign(folder, found)
            return manifest
        bad = InputError(
            "is not the list publish keeps of the files it wrote; empty the folder or "
            "publish into an empty one",
            path=manifest.path,
        )
        try:
            data = json.loads(manifest.path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            raise bad from None
        if not isinstance(data, dict) or data.get("written_by") != WRITTEN_BY:
            raise bad
        for name in ("files", "pending"):
            table = data.get(name, {})
            if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()
            ):
                raise bad
            setattr(manifest, name, dict(table))
        return manifest

    def owns(self, rel: str, current: bytes) -> bool:
        """True when ``rel`` holds bytes publish wrote (or was about to write) there."""
        return digest(current) in {self.files.get(rel), self.pending.get(rel)}

    def save(self) -> None:
        data = {"written_by": WRITTEN_BY, "version": 1, "files": dict(sorted(self.files.items()))}
        if self.pending:
            data["pending"] = dict(sorted(self.pending.items()))
        raw = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        if not (self.path.is_file() and self.path.read_bytes() == raw):
            write_file(self.path, raw)

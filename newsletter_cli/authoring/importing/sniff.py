"""What a source file really is, by its first bytes and size, whatever its name says."""

from __future__ import annotations

import zipfile
from pathlib import Path

from newsletter_cli.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
KINDS = {".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text has NULs
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a character cut at the end of the sample
    return True


def _check_docx(path: Path, head: bytes) -> None:
    if head.startswith(OLE_MAGIC):
        raise InputError(
            "is password-protected or an old-style .doc file, not a .docx: "
            "open it in Word, remove the password and save it as a Word Document (.docx)",
            path=path,
        )
    if not head.startswith(ZIP_MAGIC):
        what = "text" if _looks_like_text(head) else "something else"
        raise InputError(f"is not a Word document (it holds {what}): save it as .docx", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise InputError("is damaged: Word cannot open it either; save it again",
                         path=path) from None  # fmt: skip
    if "word/document.xml" not in names:
        raise InputError("is a zip file but not a Word document (no word/document.xml)", path=path)
    if broken is not None:
        raise InputError(f"is damaged ({broken} cannot be read): save it again", path=path)


def sniff(path: Path) -> str:
    """'docx', 'html' or 'text' for ``path``; InputError when it is not what it says."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(KINDS))
        raise InputError(f"cannot import a {path.suffix or 'file without an extension'}: "
                         f"use one of {known}", path=path)  # fmt: skip
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None
    if size == 0 or not head.strip():
        raise InputError("is empty: there is nothing to import", path=path)
    if size > MAX_BYTES:
        raise InputError(f"is {size / 1024 / 1024:.0f} MB; the limit is 20 MB "
                         "(save a copy without pictures)", path=path)  # fmt: skip
    if kind == "docx":
        _check_docx(path, head)
    elif head.startswith((ZIP_MAGIC, OLE_MAGIC)) or not _looks_like_text(head):
        raise InputError(f"is not a {path.suffix} file: it holds binary data "
                         "(a Word document? give it the .docx extension)", path=path)  # fmt: skip
    return kind


def read_text_file(path: Path) -> str:
    """The text of a .txt/.md/.html file (UTF-8, UTF-16 or Windows-1252), line breaks as \\n."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")

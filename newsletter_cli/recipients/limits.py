"""How much a contacts or suppression file may hold: refused, naming the file and line,
before reading it costs more than its size.

A workbook is a zip of XML parts. Its central directory says how large each part is
unpacked, so a workbook too large is refused before the reader opens it; the shared
strings (every text in the workbook, which a reader loads whole) are counted in one
streamed pass first. A 1.2 MB workbook of 30 million empty texts (390 MB unpacked) took
openpyxl 3 min 46 s and 2.9 GB; it is now refused in milliseconds.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from newsletter_cli.errors import InputError

#: Rows of contacts (or suppressions) in one file, after the header.
MAX_ROWS = 100_000
#: Characters in one cell the tool reads (an address, a name, an organisation, tags).
MAX_CELL = 1_000
#: A CSV file on disk: 100,000 contacts with five columns are about 10 MB.
MAX_CSV_BYTES = 50_000_000
#: A workbook's parts unpacked, all told. 100,000 contacts in six columns are 35 MB
#: unpacked (measured: benchmarks/bench_xlsx.py's workbook); Excel's styles and a few
#: more columns fit too, while reading stays within seconds and a few hundred MB.
MAX_UNPACKED = 100_000_000
#: Different texts in a workbook's shared strings: 100,000 rows of ten distinct texts.
MAX_SHARED_STRINGS = 1_000_000
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")
_CARRY = 16  # longer than any match of _SHARED_ITEM


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def check_csv_size(path: Path, shown: str) -> None:
    """InputError when the CSV file is larger than :data:`MAX_CSV_BYTES` (nothing read)."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader says why it cannot be read
    if size > MAX_CSV_BYTES:
        raise InputError(f"the file is {_mb(size)}; a contacts file may be at most "
                         f"{_mb(MAX_CSV_BYTES)} (100,000 contacts are about 10 MB)",
                         path=shown)  # fmt: skip


def check_workbook_size(path: Path, shown: str) -> None:
    """InputError when the workbook unpacks to more than :data:`MAX_UNPACKED` or holds more
    than :data:`MAX_SHARED_STRINGS` texts; read from the zip before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return  # not a zip (or unreadable): openpyxl's reader says so
    with archive:
        parts = archive.infolist()
        unpacked = sum(info.file_size for info in parts)
        if unpacked > MAX_UNPACKED:
            largest = max(parts, key=lambda info: info.file_size)
            raise InputError(
                f"the workbook unpacks to {_mb(unpacked)} ({largest.filename}: "
                f"{_mb(largest.file_size)}); at most {_mb(MAX_UNPACKED)} is read "
                "(100,000 contacts are about 35 MB)",
                path=shown,
                hint="save only the contacts sheet as a new workbook, or as CSV UTF-8",
            )
        for info in parts:
            if info.filename.lower().endswith("sharedstrings.xml"):
                _count_shared_strings(archive, info, shown)


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> None:
    """Count the ``<si>`` items in one streamed pass; stop past the limit."""
    count = 0
    carry = b""
    try:
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                buffer = carry + chunk
                cut = len(buffer) - _CARRY
                count += sum(1 for m in _SHARED_ITEM.finditer(buffer) if m.start() < cut)
                carry = buffer[cut:] if cut > 0 else buffer
                if count > MAX_SHARED_STRINGS:
                    raise InputError(
                        f"the workbook holds more than {MAX_SHARED_STRINGS:,} different texts "
                        f"({info.filename}); a contacts workbook of 100,000 rows needs far "
                        "fewer",
                        path=shown,
                        hint="save only the contacts sheet as a new workbook, or as CSV UTF-8",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
        return  # a damaged or encrypted part: openpyxl's reader says so


def too_many_rows(shown: str, line: int) -> InputError:
    """The error for the row past :data:`MAX_ROWS`."""
    return InputError(f"more than {MAX_ROWS:,} rows: split the file in two (every file in "
                      "recipients/ is read)", path=shown, line=line)  # fmt: skip

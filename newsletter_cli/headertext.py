"""Text that may go into an email header: one line, no encoded words, no control characters.

A value read from a file (a contact's name, the subject, the sender's name...) must never
become a header line of its own. Python's email package decodes RFC 2047 encoded words
(``=?utf-8?q?...?=``) in the values it is given and, on some versions (CVE-2024-6923:
3.11.7 and 3.12.1 among them), writes the decoded line breaks back out raw. So such a
value is refused wherever it is read, after every decoding step (CSV or Excel cell,
``Name <address>`` cell, TOML or YAML escapes), and once more when a header is written.
"""

from __future__ import annotations

import re

#: What ``str.splitlines()`` breaks on: LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# '=?' starts an encoded word; C0 controls but tab, DEL, C1 controls, LS and PS.
_UNSAFE = re.compile("=\\?|[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


class UnsafeHeader(ValueError):
    """A header value that could add a header line or end the headers: nothing is sent."""


def header_problem(text: str) -> str | None:
    """Why ``text`` cannot go into an email header (e.g. "holds a line break (U+000A)")."""
    found = _UNSAFE.search(text)
    if found is None:
        return None
    if found[0] == "=?":
        return "holds '=?' (how an encoded word starts, which can hide a line break)"
    char = found[0]
    what = "a line break" if char in LINE_BREAKS else "a control character"
    return f"holds {what} (U+{ord(char):04X})"


def header_value(header: str, text: str) -> str:
    """``text`` unchanged, or UnsafeHeader naming the header it was meant for."""
    problem = header_problem(text)
    if problem:
        raise UnsafeHeader(f"the {header} header {problem}: {text[:60]!r}")
    return text

"""The plain-text part's shape: lines of at most 78 characters; a long URL has a line to itself."""

from __future__ import annotations

import re

WIDTH = 78
#: What a continuation line lines up under: a bullet, a number, or a short label ("When:     ").
_PREFIX = re.compile(r"^(\s*)((?:[-*] |\d+\. )|(?:[A-Z][A-Za-z /]{0,16}:\s+))?")


def wrap_line(line: str, width: int = WIDTH) -> list[str]:
    """One line, wrapped; continuation lines are indented under the text, not the marker.

    A word too long for any line (a URL) gets a line of its own, after its label.
    """
    if len(line) <= width:
        return [line]
    match = _PREFIX.match(line)
    indent, marker = match[1], match[2] or ""
    words = line[len(indent) + len(marker) :].split()
    if not words:
        return [line]
    hang = " " * (len(indent) + len(marker))
    lines: list[str] = []
    current, filled = indent + marker, False
    for word in words:
        if len(current) + filled + len(word) <= width:
            current += (" " if filled else "") + word
            filled = True
            continue
        if filled or marker.rstrip().endswith(":"):
            lines.append(current.rstrip())
            pad = hang if len(hang) + len(word) <= width else indent
            current = pad + word
        else:  # a bullet followed by a word too long for any line: keep them together
            current += word
        filled = True
    lines.append(current.rstrip())
    return lines


def wrap_text(text: str, width: int = WIDTH) -> str:
    """Every line of ``text`` wrapped to ``width`` (a word longer than that keeps its own line)."""
    return "\n".join(out for line in text.split("\n") for out in wrap_line(line, width))

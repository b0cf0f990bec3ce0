"""YAML mistakes in plain words: what went wrong and how to write it instead.

ruamel's messages ("mapping values are not allowed here", "expected <block end>, but
found '<scalar>'") describe the parser, not the file. :func:`explain` turns the usual
mistakes of someone editing an issue by hand into a sentence with the fix, and the line
to look at: a colon in unquoted text, a tab, a quote never closed, text after a closing
quote, indentation that does not line up, text starting with a character YAML reserves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

#: Characters that cannot start unquoted text, and what YAML takes them for.
RESERVED_START = {
    "[": "a list", "{": "a set of fields", "*": "a reference", "&": "a reference", "!": "a tag",
    "@": "a reserved character", "`": "a reserved character", "%": "a directive",
    "?": "a key", "|": "the start of a text block", ">": "the start of a text block",
}
UNCLOSED = 'a quote opened on this line is never closed: add the closing " at the end'
_KEY_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*?)\s*(#.*)?$")


def explain(exc: Any, text: str) -> tuple[str, int | None]:
    """(message in plain words, 1-based line) for a ruamel MarkedYAMLError on ``text``."""
    lines = text.splitlines()
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    context_line = exc.context_mark.line + 1 if exc.context_mark is not None else line
    source = lines[line - 1] if line and line <= len(lines) else ""

    if "'\\t'" in problem or "\t" in problem:
        return "a tab is used here to indent: use spaces, not tabs (two for each level)", line
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        name = f"{key[1]!r}" if key else "a field"
        return f"{name} is written twice in the same block: keep one of them", line
    if "while scanning a quoted scalar" in (exc.context or ""):
        return _unclosed(lines, context_line)
    unclosed = _unclosed_before(lines, line)
    if unclosed is not None and "block scalar" not in (exc.context or ""):
        return UNCLOSED, unclosed
    if problem == "mapping values are not allowed here":
        return _colon(source, lines, line)
    if "expected <block end>, but found '<scalar>'" in problem:
        return _after_quote_or_reserved(source, lines, line)
    if "expected <block end>" in problem or "expected <block mapping end>" in problem:
        return (
            "the indentation does not line up: start this line in the same column as the "
            "other fields of its block (spaces only, two for each level)",
            line,
        )
    if "could not find expected ':'" in problem:
        return (
            "a line without 'field: value': add the ':' after the field's name, or if this is "
            "text that belongs to the field above, put it after '|' and indent it further",
            context_line,
        )
    if "while scanning a block scalar" in (exc.context or ""):
        return "after '|' the text goes on the lines below, indented further", line
    reserved = re.search(r"found character '(.)' that cannot start any token", problem)
    if reserved or "undefined alias" in problem or "mapping keys are not allowed" in problem:
        char = reserved[1] if reserved else "*" if "alias" in problem else "?"
        return _quote_it(char, source), line
    return problem, line


#: Characters YAML reads as markup at the start of a value, often without any error:
#: ``heading: &more news`` is the text "news" (``&more`` names it), ``!new`` a tag.
SILENT_START = "&!"


def reserved_start(text: str) -> tuple[str, int] | None:
    """(message with the fix, line) for the first value that starts with & or ! unquoted;
    None when there is none. Text blocks (after ``|`` or ``>``) and comments are skipped."""
    for number, source, value in _values(text.splitlines()):
        if value[:1] in SILENT_START and value and not _anchor_in_use(value, text):
            return _quote_it(value[0], source), number
    return None


def _values(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(1-based line, line, its value) for each line outside text blocks.

    A line that opens a text block (value ``|`` or ``>``) is not given; nor are the lines
    of the block, which are just text.
    """
    block_indent: int | None = None
    for number, source in enumerate(lines, start=1):
        indent = len(source) - len(source.lstrip(" "))
        if block_indent is not None:
            if not source.strip() or indent > block_indent:
                continue
            block_indent = None
        match = _KEY_VALUE.match(source) or re.match(r"^(\s*-\s+)()(.*?)\s*(#.*)?$", source)
        value = match[3] if match else ""
        if re.fullmatch(r"[|>][-+0-9]*", value):
            block_indent = indent
        else:
            yield number, source, value


def _anchor_in_use(value: str, text: str) -> bool:
    """True for ``&name`` that the file repeats somewhere as ``*name`` (YAML on purpose)."""
    anchor = re.match(r"&([^\s,\[\]{}]+)", value)
    return bool(anchor) and re.search(rf"\*{re.escape(anchor[1])}(?![^\s,\]}}])", text) is not None


def _quote_it(char: str, source: str) -> str:
    what = RESERVED_START.get(char, "something else")
    fix = _fixed(source)
    return f"text starting with {char} must be in quotes (YAML takes {char} for {what})" + (
        f": write {fix}" if fix else ""
    )


def _fixed(source: str) -> str | None:
    """``key: text`` from the line with the text in double quotes, if it is such a line."""
    match = _KEY_VALUE.match(source)
    if not match or not match[3]:
        return None
    value = match[3]
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{match[2]}: "{escaped}"'


def _colon(source: str, lines: list[str], line: int | None) -> tuple[str, int | None]:
    match = _KEY_VALUE.match(source)
    if match and ": " in f"{match[3]} " and match[3][:1] not in "\"'":
        fix = _fixed(source)
        return f"text with ': ' in it must be in quotes: write {fix}", line
    return (
        "this line is indented more than the field above it: line it up with the other "
        "fields of its block; if it is more text for the field above, put that text after "
        "'|' on the lines below",
        line,
    )


def _unclosed_before(lines: list[str], line: int | None) -> int | None:
    """The first line before ``line`` whose value opens a double quote it does not close.

    Lines of a text block (after ``|`` or ``>``) are skipped: quotes there are just text.
    """
    for number, _source, value in _values(lines[: (line or 1) - 1]):
        if value.startswith('"') and not re.search(r'(?<!\\)"$', value[1:]):
            return number
    return None


def _unclosed(lines: list[str], opened: int | None) -> tuple[str, int | None]:
    source = lines[opened - 1] if opened and opened <= len(lines) else ""
    if "'" in source and '"' not in source:
        return (
            "a text in 'single quotes' is never closed (an apostrophe inside it ends it): "
            "use double quotes instead, e.g. \"children's services\"",
            opened,
        )
    return UNCLOSED, opened


def _after_quote_or_reserved(
    source: str, lines: list[str], line: int | None
) -> tuple[str, int | None]:
    match = _KEY_VALUE.match(source)
    value = match[3] if match else source.strip()
    if value[:1] in "[{" and line is not None:
        return _quote_it(value[0], source), line
    if value[:1] == "'":
        return (
            "an apostrophe ends the text in 'single quotes' early: put the whole text in "
            "double quotes instead" + (f": write {_fixed(source)}" if _fixed(source) else ""),
            line,
        )
    return (
        "text goes on after its closing quote: put the whole text inside one pair of double "
        "quotes",
        line,
    )

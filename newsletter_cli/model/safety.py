"""What an issue file may not hold, refused when it is loaded (file:line, exit 2).

- control characters: none at all in ``title``, ``subject``, ``preheader`` or an address
  (a line break there would split an email header); elsewhere only tabs and line breaks;
- in every text (and key), characters XML cannot carry (U+FFFE, U+FFFF, lone surrogates; the
  controls are refused as above): the web page, feed and sitemap could not be read;
- ``=?`` in the issue's ``title``, ``subject`` or ``preheader``: it starts an encoded word,
  which some Python versions turn into a new header line (see :mod:`newsletter_cli.headertext`);
- image addresses (``src``, ``href``) and ``view_online_url`` other than https:// or
  http:// (a relative path such as ``images/photo.jpg`` is allowed for an image);
- a ``template`` that is not a plain folder name in templates/ (no ``/``, ``\\``, ``..``);
- Markdown nested more than :data:`MAX_NESTING` deep: mjml-python crashes the whole
  process (SIGSEGV) on HTML nested about 9,000 deep, so the limit is far below that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsletter_cli.errors import InputError, raise_all
from newsletter_cli.headertext import header_problem
from newsletter_cli.markdown import nesting_depth
from newsletter_cli.model.parts import Model, is_placeholder
from newsletter_cli.sourcefile import describe_place, line_of
from newsletter_cli.urls import url_problem

#: Deepest Markdown accepted (lists, quotes and emphasis inside each other). Real issues
#: use 3 or 4; mjml-python crashed at about 9,000 in our measurement (tests/test_hard_inputs.py).
MAX_NESTING = 50
ONE_LINE_FIELDS = frozenset({"title", "subject", "preheader", "src", "href", "url",
                             "view_online_url", "contact"})  # fmt: skip
#: The issue's own fields that reach an email header (the subject is the title by default).
HEADER_FIELDS = frozenset({"title", "subject", "preheader"})
URL_FIELDS = {"src": True, "href": True, "view_online_url": False}  # name -> relative ok
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# C0 controls, DEL, C1 controls, and Unicode's line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Every level of Markdown nesting needs one of these (a list level adds two: ul and li).
_MARKERS = re.compile(r"[*_~>\[+.)-]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR allowed
# Not characters in XML 1.0 (lone surrogates, U+FFFE, U+FFFF): a feed holding one is broken.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _fields(model: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, str, str, tuple]]:
    """(model, field name, text, loc) for every string in the issue, lists included."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            at = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, str):
                yield model, name, item, at
            elif isinstance(item, Model):
                yield from _fields(item, at)


def _problem(name: str, text: str) -> str | None:
    bad = (_CONTROL if name in ONE_LINE_FIELDS else _CONTROL_IN_TEXT).search(text)
    if bad:
        what = "a line break" if bad[0] in "\r\n\u2028\u2029" else "a control character"
        return f"has {what} (U+{ord(bad[0]):04X}); write it as plain text on one line" if (
            name in ONE_LINE_FIELDS
        ) else f"has a control character (U+{ord(bad[0]):04X}) that cannot go in an email"
    if name in URL_FIELDS:
        if not is_placeholder(text):  # `check` refuses placeholders
            return url_problem(text, relative_ok=URL_FIELDS[name])
    if name == "template" and (not TEMPLATE_NAME.match(text) or ".." in text):
        return "give the name of a folder in templates/ (no '/', '\\' or '..')"
    if 2 * len(_MARKERS.findall(text)) + 4 > MAX_NESTING:  # else it cannot nest that deep
        depth = nesting_depth(text)
        if depth > MAX_NESTING:
            return (
                f"the Markdown is nested {depth} deep (lists, quotes or emphasis inside each "
                f"other); at most {MAX_NESTING} can be rendered safely"
            )
    return None


def unsafe_text(issue: Any, path: Path) -> list[InputError]:
    """An InputError naming file, line and field for each value the issue may not hold."""
    found = []
    for model, name, text, loc in _fields(issue):
        problem = _problem(name, text)
        if problem is None and len(loc) == 1 and name in HEADER_FIELDS:
            header = header_problem(text)
            problem = f"{header}, which is not safe in an email header" if header else None
        if problem:
            found.append(InputError(f"{describe_place(issue, loc)}: {problem}", path=path,
                                    line=model.field_line(name)))  # fmt: skip
    return found


def refuse_unsafe_text(issue: Any, path: Path) -> None:
    """Raise every value the issue may not hold (see :func:`unsafe_text`)."""
    raise_all(unsafe_text(issue, path))


def _strings(data: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(loc, text) for every key and text value in parsed YAML, in file order, without
    recursion (a file nested hundreds deep is refused elsewhere, not here)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, str):
            yield loc, node
        elif isinstance(node, dict):
            for key in node:
                if isinstance(key, str):
                    yield (*loc, key), key
            stack.extend(((*loc, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(node))))


def not_xml(data: Any, path: Path) -> list[InputError]:
    """An InputError at each text an XML file (page, feed, sitemap) cannot carry."""
    found = []
    for loc, text in _strings(data):
        bad = _NOT_XML.search(text)
        if bad:
            found.append(InputError(
                f"{describe_place(data, loc)}: has U+{ord(bad[0]):04X}, which is not a "
                "character a web page or feed can carry; delete it (it often comes from "
                "copying and pasting)",
                path=path,
                line=line_of(data, loc),
            ))  # fmt: skip
    return found


def refuse_not_xml(data: Any, path: Path) -> None:
    """Raise every text an XML file cannot carry (see :func:`not_xml`)."""
    raise_all(not_xml(data, path))

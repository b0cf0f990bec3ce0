"""Write YAML that a person edits next: every text in double quotes, long text as ``|``.

Used by `newsletter new`. A text in double quotes never breaks the file, whatever it
holds (``children's``, ``: ``, ``#``, a leading ``*`` or ``[``); text of several lines
is written as a ``|`` block, as the samples do, so Markdown reads naturally. Numbers and
true/false stay as they are. What :func:`dump` writes loads back to the same data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

INDENT = "  "
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
#: Characters a YAML file cannot hold as they are (besides tab and line break).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _UNPRINTABLE.match(char):
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _block_style(text: str) -> str | None:
    """The ``|`` header for ``text`` as a literal block, or None when quotes suit it better."""
    if "\n" not in text or "\r" in text or _UNPRINTABLE.search(text):
        return None
    first = text.lstrip("\n").split("\n", 1)[0]
    if text.startswith("\n") or first[:1] in (" ", "\t") or text.endswith("\n\n"):
        return None
    return "|" if text.endswith("\n") else "|-"


def scalar(value: Any) -> str:
    """One value on one line: text quoted, numbers and true/false as they are."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return quoted(str(value))


def _key(name: Any) -> str:
    text = str(name)
    return text if _PLAIN_KEY.match(text) else quoted(text)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _lines(data: Any, indent: str) -> list[str]:
    """The lines of a mapping or list, each starting with ``indent``."""
    out: list[str] = []
    if isinstance(data, Mapping):
        for key, value in data.items():
            out += _entry(f"{indent}{_key(key)}:", value, indent)
    else:
        for item in data:
            if isinstance(item, Mapping) and item:
                inner = _lines(item, indent + INDENT)
                out.append(f"{indent}- {inner[0][len(indent) + len(INDENT):]}")
                out += inner[1:]
            else:
                out += _entry(f"{indent}-", item, indent)
    return out


def _entry(head: str, value: Any, indent: str) -> list[str]:
    """``head`` (``key:`` or ``-``) and its value: inline, a ``|`` block or nested lines."""
    if isinstance(value, str) and (style := _block_style(value)):
        body = value[:-1] if value.endswith("\n") else value
        return [f"{head} {style}"] + [
            f"{indent}{INDENT}{line}" if line else "" for line in body.split("\n")
        ]
    if _is_scalar(value):
        return [f"{head} {scalar(value)}"]
    if not value:
        return [f"{head} {'{}' if isinstance(value, Mapping) else '[]'}"]
    if isinstance(value, list | tuple) and all(
        _is_scalar(v) and not (isinstance(v, str) and "\n" in v) for v in value
    ):
        return [f"{head} [{', '.join(scalar(v) for v in value)}]"]
    return [head] + _lines(value, indent + INDENT)


def dump(data: Mapping[str, Any]) -> str:
    """A mapping as YAML text (block style), ending with a line break."""
    return "\n".join(_lines(data, "")) + "\n"


def commented(text: str) -> str:
    """Every line of ``text`` as a comment: removing the leading "# " brings it back."""
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())

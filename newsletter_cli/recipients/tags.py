"""Tag and list names: one spelling for 'SEND lead', 'send_lead' and 'send-lead'."""

from __future__ import annotations

import re
from collections.abc import Iterable

_NOT_NAME = re.compile(r"[^a-z0-9]+")
_SEPARATORS = re.compile(r"[;,|\n]")


def tag_key(text: str) -> str:
    """'SEND Lead ' -> 'send-lead': lower case, any other characters become one '-'."""
    return _NOT_NAME.sub("-", text.lower()).strip("-")


def split_tags(cell: str) -> frozenset[str]:
    """'dcs; SEND lead, safeguarding' -> {'dcs', 'send-lead', 'safeguarding'}."""
    return frozenset(key for part in _SEPARATORS.split(cell) if (key := tag_key(part)))


def visible(only_for: Iterable[str] | None, keys: Iterable[str] | None) -> bool:
    """May a block limited to ``only_for`` be shown to someone with these audience keys?

    An empty ``only_for`` means everyone; ``keys=None`` means no audience was chosen
    (the editor's full view), so every block is shown.
    """
    wanted = {tag_key(name) for name in only_for or ()}
    if not wanted or keys is None:
        return True
    return not wanted.isdisjoint(keys)

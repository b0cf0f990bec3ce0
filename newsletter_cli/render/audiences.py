"""The versions of an issue, in words: who gets which blocks (for the send screen).

An issue whose blocks all go to everyone has one version; each block with ``only_for``
may split it. :func:`versions_in_words` says what each version holds in plain words:
"2 versions: 3 people get every block, including block 5 "Safeguarding update" (only for
dcs); 1 person gets all but block 5".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: How a version of a send is keyed: the 1-based numbers of the blocks it shows.
_KEY = re.compile(r"^blocks ((?:\d+,)*\d+)$")


def shown_blocks(key: str) -> set[int] | None:
    """'blocks 1,2,5' -> {0, 1, 4} (indexes into ``issue.blocks``); None for another key."""
    match = _KEY.match(key)
    return None if match is None else {int(n) - 1 for n in match[1].split(",")}


def _people(count: int) -> str:
    """'1 person gets', '3 people get'."""
    return f"{count} person gets" if count == 1 else f"{count} people get"


class _Namer:
    """Names a block in full the first time ('block 5 "Title" (only for dcs)'), then short."""

    def __init__(self, blocks: Sequence[Any]) -> None:
        self.blocks = blocks
        self.named: set[int] = set()

    def __call__(self, indexes: list[int]) -> str:
        names = []
        for i in indexes:
            name = f"block {i + 1}"
            if i not in self.named:
                label = getattr(self.blocks[i], "label", "")  # its heading, else its kind
                only = ", ".join(self.blocks[i].only_for)
                name += (f' "{label}"' if label else "") + f" (only for {only})"
                self.named.add(i)
            names.append(name)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def versions_in_words(blocks: Sequence[Any], variants: Sequence[Any]) -> str:
    """What each version of the issue holds and how many people get it, in words.

    ``variants`` have a ``key`` ('blocks 1,2,5': the blocks that version shows) and
    ``contacts``.
    """
    if len(variants) <= 1:
        return "1 (everyone gets the same blocks)"
    limited = [i for i, block in enumerate(blocks) if getattr(block, "only_for", None)]
    shown = [shown_blocks(v.key) for v in variants]
    if any(s is None for s in shown) or not limited:
        parts = [f"{v.key}: {len(v.contacts)}" for v in variants]
        return f"{len(variants)} by audience ({'; '.join(parts)})"
    name = _Namer(blocks)
    parts = []
    for variant, visible in zip(variants, shown, strict=True):
        gets = [i for i in limited if i in visible]  # type: ignore[operator]
        misses = [i for i in limited if i not in gets]
        who = _people(len(variant.contacts))
        if not misses:
            parts.append(f"{who} every block, including {name(gets)}")
        elif not gets:
            parts.append(f"{who} all but {name(misses)}")
        else:
            parts.append(f"{who} {name(gets)} but not {name(misses)}")
    return f"{len(variants)} versions: " + "; ".join(parts)

"""Sets of contact positions as Python integers (bit i set = contact i is in).

100,000 contacts fit in 12.5 KB per set, and union, difference and subset tests run
in C; this keeps resolving lists fast and memory small.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ONE = re.compile("1")


def from_positions(positions: Iterable[int], size: int) -> int:
    """The set holding ``positions`` (each in ``range(size)``)."""
    bits = bytearray((size + 7) // 8)
    for i in positions:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


def full(size: int) -> int:
    """The set of every position below ``size``."""
    return (1 << size) - 1


def positions(mask: int) -> list[int]:
    """The positions in the set, in increasing order."""
    if not mask:
        return []
    text = format(mask, "b")[::-1]
    return [m.start() for m in _ONE.finditer(text)]


def lowest(mask: int) -> int:
    """The smallest position in a non-empty set."""
    return (mask & -mask).bit_length() - 1


def is_subset(inner: int, outer: int) -> bool:
    return not inner & ~outer

"""Bit sets of contact positions."""

from __future__ import annotations

from newsletter_cli.recipients import bitset


def test_round_trip_and_order() -> None:
    chosen = [0, 3, 7, 8, 64, 999]
    mask = bitset.from_positions(reversed(chosen), 1000)
    assert bitset.positions(mask) == chosen
    assert bitset.lowest(mask) == 0
    assert bitset.lowest(mask & ~1) == 3
    assert bitset.positions(0) == []
    assert bitset.positions(bitset.full(5)) == [0, 1, 2, 3, 4]


def test_subset() -> None:
    small = bitset.from_positions([1, 5], 10)
    big = bitset.from_positions([1, 2, 5], 10)
    assert bitset.is_subset(small, big)
    assert not bitset.is_subset(big, small)
    assert bitset.is_subset(0, small)

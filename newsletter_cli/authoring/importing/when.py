"""Dates and times as people write them: the parser lives in :mod:`newsletter_cli.humandates`
(low down, so loading an issue can name the date it meant); importing uses it from here."""

from __future__ import annotations

from newsletter_cli.humandates import (
    DAY_FIRST,
    MONTH_FIRST,
    MONTH_RANGE,
    MONTHS,
    DateHit,
    Sitting,
    deadline_in,
    find_dates,
    month_range,
    sittings,
    times_in,
)

__all__ = [
    "DAY_FIRST", "MONTH_FIRST", "MONTH_RANGE", "MONTHS", "DateHit", "Sitting", "deadline_in",
    "find_dates", "month_range", "sittings", "times_in",
]

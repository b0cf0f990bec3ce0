"""A provider's sending limits: messages per minute (paced) and recipients per day (a stop).

Both take an injectable clock and sleep, so tests check the decisions without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from newsletter_cli.errors import DeliveryError

DAY = 24 * 60 * 60


@dataclass
class Pacer:
    """At most ``per_minute`` messages a minute, evenly spaced (no bursts to be throttled)."""

    per_minute: int | None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = field(default=None, repr=False)

    def wait(self) -> float:
        """Sleep until the next message may start; return how long that was."""
        if not self.per_minute:
            return 0.0
        waited = 0.0
        if self._last is not None:
            waited = self._last + 60.0 / self.per_minute - self.clock()
            if waited > 0:
                self.sleep(waited)
        self._last = self.clock()
        return max(waited, 0.0)


@dataclass
class DailyQuota:
    """At most ``per_day`` recipients in 24 hours, counting what the journal says went already.

    ``sent_since(t)`` counts the recipients this machine's SMTP sends had accepted since
    unix time ``t``; it is asked once, at the first message of the run.
    """

    per_day: int | None
    sent_since: Callable[[float], int] | None = None
    clock: Callable[[], float] = time.time
    used: int | None = None  # in the last 24 hours, this run's messages included

    def check(self) -> DeliveryError | None:
        """None if one more recipient may be sent; else why the send must stop here."""
        if not self.per_day:
            return None
        if self.used is None:
            self.used = self.sent_since(self.clock() - DAY) if self.sent_since else 0
        if self.used < self.per_day:
            return None
        return DeliveryError(
            f"the daily limit of {self.per_day:,} recipients through this SMTP server is "
            f"reached ({self.used:,} in the last 24 hours); everyone else stays queued, "
            "to be sent once the oldest of those are 24 hours old"
        )

    def count(self) -> None:
        """One more recipient accepted."""
        if self.used is not None:
            self.used += 1

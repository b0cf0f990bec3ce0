"""Waiting before trying again: one back-off for every client (SendGrid reads and sends, SMTP).

- :class:`Backoff`: exponential, capped, with "equal jitter" (half the delay fixed, half
  random), so many clients that failed together do not all come back at the same moment.
- :func:`retry_after`: how long a server asked us to wait, from ``X-RateLimit-Reset``
  (a unix time, SendGrid) or ``Retry-After`` (seconds, or an HTTP date as RFC 9110 allows).

``sleep``, ``clock`` and ``rng`` are injectable, so tests neither wait nor guess.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with equal jitter: try ``n`` waits between half and all of
    ``first * 2**(n-1)``, never more than ``cap``."""

    first: float = 1.0
    cap: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    clock: Callable[[], float] = field(default=time.time, compare=False)
    rng: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, tries: int) -> float:
        """Seconds to wait after failed try number ``tries`` (1 for the first)."""
        ceiling = min(self.cap, self.first * 2 ** max(0, tries - 1))
        return ceiling / 2 + self.rng() * ceiling / 2

    def pause(self, tries: int) -> float:
        """Wait :meth:`delay` seconds; return how long."""
        seconds = self.delay(tries)
        self.sleep(seconds)
        return seconds

    def wait_asked(self, headers: object, *, cap: float, default: float | None = None) -> float:
        """Wait as long as the server asked (:func:`retry_after`), at most ``cap`` seconds;
        ``default`` (else the first back-off) when it asked nothing usable. Return how long."""
        asked = retry_after(headers, self.clock)
        if asked is None:
            asked = self.delay(1) if default is None else default
        seconds = max(0.0, min(cap, asked))
        self.sleep(seconds)
        return seconds


def retry_after(headers: object, clock: Callable[[], float] = time.time) -> float | None:
    """Seconds until the server will take requests again, or None when it does not say.

    ``X-RateLimit-Reset`` is a unix time; ``Retry-After`` is seconds or an HTTP date
    ('Wed, 21 Oct 2015 07:28:00 GMT'). The result may be negative (the time has passed).
    """
    get = getattr(headers, "get", None)
    if get is None:
        return None
    reset = get("X-RateLimit-Reset")
    if reset:
        try:
            return float(reset) - clock()
        except ValueError:
            pass
    after = get("Retry-After")
    if not after:
        return None
    try:
        return float(after)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(str(after))
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC without saying where the sender is
        when = when.replace(tzinfo=UTC)
    return when.timestamp() - clock()

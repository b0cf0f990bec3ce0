"""The one back-off every client uses: exponential, capped, jittered; Retry-After read."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from newsletter_cli.delivery.retry import Backoff, retry_after

NOW = datetime(2025, 10, 1, 9, 0, tzinfo=UTC).timestamp()


def clock() -> float:
    return NOW


@pytest.mark.parametrize("tries, low, high", [(1, 0.5, 1.0), (2, 1.0, 2.0), (3, 2.0, 4.0),
                                              (6, 5.0, 10.0), (20, 5.0, 10.0)])  # fmt: skip
def test_the_delay_doubles_with_equal_jitter_up_to_the_cap(tries, low, high):
    assert Backoff(1.0, 10.0, rng=lambda: 0.0).delay(tries) == low
    assert Backoff(1.0, 10.0, rng=lambda: 1.0).delay(tries) == high
    assert low < Backoff(1.0, 10.0, rng=lambda: 0.5).delay(tries) < high


def test_pause_sleeps_through_the_injected_sleep():
    slept: list[float] = []
    backoff = Backoff(0.2, 1.0, sleep=slept.append, rng=lambda: 1.0)
    assert [backoff.pause(n) for n in (1, 2, 3, 4)] == [0.2, 0.4, 0.8, 1.0]
    assert slept == [0.2, 0.4, 0.8, 1.0]


def test_retry_after_in_seconds():
    assert retry_after({"Retry-After": "120"}, clock) == 120.0


def test_retry_after_as_an_http_date():
    when = datetime.fromtimestamp(NOW + 90, UTC)
    assert retry_after({"Retry-After": format_datetime(when, usegmt=True)}, clock) == 90.0


def test_retry_after_as_a_date_without_a_zone_counts_as_utc():
    assert retry_after({"Retry-After": "Wed, 01 Oct 2025 09:00:30 -0000"}, clock) == 30.0


def test_the_rate_limit_reset_time_comes_first():
    headers = {"X-RateLimit-Reset": str(NOW + 7), "Retry-After": "100"}
    assert retry_after(headers, clock) == 7.0


@pytest.mark.parametrize("headers", [None, {}, {"Retry-After": "soon"}, {"Retry-After": ""},
                                     {"X-RateLimit-Reset": "later"}])  # fmt: skip
def test_nothing_usable_is_none(headers):
    assert retry_after(headers, clock) is None


def test_wait_asked_is_capped_never_negative_and_has_a_default():
    slept: list[float] = []
    backoff = Backoff(1.0, 30.0, sleep=slept.append, clock=clock, rng=lambda: 1.0)
    backoff.wait_asked({"Retry-After": "3600"}, cap=60.0)
    backoff.wait_asked({"X-RateLimit-Reset": str(NOW - 5)}, cap=60.0)
    backoff.wait_asked({}, cap=60.0, default=10.0)
    backoff.wait_asked({}, cap=60.0)  # no default: the first back-off
    assert slept == [60.0, 0.0, 10.0, 1.0]

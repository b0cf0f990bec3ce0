"""Fixtures for reports and suppression sync: the fake SendGrid, its client, the environment."""

from __future__ import annotations

import pytest
from support.no_link_check import without_link_check
from support.sendgrid import API_KEY, QUICK, SAMPLE_GROUP
from support.sendgrid_fake import FakeSendGrid

from newsletter_cli.delivery.sendgrid_http import client


@pytest.fixture
def fake() -> FakeSendGrid:
    server = FakeSendGrid(API_KEY).start()
    server.add_group(SAMPLE_GROUP)  # the account has the newsletter's unsubscribe group
    yield server
    server.stop()


@pytest.fixture
def api(fake):
    return client(API_KEY, fake.url)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def options(sleeps) -> dict:
    """What the library calls take in tests: quick retries, waits recorded, not slept."""
    return {"policy": QUICK, "sleep": sleeps.append}


@pytest.fixture
def env(fake) -> dict[str, str]:
    return {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}


@pytest.fixture
def invoke(invoke):
    """The CLI with --no-link-check on every send to lists (see tests/conftest.py)."""
    return without_link_check(invoke)

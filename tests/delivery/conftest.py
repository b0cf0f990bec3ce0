"""Fixtures for delivery: a fake SendGrid on 127.0.0.1, a journal, contacts, an email."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.no_link_check import without_link_check
from support.sendgrid import API_KEY, FAST, GROUP
from support.sendgrid_fake import FakeSendGrid
from support.sending import make_email

from newsletter_cli.delivery.backends.sendgrid import SendGridBackend
from newsletter_cli.delivery.sendgrid_body import Envelope
from newsletter_cli.journal import SQLiteJournal as Journal
from newsletter_cli.render import RenderedEmail


@pytest.fixture
def email() -> RenderedEmail:
    return make_email()


@pytest.fixture
def envelope() -> Envelope:
    return Envelope(
        from_email="regional.team@example.org",
        from_name="West Midlands Regional Team",
        reply_to="replies@example.org",
        unsubscribe_group=GROUP,
        categories=("regional-update",),
    )


@pytest.fixture
def fake() -> FakeSendGrid:
    server = FakeSendGrid(API_KEY).start()
    yield server
    server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the backend asked for (it does not really wait in tests)."""
    return []


@pytest.fixture
def backend(fake: FakeSendGrid, envelope: Envelope, sleeps: list[float]) -> SendGridBackend:
    return SendGridBackend(API_KEY, envelope, host=fake.url, policy=FAST, sleep=sleeps.append)


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / ".newsletter" / "journal.sqlite")
    yield j
    j.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def either_journal(request: pytest.FixtureRequest, project_dir: Path) -> str:
    """Run a test on the embedded SQLite journal, then on a shared PostgreSQL one (named in
    the copied project's newsletter.toml)."""
    if request.param == "postgresql":
        from support.pgcluster import use_shared_journal

        use_shared_journal(project_dir, request.getfixturevalue("pg_url"))
    return request.param


@pytest.fixture
def open_send(journal: Journal) -> Callable[..., str]:
    def make(send_id: str = "2025-09--send-network-abc123") -> str:
        journal.open_send(
            send_id, issue="2025-09", lists=["send-network"], mode="live",
            backend="sendgrid", subject="Regional Update", issue_sha="x",
        )  # fmt: skip
        return send_id

    return make


@pytest.fixture
def invoke(invoke):
    """The CLI with --no-link-check on every send to lists (see tests/conftest.py)."""
    return without_link_check(invoke)


@pytest.fixture
def smtp_sink():
    """aiosmtpd on 127.0.0.1, keeping every message it takes."""
    from .smtp_sink import SmtpSink

    server = SmtpSink().start()
    yield server
    server.stop()

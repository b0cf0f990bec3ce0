"""Fixtures for delivery: a fake SendGrid on 127.0.0.1, a journal, contacts, an email."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from no_link_check import without_link_check

from newsletter_cli.delivery.backends.sendgrid import RetryPolicy, SendGridBackend
from newsletter_cli.delivery.sendgrid_body import Envelope
from newsletter_cli.journal import SQLiteJournal as Journal
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

from .fake_sendgrid import FakeSendGrid

API_KEY = "SG.fake-key-7Hq2.Zx9-never-print-me-5521"
GROUP = 4242
#: Tiny waits: the tests check the decisions, not the clock.
FAST = RetryPolicy(attempts=3, backoff=0.01, backoff_cap=0.05, rate_limit_cap=2.0, timeout=1.0)

HTML = (
    "<html><body><p>Dear %first_name%,</p><p>For %organisation% (%role%).</p>"
    '<p><a href="%unsubscribe_url%">Unsubscribe</a></p></body></html>'
)
TEXT = "Dear %first_name%,\n\nFor %organisation%.\n\nUnsubscribe: %unsubscribe_url%\n"


def make_email(subject: str = "Regional Update: September 2025", issue: str = "2025-09"):
    return RenderedEmail(subject, "Preheader", HTML, TEXT, issue)


def people(count: int, start: int = 0, domain: str = "example.org") -> list[Contact]:
    return [
        Contact(
            email=f"person{i:06d}@{domain}",
            name=f"Person{i} Surname",
            organisation=f"Council {i % 7}",
            role="Head of Service",
        )
        for i in range(start, start + count)
    ]


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
        from pgcluster import use_shared_journal

        use_shared_journal(project_dir, request.getfixturevalue("pg_url"))
    return request.param


def journal_of(project_dir: Path):
    """The project's journal, whichever store newsletter.toml names."""
    from newsletter_cli.journal import existing_journal
    from newsletter_cli.project import Project

    journal = existing_journal(Project(project_dir))
    assert journal is not None, "no journal yet"
    return journal


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


SEPTEMBER_ISSUE = "issues/2025-09-regional-update.yaml"


def september_ready(project_dir: Path) -> Path:
    """The September sample with its placeholder links filled in and its dates moved to
    next year, so its checks pass."""
    from datetime import date

    path = project_dir / SEPTEMBER_ISSUE
    text = path.read_text(encoding="utf-8").replace("TODO", "https://example.org/more")
    path.write_text(text.replace("2025-", f"{date.today().year + 1}-"), encoding="utf-8")
    return path


def list_members(project_dir: Path, *lists: str) -> list[str]:
    """Who is on these lists (suppressed people left out), as a send resolves them."""
    from newsletter_cli.project import Project
    from newsletter_cli.recipients.roster import load_roster

    return [c.email for c in load_roster(Project(project_dir)).resolve(list(lists)).members]


def use_smtp(project_dir: Path, port: int) -> None:
    """newsletter.toml's [smtp]: the local sink, no TLS, no login."""
    with open(project_dir / "newsletter.toml", "a", encoding="utf-8") as handle:
        handle.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')


@pytest.fixture
def smtp_sink():
    """aiosmtpd on 127.0.0.1, keeping every message it takes."""
    from .smtp_sink import SmtpSink

    server = SmtpSink().start()
    yield server
    server.stop()

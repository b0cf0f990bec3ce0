"""Shared fixtures: a copy of the sample project in tmp_path, and a CLI runner.

The repository's sample uses the template that comes with the tool; the copy gets it in
its own templates/ (as `newsletter init` does), so a test can change it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support.issues import REPO
from typer.testing import CliRunner

from newsletter_cli.project import BUILTIN_TEMPLATES, Project

SAMPLE_PARTS = ("issues", "recipients", "images", "newsletter.toml")


#: Tests that need a program Debian's packages give (`make test` installs them), by the
#: fixture they take; CI on Windows and macOS deselects these markers (pyproject.toml).
NEEDS_BY_FIXTURE = {"pg_cluster": "postgres", "pg_url": "postgres", "browser": "browser"}


#: Seconds a test may take, set up and torn down included, when it waits on a server or a
#: browser (a hang fails that test, not the whole run); every other test has the default
#: `timeout` of pyproject.toml. By marker, by fixture (its own or one it needs), and by the
#: server class its module imports and starts itself.
TIMEOUT_BY_MARKER = {"browser": 240, "postgres": 240, "spamassassin": 180}
TIMEOUT_BY_FIXTURE = {
    "browser": 240, "page": 240,  # headless Chromium (tests/preview/conftest.py)
    "pg_cluster": 240, "pg_url": 240,  # the throwaway PostgreSQL (support/pgcluster.py)
    "fake": 180,  # the fake SendGrid (support/sendgrid_fake/)
    "server": 120, "internal": 120, "serve": 120,  # link, preview and static web servers
}  # fmt: skip
TIMEOUT_BY_SERVER_CLASS = {
    "SmtpSink": 120, "XOAuth2Sink": 120, "IdentityStandIn": 120, "FakeSendGrid": 180,
    "PreviewServer": 120, "StaticServer": 120, "LinkServer": 120,
}  # fmt: skip


def server_timeout(item: pytest.Item) -> int | None:
    """The tightest-fitting timeout for a test that waits on a server or browser, else None."""
    found = [TIMEOUT_BY_MARKER[m.name] for m in item.iter_markers() if m.name in TIMEOUT_BY_MARKER]
    found += [TIMEOUT_BY_FIXTURE[name] for name in getattr(item, "fixturenames", ())
              if name in TIMEOUT_BY_FIXTURE]  # fmt: skip
    module = vars(getattr(item, "module", None) or object())
    found += [seconds for name, seconds in TIMEOUT_BY_SERVER_CLASS.items() if name in module]
    return max(found) if found else None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the system program its fixtures need, before ``-m`` selects, and
    give each that waits on a server or a browser its timeout (unless it sets its own)."""
    for item in items:
        for fixture in set(getattr(item, "fixturenames", ())) & NEEDS_BY_FIXTURE.keys():
            item.add_marker(NEEDS_BY_FIXTURE[fixture])
        seconds = server_timeout(item)
        if seconds is not None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(seconds))


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's sample issues, recipients, config and the built-in
    template (in templates/); cwd is it."""
    root = tmp_path / "project"
    root.mkdir()
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copy2(source, root / part)
    shutil.copytree(BUILTIN_TEMPLATES, root / "templates")
    monkeypatch.chdir(root)
    monkeypatch.delenv("SENDGRID_API_KEY", raising=False)
    monkeypatch.delenv("SENDGRID_API_HOST", raising=False)
    return root


@pytest.fixture(autouse=True)
def keychain(tmp_path_factory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own keychain (keyrings.alt's file backend in a temporary folder)
    and Microsoft 365 token cache: no test ever reads or writes the real ones. Subprocesses
    get the same through PYTHON_KEYRING_BACKEND and XDG_DATA_HOME."""
    import keyring.core
    from keyrings.alt.file import PlaintextKeyring

    folder = tmp_path_factory.mktemp("keychain")
    backend = PlaintextKeyring()
    backend.file_path = str(folder / "python_keyring" / "keyring_pass.cfg")
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setenv("NEWSLETTER_TOKEN_CACHE", str(folder / "microsoft365.bin"))
    for name in ("SENDGRID_API_KEY", "NEWSLETTER_SMTP_PASSWORD",
                 "NEWSLETTER_MICROSOFT_LOGIN_HOST"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return backend


@pytest.fixture
def outside_dir(tmp_path: Path):
    """An empty folder with no newsletter.toml in it or any folder above (tmp_path when it
    qualifies; a stray /tmp/newsletter.toml would otherwise make it part of a project)."""
    for base in (tmp_path, Path(tempfile.gettempdir()), Path("/var/tmp"), Path("/dev/shm"),
                 Path.home()):  # fmt: skip
        if base.is_dir() and os.access(base, os.W_OK) and Project.nearest(base) is None:
            break
    else:
        pytest.fail("no writable folder without a newsletter.toml above it", pytrace=False)
    if base == tmp_path:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="newsletter-outside-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for the whole run (see tests/support/pgcluster.py)."""
    from support.pgcluster import ClusterError, start_cluster

    try:
        cluster = start_cluster()
    except ClusterError as exc:
        pytest.fail(f"PostgreSQL could not start for the shared-journal tests: {exc}",
                    pytrace=False)  # fmt: skip
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh database on the test server: postgresql://newsletter@127.0.0.1:PORT/journal_…"""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(project_dir)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner, project_dir: Path):
    """Run the CLI in the sample project: ``invoke("build", SEPTEMBER)``."""
    from newsletter_cli.cli import app

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        return runner.invoke(app, list(args), input=input, env=env)

    return run



class Clock:
    """The time every command of a test reads (the Environment's ``now``), moved by hand."""

    def __init__(self, start):
        self.moment = start

    def now(self):
        return self.moment

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.moment += timedelta(**delta)

    def timestamp(self) -> float:
        return self.moment.timestamp()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """An injected clock, starting now (UK time, on the minute): every Environment a command
    builds reads it, so ``clock.advance(days=2)`` makes the next command run two days on."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from newsletter_cli.environment import Environment

    clock = Clock(datetime.now(ZoneInfo("Europe/London")).replace(second=0, microsecond=0))
    load = Environment.load.__func__

    def load_with_clock(cls, project, **options):
        return load(cls, project, **{"now": clock.now, **options})

    monkeypatch.setattr(Environment, "load", classmethod(load_with_clock))
    return clock

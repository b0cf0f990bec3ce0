"""What only the PostgreSQL store does: connecting, passwords, advisory locks, upgrades."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import psycopg
import pytest
from support.issues import REPO
from support.journal import FIRST_RELEASE_DDL, new_send
from support.sending import wait_for

from newsletter_cli.config import load_config
from newsletter_cli.errors import ConfigError, DeliveryError, Refused
from newsletter_cli.journal import Person
from newsletter_cli.journal.postgres import PostgresJournal
from newsletter_cli.journal.status import Status
from newsletter_cli.journal.store import SCHEMA_VERSION
from newsletter_cli.project import Project

HOLDER = """
import sys, time
from newsletter_cli.journal.postgres import PostgresJournal
journal = PostgresJournal(sys.argv[1])
with journal.send_lock(sys.argv[2]):
    print("holding", flush=True)
    time.sleep(120)
"""


@pytest.mark.posix
def test_kill_9_of_the_lock_holder_releases_the_send(pg_url):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, pg_url, "the-send"], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "holding"
        journal = PostgresJournal(pg_url)
        assert journal.running("the-send") and not journal.running("another-send")
        with pytest.raises(Refused) as refused:
            with journal.send_lock("the-send"):
                pass
        # the message names who holds it: this machine, and the holder's process
        assert f", process {holder.pid})" in str(refused.value)
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        wait_for(lambda: not journal.running("the-send"))  # the server dropped its session
        with journal.send_lock("the-send"):
            assert journal.running("the-send")
        journal.close()
    finally:
        holder.kill()
        holder.wait()


def test_a_holder_that_vanishes_is_noticed_by_tcp_keepalives(pg_url):
    # kill -9 closes the socket at once; a laptop closed does not: the server's keepalive
    # probes on this connection (idle 60 s, then 6 probes 10 s apart) end it and its locks
    journal = PostgresJournal(pg_url)
    settings = journal._read("SELECT current_setting('tcp_keepalives_idle'),"
                             " current_setting('tcp_keepalives_interval'),"
                             " current_setting('tcp_keepalives_count')")  # fmt: skip
    assert settings == [("60", "10", "6")]
    journal.close()


def test_the_same_store_cannot_take_one_send_twice(pg_url):
    # a session advisory lock is re-entrant; the send lock is not (as SQLite's file lock)
    journal = PostgresJournal(pg_url)
    with journal.send_lock("s"):
        with pytest.raises(Refused, match="already running"):
            with journal.send_lock("s"):
                pass
    with journal.send_lock("s"):
        pass
    journal.close()


def test_two_machines_opening_a_new_database_at_once_both_get_the_journal(pg_url):
    opened: list[PostgresJournal] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_one() -> None:
        start.wait()
        try:
            opened.append(PostgresJournal(pg_url))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(opened) == 4
    assert {j.schema_version() for j in opened} == {SCHEMA_VERSION}
    for journal in opened:
        journal.close()


def test_open_existing_creates_nothing_in_an_empty_database(pg_url):
    assert PostgresJournal.open_existing(pg_url) is None
    with psycopg.connect(pg_url) as db:
        tables = db.execute("SELECT table_name FROM information_schema.tables"
                            " WHERE table_schema = 'public'").fetchall()  # fmt: skip
    assert tables == []
    PostgresJournal(pg_url).close()
    existing = PostgresJournal.open_existing(pg_url)
    assert existing is not None and existing.schema_version() == SCHEMA_VERSION
    existing.close()


def test_a_first_release_layout_is_upgraded_in_place(pg_url):
    # the same version numbers as SQLite: a version-1 layout becomes version 2
    with psycopg.connect(pg_url, autocommit=True) as db:
        for statement in FIRST_RELEASE_DDL.replace(" WITHOUT ROWID", "").split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO sends VALUES ('old', '2025-09', '[\"dcs\"]', 'live', 'sendgrid',"
                   " 'Subject', 'sha', NULL, NULL, 'done', 1.0, 1.0)")  # fmt: skip
        db.execute("INSERT INTO recipients VALUES ('old', 'a@example.org', 'accepted', 'm1',"
                   " NULL, 1, 1.0)")  # fmt: skip
    journal = PostgresJournal(pg_url)
    assert journal.schema_version() == SCHEMA_VERSION
    assert journal.get_send("old").delivers is True
    assert journal.received("2025-09") == {"a@example.org": "old"}
    new_send(journal, "new")
    journal.enqueue("new", [Person("b@example.org", "Bea", "Org", ("x",))])
    assert journal.recipients("new")[0].lists == ("x",)
    journal.close()
    again = PostgresJournal(pg_url)
    assert again.schema_version() == SCHEMA_VERSION and len(again.sends()) == 2
    again.close()


def test_a_journal_from_a_newer_release_is_refused(pg_url):
    PostgresJournal(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE journal_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(DeliveryError, match="newer version of newsletter"):
        PostgresJournal(pg_url)


def test_an_unreachable_server_or_database_is_one_clear_error(pg_cluster):
    from support.pgcluster import free_port

    closed = f"postgresql://newsletter@127.0.0.1:{free_port()}/journal"  # nothing listens
    missing = pg_cluster.url("no_such_database")
    for where, words in ((closed, "Connection refused"), (missing, "does not exist")):
        with pytest.raises(DeliveryError) as caught:
            PostgresJournal(where)
        message = str(caught.value)
        assert message.startswith(f"{where}: the shared journal cannot be reached: ")
        assert words in message and "\n" not in message
        assert "PGPASSWORD" in caught.value.hint and "nothing was sent" in caught.value.hint


@pytest.fixture
def team_role(pg_cluster, pg_url, monkeypatch, tmp_path) -> str:
    """A role that must give its password (as on a real server); no ~/.pgpass by default."""
    pg_cluster.sql("DROP ROLE IF EXISTS team")
    pg_cluster.sql("CREATE ROLE team LOGIN PASSWORD 'correct horse'")
    database = pg_url.rsplit("/", 1)[1]
    pg_cluster.sql(f"GRANT CREATE ON DATABASE {database} TO team")
    pg_cluster.sql("GRANT CREATE ON SCHEMA public TO team", database=database)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    yield pg_url.replace("//newsletter@", "//team@")
    pg_cluster.sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    pg_cluster.sql("DROP ROLE IF EXISTS team")


def test_the_password_comes_from_pgpassword_or_pgpass(team_role, monkeypatch, tmp_path):
    with pytest.raises(DeliveryError, match="cannot be reached: .*password"):
        PostgresJournal(team_role)
    monkeypatch.setenv("PGPASSWORD", "wrong")
    with pytest.raises(DeliveryError, match="password authentication failed"):
        PostgresJournal(team_role)
    monkeypatch.setenv("PGPASSWORD", "correct horse")
    journal = PostgresJournal(team_role)
    new_send(journal, "by-team")
    journal.close()
    # ~/.pgpass (here through PGPASSFILE), as libpq reads it
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    host_port_db = team_role.split("@", 1)[1].replace("/", ":")
    pgpass.write_text(f"{host_port_db}:team:correct horse\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    journal = PostgresJournal(team_role)
    assert [r.id for r in journal.sends()] == ["by-team"]
    journal.close()


def test_a_role_without_rights_is_one_clear_error(pg_cluster, pg_url, monkeypatch):
    pg_cluster.sql("DROP ROLE IF EXISTS outsider")
    pg_cluster.sql("CREATE ROLE outsider LOGIN PASSWORD 'pw'")
    monkeypatch.setenv("PGPASSWORD", "pw")
    url = pg_url.replace("//newsletter@", "//outsider@")
    try:
        with pytest.raises(DeliveryError) as caught:  # may not create the tables
            PostgresJournal(url)
        assert "refused this role: permission denied for schema public" in str(caught.value)
        PostgresJournal(pg_url).close()  # another role made the journal
        with pytest.raises(DeliveryError, match="refused this role: permission denied"):
            PostgresJournal(url)
    finally:
        pg_cluster.drop_database(pg_url)
        pg_cluster.sql("DROP ROLE outsider")


def test_a_password_in_newsletter_toml_is_refused_and_not_echoed(tmp_path):
    for url in ("postgresql://team:s3cret-pw@db.example.org:5432/newsletter",
                "postgresql://team@db.example.org/newsletter?password=s3cret-pw"):  # fmt: skip
        (tmp_path / "newsletter.toml").write_text(f'[delivery]\njournal = "{url}"\n')
        with pytest.raises(ConfigError) as caught:
            load_config(Project(tmp_path))
        message = str(caught.value)
        assert message.startswith(f"{tmp_path / 'newsletter.toml'}:2: delivery.journal")
        assert "PGPASSWORD" in message and "s3cret-pw" not in message
    (tmp_path / "newsletter.toml").write_text('[delivery]\njournal = "mysql://x@y/z"\n')
    with pytest.raises(ConfigError, match="must be a PostgreSQL URL"):
        load_config(Project(tmp_path))
    url = "postgresql://team@db.example.org:5432/newsletter"
    (tmp_path / "newsletter.toml").write_text(f'[delivery]\njournal = "{url}"\n')
    assert load_config(Project(tmp_path)).delivery.journal == url


def test_a_connection_lost_mid_run_is_one_clear_error(pg_cluster, pg_url):
    journal = PostgresJournal(pg_url)
    new_send(journal, "s")
    journal.enqueue("s", [Person("a@example.org")])
    pid = journal._db.info.backend_pid
    pg_cluster.sql(f"SELECT pg_terminate_backend({pid})")
    with pytest.raises(DeliveryError, match="the shared journal stopped answering"):
        journal.claim("s", ["a@example.org"], among=[Status.QUEUED], batch=1)
    journal.close()
    again = PostgresJournal(pg_url)  # nothing half-done: the claim's transaction never committed
    assert again.statuses("s") == {"a@example.org": Status.QUEUED}
    again.close()

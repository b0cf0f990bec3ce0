"""`newsletter journal migrate`: an existing SQLite journal copied into PostgreSQL, idempotently."""

from __future__ import annotations

import pytest
from support.issues import SEPTEMBER, members, ready
from support.journal import new_send

from newsletter_cli.journal import Person, SQLiteJournal
from newsletter_cli.journal.migrate import migrate
from newsletter_cli.journal.postgres import PostgresJournal
from newsletter_cli.journal.status import Outcome, Status
from newsletter_cli.journal.store import SCHEMA_VERSION
from newsletter_cli.project import Project

A, B, C, D = (f"{x}@example.org" for x in "abcd")


def test_a_send_in_both_keeps_each_recipient_further_along(tmp_path, pg_url):
    project = Project(tmp_path)
    local = SQLiteJournal(project.journal_path)
    new_send(local, "s")
    local.enqueue("s", [Person(e, e.upper(), "Org", ("dcs",)) for e in (A, B, C)])
    local.record("s", [Outcome(A, Status.ACCEPTED, message_id="sg-a"),
                       Outcome(C, Status.FAILED, reason="refused")])  # fmt: skip
    new_send(local, "only-local", issue="2025-10")
    local.enqueue("only-local", [Person(A)])
    local.close()
    shared = PostgresJournal(pg_url)
    new_send(shared, "s")
    shared.enqueue("s", [Person(e) for e in (A, B, C, D)])
    shared.record("s", [Outcome(A, Status.UNCERTAIN), Outcome(B, Status.ACCEPTED, "sg-b")])
    shared.update_send("s", state="done")

    done = migrate(project, pg_url)
    assert (done.sends, done.recipients) == (2, 4)
    assert (done.new_sends, done.new_recipients, done.advanced) == (1, 1, 2)
    assert shared.statuses("s") == {A: Status.ACCEPTED, B: Status.ACCEPTED, C: Status.FAILED,
                                    D: Status.QUEUED}  # fmt: skip
    rows = {r.email: r for r in shared.recipients("s")}
    assert rows[A].message_id == "sg-a" and rows[B].message_id == "sg-b"
    assert rows[C].reason == "refused" and rows[B].name == ""  # B: the shared row, untouched
    assert shared.get_send("s").state == "done"  # the shared journal's record of the send
    copied = shared.recipients("only-local")[0]
    assert (copied.email, copied.status) == (A, Status.QUEUED)
    assert shared.get_send("only-local").issue == "2025-10"
    # the copy counts for once per person per issue
    assert shared.received("2025-09", exclude="other") == {A: "s", B: "s"}

    again = migrate(project, pg_url)
    assert not again.copied and (again.sends, again.recipients) == (2, 4)
    shared.close()


def test_migrate_then_send_from_the_shared_journal(invoke, project_dir, pg_url):
    ready(project_dir)
    first = invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--no-link-check")
    assert first.exit_code == 0, first.output
    before = invoke("journal")
    assert "(this machine only, SQLite)" in before.output and "Sends    1" in before.output

    # pointing the project at the shared journal before copying: refused, nothing sent
    config = project_dir / "newsletter.toml"
    plain = config.read_text()
    config.write_text(plain.replace("[delivery]\n", f'[delivery]\njournal = "{pg_url}"\n'))
    refused = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--no-link-check")
    assert refused.exit_code == 1
    assert "has 1 send(s) the shared journal lacks" in refused.output
    assert f"newsletter journal migrate --to {pg_url}" in refused.output
    assert len(list((project_dir / "outbox").iterdir())) == 1  # the dcs send's folder only

    copied = invoke("journal", "migrate", "--to", pg_url)
    assert copied.exit_code == 0, copied.output
    assert "1 new send(s) of 1, 14 new recipient row(s) of 14." in copied.output
    assert "Next:" not in copied.output  # newsletter.toml already names it
    again = invoke("journal", "migrate", "--to", pg_url)
    assert again.exit_code == 0, again.output
    assert "Nothing to copy: the 1 send(s) and 14 recipient row(s)" in again.output

    second = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--no-link-check")
    assert second.exit_code == 0, second.output
    assert "14 already received this issue in send" in second.output
    shared = PostgresJournal(pg_url)
    network = [r for r in shared.sends() if "send-network" in r.lists][0]
    statuses = shared.statuses(network.id)
    assert {e for e, s in statuses.items() if s is Status.SKIPPED} == set(members(project_dir, "dcs"))
    shared.close()
    info = invoke("journal")
    assert f"Journal  {pg_url} (shared, PostgreSQL)" in info.output
    assert f"Schema   version {SCHEMA_VERSION}" in info.output and "Sends    2" in info.output


def test_migrate_says_what_is_wrong(invoke, project_dir, pg_url):
    info = invoke("journal")
    assert info.exit_code == 0 and "Schema   none yet: the first send creates it" in info.output
    nothing = invoke("journal", "migrate", "--to", pg_url)
    assert nothing.exit_code == 2
    assert "there is no SQLite journal to copy in this project" in nothing.output
    with_password = invoke("journal", "migrate", "--to", "postgresql://team:pw-9x@db.test/news")
    assert with_password.exit_code == 2
    assert "PGPASSWORD" in with_password.output and "pw-9x" not in with_password.output


def test_the_next_step_is_named_when_newsletter_toml_does_not_point_there(invoke, project_dir,
                                                                          pg_url):  # fmt: skip
    ready(project_dir)
    assert invoke("send", SEPTEMBER, "--list", "dcs", "--yes", "--no-link-check").exit_code == 0
    copied = invoke("journal", "migrate", "--to", pg_url)
    assert copied.exit_code == 0, copied.output
    assert f'Next: set journal = "{pg_url}" under [delivery] in newsletter.toml' in copied.output


def _with_a_journal(project_dir):
    SQLiteJournal(Project(project_dir).journal_path).close()


def test_a_password_on_the_command_line_says_where_a_password_comes_from(invoke, project_dir):
    _with_a_journal(project_dir)
    result = invoke("journal", "migrate", "--to", "postgresql://team:pw-9x@127.0.0.1:1/news")
    assert result.exit_code == 2, result.output
    assert "must not be given on the command line" in result.output
    assert "PGPASSWORD" in result.output and "~/.pgpass" in result.output
    assert "newsletter.toml" not in result.output and "pw-9x" not in result.output


def test_a_password_in_newsletter_toml_is_refused_there(invoke, project_dir):
    path = project_dir / "newsletter.toml"
    text = path.read_text(encoding="utf-8")
    assert "[delivery]" in text
    path.write_text(text.replace("[delivery]", '[delivery]\njournal = '
                                 '"postgresql://team:pw-9x@db.test/news"', 1),
                    encoding="utf-8")  # fmt: skip
    result = invoke("journal")
    assert result.exit_code == 2, result.output
    assert "must not be given in newsletter.toml" in result.output and "PGPASSWORD" in result.output
    assert "pw-9x" not in result.output


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://team@127.0.0.1:99999/news", "the port '99999' is not a number from 1"),
        ("postgresql://team@127.0.0.1:abc/news", "the port 'abc' is not a number from 1"),
        ("postgresql://team@h1:5432,h2:0/news", "the port '0' is not a number from 1"),
        ("postgresql://team@127.0.0.1/news?port=x", "the port 'x' is not a number from 1"),
        ("postgresql://team@127.0.0.1/news?sslmode=maybe", "sslmode='maybe' is not one of: "
         "disable, allow, prefer, require, verify-ca, verify-full"),
    ],
)  # fmt: skip
def test_a_bad_port_or_sslmode_is_an_input_error(invoke, project_dir, url, message):
    _with_a_journal(project_dir)
    result = invoke("journal", "migrate", "--to", url)
    assert result.exit_code == 2, result.output
    assert f"--to: {message}" in result.output
    assert "nothing was sent" not in result.output and "cannot be reached" not in result.output

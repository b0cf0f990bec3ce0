"""Suppression always wins: however the address is written, and a row that cannot be read
blocks a live send (issue 8, point 2). Each case ends with a real send to the outbox."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from support.issues import SEPTEMBER, members, ready
from support.sending import sent_to

BEN = "ben.bellamy@birminghamchildrenstrust.example.org"
HEADER = "email,reason,date,note\n"


def suppress_with(project_dir: Path, *rows: str) -> None:
    path = project_dir / "recipients" / "suppressions.csv"
    with path.open("a", encoding="utf-8", newline="") as handle:
        for row in rows:
            handle.write(row + "\n")


def send_network(invoke, project_dir: Path):
    ready(project_dir)
    return invoke("send", SEPTEMBER, "--list", "send-network", "--yes")


def assert_ben_held_back(invoke, project_dir: Path) -> None:
    """Ben is on send-network by his tags; the send reaches everyone else and not him."""
    everyone_else = set(members(project_dir, "send-network"))
    assert BEN not in everyone_else  # the roster already holds him back
    result = send_network(invoke, project_dir)
    assert result.exit_code == 0, result.output
    reached = sent_to(project_dir)
    assert BEN not in reached
    assert reached == everyone_else and len(reached) > 20
    with sqlite3.connect(project_dir / ".newsletter" / "journal.sqlite") as db:
        status = db.execute("SELECT status FROM recipients WHERE email = ?", (BEN,)).fetchone()
    assert status == ("suppressed",)


def test_without_a_suppression_ben_is_sent_to(invoke, project_dir):
    # The control case: the tests below would pass for nothing if Ben were not a member.
    result = send_network(invoke, project_dir)
    assert result.exit_code == 0, result.output
    assert BEN in sent_to(project_dir)


def test_name_and_address_in_angle_brackets(invoke, project_dir):
    suppress_with(project_dir, f"Ben Bellamy <{BEN}>,unsubscribed,2025-09-01,")
    assert_ben_held_back(invoke, project_dir)


def test_quoted_name_with_a_comma(invoke, project_dir):
    # The cell is '"Bellamy, Ben" <ben@…>', written with CSV quoting as a spreadsheet does.
    suppress_with(project_dir, f'"""Bellamy, Ben"" <{BEN.upper()}>",unsubscribed,2025-09-01,')
    assert_ben_held_back(invoke, project_dir)


def test_mailto_link(invoke, project_dir):
    suppress_with(project_dir, f"mailto:{BEN},unsubscribed,2025-09-01,")
    assert_ben_held_back(invoke, project_dir)


def test_mailto_link_in_angle_brackets(invoke, project_dir):
    suppress_with(project_dir, f"<mailto:{BEN}>,bounced,2025-09-01,")
    assert_ben_held_back(invoke, project_dir)


def test_upper_case_mailto(invoke, project_dir):
    suppress_with(project_dir, f"MAILTO:{BEN},do-not-contact,2025-09-01,")
    assert_ben_held_back(invoke, project_dir)


def test_mailto_link_with_a_subject(invoke, project_dir):
    suppress_with(project_dir, f"mailto:{BEN}?subject=Unsubscribe%20me,unsubscribed,,")
    assert_ben_held_back(invoke, project_dir)


def test_name_in_a_contact_cell_gives_the_address_and_the_name(invoke, project_dir):
    path = project_dir / "recipients" / "contacts.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write('"Nia Newton <Nia.Newton@Dudley.example.org>",,Dudley Council,SEND lead,'
                     "send-lead\n")  # fmt: skip
    assert "nia.newton@dudley.example.org" in members(project_dir, "send-network")
    result = send_network(invoke, project_dir)
    assert result.exit_code == 0, result.output
    assert "nia.newton@dudley.example.org" in sent_to(project_dir)
    written = next((project_dir / "outbox").rglob("nia.newton*.eml")).read_text()
    assert "To: Nia Newton <nia.newton@dudley.example.org>" in written


def _assert_refused_at(result, project_dir: Path, where: str) -> None:
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"error: {where}: suppression entry "), first
    assert "cannot be read" in first and first.endswith("nothing was sent")
    assert not (project_dir / "outbox").exists()
    assert not (project_dir / ".newsletter" / "journal.sqlite").exists()


def test_an_unreadable_suppression_blocks_a_live_send(invoke, project_dir):
    suppress_with(project_dir, "Ben Bellamy <ben.bellamy@@birminghamchildrenstrust>,bounced,,")
    result = send_network(invoke, project_dir)
    _assert_refused_at(result, project_dir, "recipients/suppressions.csv:6")
    dry = invoke("send", SEPTEMBER, "--list", "dcs", "--dry-run")
    assert dry.exit_code == 1 and "cannot be read" in dry.output  # any list: nobody is sure
    check = invoke("lists", "check")
    assert check.exit_code == 1
    assert "recipients/suppressions.csv:6: error: suppression entry" in check.output


def test_shifted_columns_leave_no_address_and_block_the_send(invoke, project_dir):
    # 'reason' first, and an unquoted comma in it: the address lands in the wrong column.
    (project_dir / "recipients" / "suppressions.csv").write_text(
        "reason,email\n"
        "bounced,tobias.tolley@stoke.example.org\n"
        f"unsubscribed, by phone,{BEN}\n",
        encoding="utf-8",
    )
    result = send_network(invoke, project_dir)
    _assert_refused_at(result, project_dir, "recipients/suppressions.csv:3")
    assert "'by phone' cannot be read: contains a space" in result.output


def test_an_unclosed_quote_that_swallows_rows_blocks_the_send(invoke, project_dir):
    suppress_with(project_dir, '"noah.fenwick@wolverhampton.example.org,bounced,,', f"{BEN},x,,")
    result = send_network(invoke, project_dir)
    _assert_refused_at(result, project_dir, "recipients/suppressions.csv:6")
    assert "runs over several lines" in result.output


def test_a_file_that_is_not_text_is_refused(invoke, project_dir):
    path = project_dir / "recipients" / "suppressions.csv"
    path.write_bytes(f"email\n{BEN}\n".encode("utf-16-le"))  # UTF-16 without its BOM
    result = send_network(invoke, project_dir)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: recipients/suppressions.csv:1: contains a NUL byte")
    assert not (project_dir / "outbox").exists()


def test_excel_unicode_text_is_read(invoke, project_dir):
    path = project_dir / "recipients" / "suppressions.csv"
    path.write_bytes(f"email\treason\r\n{BEN}\tbounced\r\n".encode("utf-16"))  # with its BOM
    assert_ben_held_back(invoke, project_dir)


def test_a_test_send_is_not_blocked(invoke, project_dir):
    # A [TEST] copy goes only to the address typed: nothing to suppress it from.
    suppress_with(project_dir, "not an address,bounced,,")
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--test-to", "me@example.org", "--yes")
    assert result.exit_code == 0, result.output
    assert sent_to(project_dir) == {"me@example.org"}


def test_a_link_outside_the_project_is_refused_without_its_contents(
    invoke, project_dir, tmp_path
):
    secret = tmp_path / "elsewhere.csv"
    secret.write_text("email\nsecret-line-do-not-print@example.org\n", encoding="utf-8")
    link = project_dir / "recipients" / "contacts-shared.csv"
    os.symlink(secret, link)
    result = send_network(invoke, project_dir)
    assert result.exit_code == 2
    assert result.output.startswith(
        "error: recipients/contacts-shared.csv: is a symbolic link to something outside the "
        "project folder"
    )
    assert "secret-line" not in result.output and str(tmp_path) not in result.output
    assert not (project_dir / "outbox").exists()
    listed = invoke("lists", "check")
    assert listed.exit_code == 2 and "secret-line" not in listed.output


def test_a_link_to_a_suppression_file_outside_is_refused(invoke, project_dir, tmp_path):
    target = tmp_path / "bounces.csv"
    target.write_text(f"email\n{BEN}\n", encoding="utf-8")
    os.symlink(target, project_dir / "recipients" / "bounces.csv")
    result = send_network(invoke, project_dir)
    assert result.exit_code == 2 and "recipients/bounces.csv: is a symbolic link" in result.output


def test_a_link_inside_the_project_is_fine(invoke, project_dir):
    shared = project_dir / "shared"
    shared.mkdir()
    (shared / "bounces.csv").write_text(f"email,reason\n{BEN},bounced\n", encoding="utf-8")
    os.symlink(shared / "bounces.csv", project_dir / "recipients" / "bounces.csv")
    assert_ben_held_back(invoke, project_dir)

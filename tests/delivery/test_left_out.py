"""Nobody dropped in silence at send time (issue 8, point 3): everything in recipients/ that
may keep someone off the chosen lists is named with file:line on the send screen and in
--dry-run, and `send --strict` refuses while any of it remains."""

from __future__ import annotations

from pathlib import Path

from support.issues import SEPTEMBER, ready
from support.sending import sent_to


def contacts_rows(project_dir: Path, *rows: str) -> int:
    """Append rows to contacts.csv; the line number of the first one."""
    path = project_dir / "recipients" / "contacts.csv"
    first = path.read_text(encoding="utf-8").count("\n") + 1
    with path.open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(row + "\n")
    return first


def dry_run(invoke, *args: str):
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run", *args)
    return result


def test_an_unreadable_row_is_named(invoke, project_dir):
    ready(project_dir)
    line = contacts_rows(project_dir, "sam.broken.dudley.example.org,Sam,Dudley,,send-lead")
    result = dry_run(invoke)
    assert result.exit_code == 0, result.output
    assert (
        f"warning: left out, may belong on these lists: recipients/contacts.csv:{line}: "
        "invalid email address 'sam.broken.dudley.example.org': has no @"
    ) in result.output


def test_shifted_columns_from_an_unquoted_comma_are_named(invoke, project_dir):
    ready(project_dir)
    line = contacts_rows(
        project_dir,
        "nia.newton@dudley.example.org,Nia Newton,Dudley Council,Head of SEND, Dudley,send-lead",
    )
    result = dry_run(invoke)
    assert result.exit_code == 0, result.output
    # Her tags cell holds ' Dudley', so she is on no list: the screen says why.
    assert (
        f"may keep someone off these lists: recipients/contacts.csv:{line}: "
        "nia.newton@dudley.example.org: 6 cells but the header has 5"
    ) in result.output


def test_an_unknown_tag_is_named(invoke, project_dir):
    ready(project_dir)
    line = contacts_rows(project_dir, "omar.okafor@dudley.example.org,Omar,Dudley,,send-laed")
    result = dry_run(invoke)
    assert (
        f"may keep someone off these lists: recipients/contacts.csv:{line}: tag 'send-laed' "
        "is used by no list in recipients/lists.yaml (1 contact) (did you mean 'send-lead'?)"
    ) in result.output
    dcs = invoke("send", SEPTEMBER, "--list", "dcs", "--dry-run")
    assert "send-laed" not in dcs.output  # nothing like it is a DCS tag


def test_a_list_tag_nobody_carries_is_named(invoke, project_dir):
    ready(project_dir)
    path = project_dir / "recipients" / "lists.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tags: [send-lead]", "tags: [send-lead, send-leader]"),
                    encoding="utf-8")  # fmt: skip
    result = dry_run(invoke)
    assert "list 'send-leads': no contact has the tag 'send-leader'" in result.output
    assert "may keep someone off these lists: recipients/lists.yaml:" in result.output


def test_a_missing_suppression_file_is_named(invoke, project_dir):
    ready(project_dir)
    (project_dir / "recipients" / "suppressions.csv").unlink()
    result = dry_run(invoke)
    assert (
        "may keep someone off these lists: recipients/suppressions.csv: no suppression file"
    ) in result.output


def test_a_duplicate_with_a_different_name_is_named(invoke, project_dir):
    ready(project_dir)
    line = contacts_rows(
        project_dir,
        "Ben.Bellamy@BirminghamChildrensTrust.example.org,Benjamin Bellamy,,,send-lead",
    )
    result = dry_run(invoke)
    assert f"recipients/contacts.csv:{line}: duplicate of ben.bellamy@" in result.output
    assert "name 'Benjamin Bellamy' differs, kept 'Ben Bellamy'" in result.output


def test_strict_refuses_while_any_remain_and_names_the_first(invoke, project_dir):
    ready(project_dir)
    line = contacts_rows(project_dir, "omar.okafor@dudley.example.org,Omar,Dudley,,send-laed")
    strict = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--strict")
    assert strict.exit_code == 1
    assert (
        f"error: recipients/contacts.csv:{line}: --strict: 1 problem(s) in the recipient files "
        "may keep someone off send-network; nothing was sent"
    ) in strict.output
    assert "tag 'send-laed' is used by no list" in strict.output  # shown before refusing
    assert not (project_dir / "outbox").exists()
    assert not (project_dir / ".newsletter" / "journal.sqlite").exists()
    dry = invoke("send", SEPTEMBER, "--list", "send-network", "--dry-run", "--strict")
    assert dry.exit_code == 1 and "--strict: 1 problem(s)" in dry.output
    # Without --strict the send goes, having named the problem.
    plain = invoke("send", SEPTEMBER, "--list", "send-network", "--yes")
    assert plain.exit_code == 0, plain.output
    assert "send-laed" in plain.output
    assert "omar.okafor@dudley.example.org" not in sent_to(project_dir)


def test_strict_sends_when_nothing_remains(invoke, project_dir):
    ready(project_dir)
    result = invoke("send", SEPTEMBER, "--list", "send-network", "--yes", "--strict")
    assert result.exit_code == 0, result.output
    assert "may keep someone off" not in result.output and "left out" not in result.output
    assert len(sent_to(project_dir)) > 20

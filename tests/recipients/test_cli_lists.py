"""`newsletter lists`, `lists show` and `lists check` on the sample data and on bad data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SAMPLE_COUNTS = {
    "everyone": (74, 3),
    "local-authorities": (68, 3),
    "dcs": (14, 0),
    "send-leads": (13, 1),
    "send-coordinators": (7, 0),
    "send-network": (29, 1),
    "safeguarding-reps": (15, 1),
    "participation-leads": (13, 1),
    "families-first-leads": (15, 0),
    "care-leavers-leads": (7, 0),
    "riia-sponsors": (1, 0),
    "regional-team": (6, 0),
}


def test_lists_prints_every_list_with_counts(invoke) -> None:
    result = invoke("lists")
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.output.splitlines():
        m = re.match(r"^([a-z-]+)\s+│\s+(\d+) │\s+(\d+) │\s+(\S+) │", line)
        if m:
            rows[m[1]] = (int(m[2]), int(m[3]), m[4])
    assert rows == {name: (*counts, "-") for name, counts in SAMPLE_COUNTS.items()}
    assert "77 contacts in 2 files, 4 suppressed addresses, 0 errors, 0 warnings" in (
        result.output
    )


def test_show_lists_members_and_who_is_held_back(invoke) -> None:
    result = invoke("lists", "show", "send-network")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    member_lines = [line for line in lines if re.match(r"^\S+@\S+  ", line)]
    assert len(member_lines) == 29
    assert member_lines[0].startswith("aisha.ashworth@birminghamchildrenstrust.example.org  Dr")
    assert "send-network: 29 members" in result.output
    assert "bronwen.dobbs@walsall.example.org: bounced (recipients/suppressions.csv:3)" in (
        result.output
    )
    assert "bronwen.dobbs@walsall.example.org  " not in result.output  # never as a member


def test_show_several_lists(invoke) -> None:
    result = invoke("lists", "show", "dcs", "regional-team")
    assert result.exit_code == 0
    assert "dcs + regional-team: 20 members" in result.output


def test_unknown_list_is_an_error_naming_the_closest(invoke) -> None:
    result = invoke("lists", "show", "send-netwrk")
    assert result.exit_code == 2
    assert "error: no list named 'send-netwrk'; closest: send-network, send-leads" in (
        result.output
    )
    assert "Traceback" not in result.output


def test_check_passes_on_the_sample_data(invoke) -> None:
    result = invoke("lists", "check", "--strict")
    assert result.exit_code == 0, result.output
    assert "ok: the recipient files have no errors" in result.output


def break_the_data(project_dir: Path) -> None:
    contacts = project_dir / "recipients" / "contacts.csv"
    with contacts.open("a", encoding="utf-8") as fh:
        fh.write("broken@@dudley.example.org,Broken,Dudley Council,,dcs\n")  # line 73
        fh.write("Aisha.Ashworth@BirminghamChildrensTrust.example.org,A,,,dcs\n")  # line 74


def test_check_prints_every_problem_and_fails_on_errors(invoke, project_dir: Path) -> None:
    break_the_data(project_dir)
    result = invoke("lists", "check")
    assert result.exit_code == 1, result.output
    assert (
        "recipients/contacts.csv:73: error: invalid email address 'broken@@dudley.example.org': "
        "has more than one @"
    ) in result.output
    assert "recipients/contacts.csv:74: warning: duplicate of aisha.ashworth@" in result.output
    assert "error: the recipient files have 1 error" in result.output


def test_problem_counts_and_strict_in_the_overview(invoke, project_dir: Path) -> None:
    break_the_data(project_dir)
    result = invoke("lists")
    assert result.exit_code == 0
    assert re.search(r"^dcs\s+│\s+14 │\s+0 │\s+2 │", result.output, re.M)
    assert re.search(r"^regional-team\s+│\s+6 │\s+0 │\s+- │", result.output, re.M)
    assert "1 error, 1 warning" in result.output
    assert "Run 'newsletter lists check'" in result.output
    strict = invoke("lists", "--strict")
    assert strict.exit_code == 2
    assert "error: recipients/contacts.csv:73: invalid email address" in strict.output


def test_check_strict_fails_on_warnings(invoke, project_dir: Path) -> None:
    (project_dir / "recipients" / "suppressions.csv").unlink()
    assert invoke("lists", "check").exit_code == 0
    result = invoke("lists", "check", "--strict")
    assert result.exit_code == 1
    assert "recipients/suppressions.csv: warning: no suppression file" in result.output
    assert "the recipient files have 1 problem" in result.output


def test_a_broken_lists_file_is_one_line(invoke, project_dir: Path) -> None:
    lists = project_dir / "recipients" / "lists.yaml"
    lists.write_text(lists.read_text().replace("lists: [send-leads,", "lists: [send-lead,"))
    result = invoke("lists")
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert re.match(
        r"error: recipients/lists\.yaml:\d+: list 'send-network': lists names 'send-lead', "
        r"which is not a list \(did you mean 'send-leads' or 'send-network'\?\)$",
        first,
    ), result.output
    assert result.output.splitlines()[1] == "hint: 'send-lead' is a tag: move it to 'tags:'"


def test_lists_as_csv_and_json_keep_stdout_clean(invoke) -> None:
    import csv
    import io
    import json

    as_json = invoke("lists", "--json")
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)  # nothing but the data on stdout
    assert {r["name"]: (r["members"], r["suppressed"]) for r in rows} == SAMPLE_COUNTS
    assert rows[0] == {"name": "everyone", "members": 74, "suppressed": 3, "problems": 0,
                       "description": "Everyone in the contact files (the monthly Regional Update)"}
    assert "77 contacts in 2 files" in as_json.stderr
    as_csv = invoke("lists", "--csv")
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert list(table[0]) == ["name", "members", "suppressed", "problems", "description"]
    assert {r["name"]: (int(r["members"]), int(r["suppressed"])) for r in table} == SAMPLE_COUNTS
    both = invoke("lists", "--csv", "--json")
    assert both.exit_code == 2 and "not both" in both.output


def test_lists_show_as_csv_and_json(invoke) -> None:
    import csv
    import io
    import json

    result = invoke("lists", "show", "send-network", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["email", "name", "organisation", "role", "tags", "status", "reason"]
    members = [r for r in rows if r["status"] == "member"]
    held = [r for r in rows if r["status"] == "suppressed"]
    assert len(members) == 29 and len(held) == 1
    assert members[0]["email"] == "aisha.ashworth@birminghamchildrenstrust.example.org"
    assert members[0]["tags"] == "dcs; riia-sponsor"
    assert held[0]["email"] == "bronwen.dobbs@walsall.example.org"
    assert held[0]["reason"] == "bounced (recipients/suppressions.csv:3)"
    assert result.stderr.strip() == "send-network: 29 members, 1 held back"
    as_json = json.loads(invoke("lists", "show", "dcs", "--json").stdout)
    assert len(as_json) == 14 and as_json[0]["tags"] == ["dcs", "riia-sponsor"]


@pytest.mark.posix
def test_lists_read_well_in_a_60_column_terminal(project_dir: Path) -> None:
    from support.terminal import run_in_terminal, too_wide

    wide = run_in_terminal("lists", cwd=project_dir, columns=140)
    assert re.search(r"^dcs\s+│\s+14 │\s+0 │\s+- │ Directors of Children's Services", wide, re.M)
    narrow = run_in_terminal("lists", cwd=project_dir, columns=60)
    assert too_wide(narrow, 60) == []
    assert "…" not in narrow  # no heading or cell cut short
    flat = " ".join(narrow.split())  # the lines joined again: every word whole
    for name, (members, suppressed) in SAMPLE_COUNTS.items():
        assert f"{name} Members: {members} · Suppressed: {suppressed} · Problems: -" in flat
    assert ("Description: The SEND network - SEND leads, DCSs and the SEND co-ordinators"
            in flat)  # fmt: skip
    shown = run_in_terminal("lists", "show", "dcs", cwd=project_dir, columns=60)
    assert too_wide(shown, 60) == []
    assert ("aisha.ashworth@birminghamchildrenstrust.example.org Dr Aisha Ashworth · "
            "Birmingham Children's Trust · Director of Children's Services [dcs, riia-sponsor]"
            in " ".join(shown.split()))  # fmt: skip


def test_lists_csv_neutralises_formulas_and_json_keeps_them(invoke, project_dir: Path) -> None:
    import json

    from support.spreadsheet import (
        DDE,
        HYPERLINK,
        MINUS,
        TAB,
        add_hostile_contacts,
        formulas,
        read_csv,
    )

    lists = project_dir / "recipients" / "lists.yaml"
    lists.write_text(lists.read_text(encoding="utf-8").replace(
        "description: Directors of Children's Services", f'description: "{DDE}"'),
        encoding="utf-8")  # fmt: skip
    add_hostile_contacts(project_dir)
    listed = invoke("lists", "--csv")
    assert listed.exit_code == 0, listed.output
    overview = read_csv(listed.stdout)
    assert formulas(overview) == []
    assert {r["name"]: r["description"] for r in overview}["dcs"] == "'" + DDE
    shown = invoke("lists", "show", "dcs", "--csv")
    assert shown.exit_code == 0, shown.output
    rows = read_csv(shown.stdout)
    assert formulas(rows) == []
    by_email = {r["email"]: r for r in rows}
    assert by_email["evil.one@walsall.example.org"]["name"] == "'" + HYPERLINK
    assert by_email["evil.two@walsall.example.org"]["name"] == "'" + DDE
    assert by_email["evil.two@walsall.example.org"]["organisation"] in ("'" + TAB, "'=cmd")
    assert by_email["evil.three@walsall.example.org"]["organisation"] == "'" + HYPERLINK
    assert by_email["evil.four@walsall.example.org"]["organisation"] == "'" + MINUS
    as_json = json.loads(invoke("lists", "show", "dcs", "--json").stdout)
    names = {r["email"]: r["name"] for r in as_json}
    assert names["evil.one@walsall.example.org"] == HYPERLINK  # JSON as it is
    assert names["evil.four@walsall.example.org"] == "+Plus Sign"
    described = json.loads(invoke("lists", "--json").stdout)
    assert {r["name"]: r["description"] for r in described}["dcs"] == DDE


def test_every_lists_csv_option_says_so_in_its_help(invoke) -> None:
    for command in (("lists",), ("lists", "show")):
        text = " ".join(invoke(*command, "--help").output.split())
        assert "Cells starting with = + - @ are prefixed with ' for spreadsheets" in text

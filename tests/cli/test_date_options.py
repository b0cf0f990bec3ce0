"""`--date` says in words why a date is not one, and exits 2 (a wrong option)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("command", [["new"], ["import", "draft.txt"]])
def test_an_impossible_date_is_named_with_its_month(invoke, project_dir, command):
    (project_dir / "draft.txt").write_text("Regional Update\n\nNews.\n", encoding="utf-8")
    done = invoke(*command, "--date", "2027-02-31")
    assert done.exit_code == 2
    assert "--date 2027-02-31 is not a real date: February 2027 has 28 days" in done.output
    assert sorted(p.name for p in (project_dir / "issues").iterdir()) == sorted(
        p.name for p in (project_dir / "issues").iterdir() if "2027" not in p.name
    )


def test_a_date_in_other_words_gets_the_form_to_write(invoke):
    done = invoke("new", "--date", "31/01/2027")
    assert done.exit_code == 2
    assert "'31/01/2027' is not a date: write it as YYYY-MM-DD" in done.output

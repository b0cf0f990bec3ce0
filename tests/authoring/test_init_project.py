"""`newsletter init`: a working newsletter folder from nothing, never overwriting a file."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from types import NoneType
from typing import get_args

import pytest

from newsletter_cli.authoring.init_project import create_project
from newsletter_cli.checks import run_checks
from newsletter_cli.config import Config, load_config
from newsletter_cli.errors import InputError
from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import Project


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SENDGRID_API_KEY", raising=False)
    return folder


def test_init_says_what_it_made_and_what_next(runner, empty):
    from newsletter_cli.cli import app

    result = runner.invoke(app, ["init", "team"])
    assert result.exit_code == 0, result.output
    issue = next((empty / "team" / "issues").glob("*.yaml"))
    for part in ("newsletter.toml", "issues/", "recipients/", "images/"):
        assert re.search(rf"^  {re.escape(part)}\s", result.output, re.M), part
    assert "Next:\n  cd team\n" in result.output
    assert f"newsletter check {issue.stem}\n" in result.output
    for name in ("newsletter.toml", ".gitignore", "recipients/contacts.csv", "recipients/lists.yaml",
                 "recipients/suppressions.csv", "images/newsletter-logo.png"):
        assert (empty / "team" / name).is_file(), name
    # The built-in template, not a copy that would miss the tool's later fixes.
    assert not (empty / "team" / "templates").exists()
    assert not re.search(r"^  templates/", result.output, re.M)


def test_copy_template_copies_it_and_says_how_to_compare(runner, empty):
    from newsletter_cli.cli import app

    result = runner.invoke(app, ["init", "team", "--copy-template"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^  templates/\s", result.output, re.M)
    assert "'newsletter template diff'" in " ".join(result.output.split())
    for name in ("templates/regional-update/email.mjml.j2", "templates/regional-update/web/page.html.j2"):
        assert (empty / "team" / name).is_file(), name


def test_the_folder_works_at_once(runner, empty):
    from newsletter_cli.cli import app

    assert runner.invoke(app, ["init"]).exit_code == 0  # this folder
    issue = next(Path("issues").glob("*.yaml"))
    loaded = load_issue(issue)
    report = run_checks(loaded, Project(empty))
    assert report.findings == [], [f.message for f in report.findings]
    assert {b.kind for b in loaded.blocks} >= {"foreword", "people", "article", "event", "events",
                                               "callout", "button", "quote"}  # fmt: skip
    assert runner.invoke(app, ["build", str(issue)]).exit_code == 0
    lists = runner.invoke(app, ["lists", "--json"])
    assert lists.exit_code == 0 and '"name": "send-network"' in lists.stdout
    check = runner.invoke(app, ["lists", "check", "--strict"])
    assert check.exit_code == 0, check.output
    sent = runner.invoke(app, ["send", str(issue), "--list", "dcs", "--yes", "--no-link-check"])
    assert sent.exit_code == 0, sent.output
    assert len(list(Path("outbox").glob("*/*.eml"))) == 3
    contacts = Path("recipients/contacts.csv").read_text(encoding="utf-8")
    assert all(re.search(r"@[\w.-]+\.(example\.org|test),", line)
               for line in contacts.splitlines()[1:])  # made-up addresses only


def test_the_sample_issue_is_dated_from_today(empty):
    made = create_project(empty, today=date(2027, 2, 26))
    issue = load_issue(made.issue)
    assert made.issue.name == "2027-02-regional-update.yaml"
    assert issue.issue_date == date(2027, 2, 26) and issue.title == "Regional Update – February 2027"
    days = [event.start for _, event in issue.all_events() if event.start] + [
        s.start for _, event in issue.all_events() for s in event.sessions
    ]
    assert days and all(day.date() > date(2027, 2, 26) for day in days)
    assert all(day.weekday() < 5 for day in days)  # working days
    report = run_checks(issue, Project(empty), today=date(2027, 2, 26))
    assert report.findings == [], [f.message for f in report.findings]


def test_every_setting_in_newsletter_toml_is_explained(empty):
    create_project(empty)
    text = (empty / "newsletter.toml").read_text(encoding="utf-8")
    config = load_config(Project(empty))
    assert config.sender.logo == "images/newsletter-logo.png" and config.delivery.backend == "outbox"
    lines = text.splitlines()
    for field_name, info in Config.model_fields.items():
        section = info.alias or field_name  # [sender] is optional in the model, not here
        model = next(a for a in (*get_args(info.annotation), info.annotation) if a is not NoneType)
        header = next(i for i, line in enumerate(lines) if re.match(rf"^#? ?\[{section}\]$", line))
        for name in model.model_fields:
            found = next((i for i, line in enumerate(lines)
                          if i > header and re.match(rf"^#? ?{name} = ", line)), None)  # fmt: skip
            assert found is not None, f"[{section}] {name} is not in the starter's newsletter.toml"
            above = lines[max(header, found - 4):found]  # a group may share one note
            assert any(line.startswith("# ") and not re.match(r"^# \w+ = ", line)
                       for line in above), f"[{section}] {name} has no explanation"
    assert tomllib.loads(text)  # and it is valid TOML


def test_init_never_overwrites_and_writes_nothing_then(empty):
    (empty / "recipients").mkdir()
    (empty / "recipients" / "contacts.csv").write_text("email\nmine@example.org\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        create_project(empty)
    assert "contacts.csv: already exists; nothing was written" in str(caught.value)
    assert (empty / "recipients" / "contacts.csv").read_text(encoding="utf-8") == "email\nmine@example.org\n"
    assert sorted(p.name for p in empty.rglob("*")) == ["contacts.csv", "recipients"]


def test_init_in_a_file_is_refused(runner, empty):
    from newsletter_cli.cli import app

    (empty / "notes.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", "notes.txt"])
    assert result.exit_code == 2 and "notes.txt" in result.output


def test_init_writes_a_privacy_notice_and_tracking_off(empty):
    create_project(empty / "team")
    config = load_config(Project(empty / "team"))
    assert config.sender.privacy_url and config.sender.privacy_url.startswith("https://")
    assert config.sendgrid.track_opens is False and config.sendgrid.track_clicks is False
    text = (empty / "team" / "newsletter.toml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^track_opens = false$", text)
    assert re.search(r"(?m)^track_clicks = false$", text)

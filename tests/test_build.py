"""`newsletter build`: files written, summary printed, .ics and .eml usable."""

from __future__ import annotations

import email
from email import policy

from support.issues import SEPTEMBER

from newsletter_cli.build import build_issue
from newsletter_cli.model.issue import load_issue


def test_build_writes_html_text_eml_and_ics(project):
    result = build_issue(project.root / SEPTEMBER, project)
    folder = project.root / "build" / "2025-09-regional-update"
    assert result.folder == folder
    names = {p.name for p in folder.iterdir()}
    assert {"index.html", "email.txt", "preview.eml"} <= names
    assert "2025-10-15-pwle-seminar-child-contact-problems-and-the-family-court.ics" in names
    assert not any(name.endswith(".tmp") for name in names)
    assert result.html_bytes == len((folder / "index.html").read_bytes())
    assert result.links > 10 and not result.clipped


def test_built_html_has_working_unsubscribe_and_no_tokens(project):
    build_issue(project.root / SEPTEMBER, project)
    html = (project.root / "build/2025-09-regional-update/index.html").read_text()
    assert 'href="mailto:regional.team@example.org?subject=Unsubscribe"' in html
    assert "%unsubscribe_url%" not in html and "%first_name%" not in html


def test_eml_is_multipart_alternative_text_first(project):
    build_issue(project.root / SEPTEMBER, project)
    raw = (project.root / "build/2025-09-regional-update/preview.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["Subject"] == load_issue(project.root / SEPTEMBER).subject
    assert "regional.team@example.org" in message["From"]


def test_out_option_and_summary(invoke, project_dir):
    result = invoke("build", SEPTEMBER, "--out", "elsewhere")
    assert result.exit_code == 0, result.output
    assert (project_dir / "elsewhere" / "index.html").is_file()
    assert "KB" in result.output and "links" in result.output and "images" in result.output


def test_clipping_warning(invoke, project_dir):
    body = "".join(f"      Paragraph {n} " + "words " * 90 + "\n\n" for n in range(260))
    (project_dir / "issues" / "big.yaml").write_text(
        "title: Big\nissue_date: 2025-09-19\nsubject: S\nblocks:\n"
        "  - kind: article\n    heading: H\n    body: |\n" + body,
        encoding="utf-8",
    )
    result = invoke("build", "issues/big.yaml")
    assert result.exit_code == 0
    assert "Gmail will clip it" in result.output


TARGETED = """\
title: Regional Update
issue_date: 2025-09-19
subject: S
preheader: P
blocks:
  - kind: article
    heading: For everyone
    body: All of you.
  - kind: article
    heading: For the SEND network
    body: SEND news.
    only_for: [send-network]
"""


def test_build_for_a_list_shows_that_audience_personalised(invoke, project_dir):
    (project_dir / "issues" / "targeted.yaml").write_text(TARGETED, encoding="utf-8")
    send = invoke("build", "issues/targeted.yaml", "--list", "send-network")
    assert send.exit_code == 0, send.output
    folder = project_dir / "build" / "targeted--send-network"
    text = (folder / "email.txt").read_text(encoding="utf-8")
    assert "FOR THE SEND NETWORK" in text and "Dear colleague" not in text
    assert "personalised for:" in send.output
    dcs = invoke("build", "issues/targeted.yaml", "--list", "safeguarding-reps")
    assert dcs.exit_code == 0, dcs.output
    text = (project_dir / "build/targeted--safeguarding-reps/email.txt").read_text()
    assert "FOR EVERYONE" in text and "FOR THE SEND NETWORK" not in text


def test_build_for_an_unknown_list_names_the_closest(invoke):
    result = invoke("build", SEPTEMBER, "--list", "send-netwrk")
    assert result.exit_code == 2
    assert "send-network" in result.output

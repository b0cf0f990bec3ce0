"""Why the reader gets the email, and the privacy notice: the footer, `check` and `send`."""

from __future__ import annotations

import email
import re
from datetime import timedelta
from email import policy

import lxml.html
from support.issues import SEPTEMBER

from newsletter_cli.checks import run_checks
from newsletter_cli.checks.dates import london_today
from newsletter_cli.delivery.plan import prepare_send
from newsletter_cli.delivery.request import SendRequest
from newsletter_cli.environment import Environment
from newsletter_cli.model.issue import load_issue
from newsletter_cli.render import render_email

PRIVACY = "https://updates.example.org/privacy/"  # the sample newsletter.toml's
WHY = "You get this email because you are on"


def footer_text(html: str) -> str:
    doc = lxml.html.document_fromstring(html)
    (footer,) = doc.xpath("//*[contains(@class, 'ft')]")
    return " ".join(footer.text_content().split())


def clean_issue(project_dir) -> str:
    """An issue that passes every check (no TODO links), with a week-ahead event."""
    today = london_today()
    path = project_dir / "issues" / "current.yaml"
    path.write_text(
        f"title: T\nissue_date: {today}\nsubject: News\npreheader: All the news\n"
        "blocks:\n  - kind: event\n    title: Workshop\n"
        f"    start: {today + timedelta(days=7)} 10:00\n"
        "    links:\n      - text: Book a place\n        url: https://example.org/book\n",
        encoding="utf-8",
    )
    return str(path.relative_to(project_dir))


def without_privacy_url(project) -> None:
    config = project.config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^privacy_url = .*\n", "", text), encoding="utf-8")


def test_footer_names_the_lists_in_words_and_links_the_privacy_notice(project):
    issue = load_issue(project.root / SEPTEMBER)
    one = render_email(issue, project, lists=["Directors of Children's Services"])
    words = footer_text(one.html)
    assert (f"{WHY} this mailing list of West Midlands Children's Services Regional Team: "
            "Directors of Children's Services.") in words  # fmt: skip
    doc = lxml.html.document_fromstring(one.html)
    (link,) = doc.xpath(f"//a[@href='{PRIVACY}']")
    assert link.text_content() == "our privacy notice"
    assert f"Privacy notice: {PRIVACY}" in one.text and "Directors of Children's" in one.text
    two = render_email(issue, project, lists=["Directors of Children's Services", "SEND leads"])
    assert "these mailing lists of" in footer_text(two.html)
    assert "Directors of Children's Services; SEND leads." in footer_text(two.html)
    general = render_email(issue, project)
    assert f"{WHY} a mailing list of West Midlands" in footer_text(general.html)


def test_build_for_a_list_names_it_from_lists_yaml(invoke, project_dir):
    result = invoke("build", SEPTEMBER, "--list", "dcs")
    assert result.exit_code == 0, result.output
    html = (project_dir / "build" / "2025-09-regional-update--dcs" / "index.html").read_text()
    assert f"{WHY} this mailing list of" in footer_text(html)
    assert "Directors of Children's Services." in footer_text(html)


def test_each_reader_is_told_which_of_the_lists_they_are_on(project, project_dir):
    issue = clean_issue(project_dir)
    request = SendRequest(str(issue), ("dcs", "send-leads"), backend="outbox", dry_run=True)
    plan = prepare_send(Environment.load(project), request)
    said = {}
    for variant in plan.variants:
        words = footer_text(variant.email.html)
        for contact in variant.contacts:
            said[contact.email] = words
    aisha = said["aisha.ashworth@birminghamchildrenstrust.example.org"]  # a DCS only
    assert ": Directors of Children's Services." in aisha
    assert "Strategic SEND leads" not in aisha
    gareth = said["gareth.gillespie@coventry.example.org"]  # a SEND lead only
    assert ": Strategic SEND leads in each local authority." in gareth


def test_check_and_send_refuse_a_live_send_without_a_privacy_notice(project, project_dir, invoke):
    issue = clean_issue(project_dir)
    assert not run_checks(load_issue(project_dir / issue), project).errors
    without_privacy_url(project)
    report = run_checks(load_issue(project_dir / issue), project)
    (error,) = report.errors
    assert "privacy_url" in error.message and error.path.endswith("newsletter.toml")
    sender_line = (project_dir / "newsletter.toml").read_text().splitlines().index("[sender]") + 1
    assert error.line == sender_line  # the [sender] line of the sample newsletter.toml
    checked = invoke("check", issue)
    assert checked.exit_code != 0 and "privacy_url" in checked.output
    live = invoke("send", issue, "--list", "dcs", "--yes", "--no-link-check")
    assert live.exit_code == 1 and "privacy_url" in live.output
    assert not (project_dir / "outbox").exists()
    test = invoke("send", issue, "--test-to", "me@example.org", "--yes")
    assert test.exit_code == 0, test.output  # a test send goes, with a warning
    (sent,) = (project_dir / "outbox").rglob("*.eml")
    message = email.message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert "privacy notice" not in message.get_body(("html",)).get_content()

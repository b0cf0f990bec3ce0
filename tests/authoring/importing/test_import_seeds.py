"""Both seeds, as text, Word and a web page, import to issues with the samples' facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.issues import REPO

from newsletter_cli.authoring.importing import import_draft
from newsletter_cli.checks import run_checks
from newsletter_cli.model.issue import load_issue
from newsletter_cli.model.parts import is_placeholder
from newsletter_cli.project import Project
from newsletter_cli.render import render_email

SAMPLES = {"09": REPO / "issues/2025-09-regional-update.yaml",
           "04": REPO / "issues/2025-04-regional-update.yaml"}  # fmt: skip
DATES = {"09": None, "04": date(2025, 4, 15)}  # April's seed has no byline date
EVENT_FIELDS = ("start", "end", "location", "online", "cost", "deadline")
FACTS = {
    "09": ["James Thomas", "Kind regards", "Natalie Bevan", "SEND Co-ordinator", "Regional Team",
           "natalie.bevan@wmchildrensservices.org.uk", "Jane Carter", "Sandeep Virk",
           "The Studio, Birmingham", "MS Teams", "Microsoft Teams", "FREE",
           "Worcestershire County Cricket Club", "Bescot Stadium", "£1.6 million", "ADASS",
           "Rees Centre (University of Oxford)", "2 October 2025", "14 October 2025",
           "15 October 2025", "16 October 2025", "6 October 2025", "27 November 2025",
           "22 September 2025", "26 September 2025", "9:30am", "2pm", "5pm", "12:30pm"],
    "04": ["Adam Johnston", "Director of Children's Services", "Worcestershire", "Tina Russell",
           "Sandeep Virk", "Peter Gray", "Jane Carter", "Paul Brewster", "Friday 23rd May 2025",
           "April to July 2025", "City of Wolverhampton Council, Wolverhampton, WV1 1RL", "FREE",
           "National Age Assessment Board", "26 June 2025", "Coventry", "Staff College"],
}
CASES = [(month, kind) for month in ("09", "04") for kind in ("txt", "docx", "html")]


@pytest.fixture(scope="module")
def project():
    return Project(REPO)


def _imported(drafts, tmp_path: Path, month: str, kind: str):
    source = drafts(month, kind)
    result = import_draft(source, DATES[month])
    path = tmp_path / f"imported-{month}-{kind}.yaml"
    path.write_text(result.text, encoding="utf-8")
    return result, load_issue(path)


def _value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize(("month", "kind"), CASES)
def test_events_match_the_sample_field_by_field(drafts, tmp_path, month, kind):
    _result, issue = _imported(drafts, tmp_path, month, kind)
    ours = {event.title: event for _block, event in issue.all_events()}
    for _block, event in load_issue(SAMPLES[month]).all_events():
        got = ours[event.title]
        for name in EVENT_FIELDS:
            assert _value(getattr(got, name)) == _value(getattr(event, name)), (event.title, name)
        assert [(_value(s.start), _value(s.end)) for s in got.sessions] == [
            (_value(s.start), _value(s.end)) for s in event.sessions
        ]


@pytest.mark.parametrize(("month", "kind"), CASES)
def test_title_date_foreword_and_people_match_the_sample(drafts, tmp_path, month, kind):
    _result, issue = _imported(drafts, tmp_path, month, kind)
    sample = load_issue(SAMPLES[month])
    assert (issue.title, issue.issue_date) == (sample.title, sample.issue_date)
    assert issue.blocks[0].kind == "foreword" and issue.blocks[-1].kind == "events"
    assert issue.blocks[0].author == sample.blocks[0].author
    if month == "04":
        assert issue.blocks[0].role == sample.blocks[0].role
        assert {b.contact_name for b in issue.blocks if b.kind == "article"} >= {"Jane Carter"}
    else:
        for words in ("Chief Executive", "Birmingham Children", "RIIA Sponsor"):
            assert words in issue.blocks[0].role
        person = next(b for b in issue.blocks if b.kind == "people").people[0]
        wanted = next(b for b in sample.blocks if b.kind == "people").people[0]
        assert (person.name, person.role, person.contact) == (wanted.name, wanted.role,
                                                              wanted.contact)  # fmt: skip
        assert "Regional Team" in person.organisation


@pytest.mark.parametrize(("month", "kind"), CASES)
def test_check_finds_nothing_but_the_todo_links(drafts, tmp_path, project, month, kind):
    _result, issue = _imported(drafts, tmp_path, month, kind)
    report = run_checks(issue, project, today=issue.issue_date)
    others = [f.message for f in report.errors if "placeholder URL ('TODO')" not in f.message]
    assert others == []
    todo = [f for f in report.errors if "placeholder" in f.message]
    assert bool(todo) == (kind == "txt" or month == "04")  # April's booking links have no words to link


@pytest.mark.parametrize(("month", "kind"), CASES)
def test_the_built_email_carries_every_fact(drafts, tmp_path, project, month, kind):
    _result, issue = _imported(drafts, tmp_path, month, kind)
    email = render_email(issue, project)
    text = " ".join(email.text.replace("’", "'").split())
    assert [fact for fact in FACTS[month] if fact not in text] == []


@pytest.mark.parametrize("month", ["09", "04"])
def test_word_and_web_links_keep_their_real_addresses(drafts, tmp_path, month):
    for kind in ("docx", "html"):
        _result, issue = _imported(drafts, tmp_path, month, kind)
        urls = [link.url for _b, e in issue.all_events() for link in e.links]
        urls += [link.url for _b, e in issue.all_events() for s in e.sessions for link in s.links]
        assert "https://example.org/masterclass" in urls
        assert [u for u in urls if u.startswith("https://example.org/link-")]
        if month == "09":
            webinar = next(e for _b, e in issue.all_events() if e.title.startswith("Webinar"))
            assert [not is_placeholder(s.links[0].url) for s in webinar.sessions] == [True, True]


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_table_of_event_details_fills_the_event(drafts, tmp_path, kind):
    _result, issue = _imported(drafts, tmp_path, "09", kind)
    event = next(e for _b, e in issue.all_events() if e.title == "Leadership Masterclass")
    assert (_value(event.start), _value(event.end)) == ("2025-10-14T09:30:00", "2025-10-14T16:00:00")
    assert event.location == "Council House, Victoria Square, Birmingham"
    assert (event.cost, _value(event.deadline)) == ("£45 per delegate", "2025-10-03")
    assert "**A day for new and aspiring leaders.**" in event.description


def test_the_web_page_keeps_no_script_style_or_navigation(drafts, tmp_path):
    result, _issue = _imported(drafts, tmp_path, "09", "html")
    for unwanted in ("alert", "color: red", "About us", "Privacy", "Home"):
        assert unwanted not in result.text


def test_the_report_names_blocks_events_and_guesses_with_their_lines(drafts):
    result = import_draft(drafts("09", "txt"))
    report = "\n".join(result.report)
    assert "Blocks: 1 foreword, 1 people, 2 event, 1 article, 1 events" in report
    assert 'seed-09.txt:36: "PWLE Seminar: Child contact problems and the Family Court"' in report
    assert ("start 2025-10-15 09:30; end 11:00; location Microsoft Teams; cost FREE; "
            "deadline 2025-09-22; online; 1 link(s), 1 without an address") in report
    assert "sitting 1 2025-10-06 11:00 to 12:30; sitting 2 2025-10-14 10:30 to 12:00" in report
    assert 'seed-09.txt:2: byline "paulmartin.brewster" not used' in report
    assert "seed-09.txt:54:" in report and "no date found" in report

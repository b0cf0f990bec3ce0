"""The two sample issues carry every fact of the real newsletters they come from.

The facts tables list each person, role, organisation, place, date, time, cost,
deadline, postcode and address named in tests/seeds/*.txt (copies of the shared seeds). Each must reach
the reader in both parts of the built email: the HTML and the plain text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from support.issues import APRIL_FILE as APRIL
from support.issues import REPO
from support.issues import SEPTEMBER_FILE as SEPTEMBER

from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import Project
from newsletter_cli.render import render_email

SEPTEMBER_FACTS = [
    # the issue and the foreword
    "Regional Update – September 2025",
    "19 September 2025",
    "James Thomas",
    "Chief Executive",
    "Birmingham Children's Trust",
    "RIIA Sponsor",
    "Alison Hinds",
    "stability, ambition and collaboration",
    "Ofsted",
    "Shropshire",
    "Walsall",
    "Outstanding",
    "Telford & Wrekin",
    "three Outstanding local authorities",
    "By November",
    "permanent Director of Children's Services",
    "John Macilwraith",
    "Dudley",
    "Solihull",
    "Regional Improvement and Innovation Alliance (RIIA)",
    "£1.6 million",
    "2025/26",
    "peer challenges",
    "SEND diagnostics",
    "shared policies",
    "audit moderation",
    "26 September",
    "Bescot Stadium",
    "West Midlands Team Excellence Awards",
    "Team of Excellence",
    "for the first time",
    "individual",
    "SEND reforms",
    "over-intervention",
    "Kind regards",
    # Regional SEND Co-ordinator
    "Regional SEND Co-ordinator",
    "Natalie Bevan",
    "Regional Team",
    "Change Programme",
    "West Mercia",
    "SEND networks",
    "Mondays and Fridays",
    "Jane Carter",
    "RIIA Grant Delivery Plan",
    "natalie.bevan@wmchildrensservices.org.uk",
    # Families First Partnership Network Leaders Day
    "Families First Partnership Network Leaders Day",
    "2 October 2025",
    "The Studio, Birmingham",
    "Sandeep Virk",
    "implementation leads",
    "MACPTs",
    "child's journey",
    # autism survey
    "Recognising Autism in Children and Young People – Practitioner Perspective",
    "ADASS",
    "survey",
    "lived experience of autism",
    "social care, health and education",
    "For more details",  # its lone link, now a button without "click here"
    # Care Leavers Policy Workshop
    "Care Leavers Policy Workshop convened by the Rees Centre",
    "14 October 2025",
    "10am",
    "midday",
    "MS Teams",
    "Rees Centre (University of Oxford)",
    "University of Sussex",
    "Become",
    "North Yorkshire Council",
    "Children's Information Project",
    "two recent research studies",
    "outcome frameworks",
    "care-experienced",
    "National Care Leavers Month",
    "Places are limited",
    "booking form",
    "26 September 2025",
    # the events list
    "Upcoming Conferences and Events",
    "PWLE Seminar: Child contact problems and the Family Court",
    "FREE",
    "15 October 2025",
    "9:30am",
    "11am",
    "Microsoft Teams",
    "child contact",
    "22 September 2025",
    "Inequality in the Workplace: What are we doing about it? What can be done?",
    "16 October 2025",
    "2pm",
    "5pm",
    "lived experience of social work and social care",
    "academics",
    "students",
    "field instructors",
    "practice educators",
    "helping professions",
    "Everyone is welcome",
    "More details",  # "More details: follow this link", now a button
    "Register for a place",
    "Webinar on Parenting disabled children and young people and those with Special "
    "Educational Needs",
    "Foundations",
    "Department for Education",
    "local leaders and practitioners",
    "6 October 2025",
    "12:30pm",
    "10:30am",
    "Sign up",
    "Regional Safeguarding Conference",
    "Regional Safeguarding Network Annual Conference",
    "27 November 2025",
    "Worcestershire County Cricket Club",
    "neglect",
    "in-person",
    "Regional Safeguarding Network representative",
    "Participation Conference",
    "next month's Regional Update",
]

APRIL_FACTS = [
    # the issue and the foreword
    "Regional Update – April 2025",
    "Worcestershire's DCS",
    "Adam Johnston",
    "Director of Children's Services",
    "Worcestershire",
    "interim",
    "last July",
    "Tina Russell",
    "disappointing partnership inspection",
    "ten months",
    "Ofsted focused visit on children looked after",
    "December",
    "three residential inspections",
    "care leavers service",
    "National Advisor for Care Leavers",
    "overspend",
    "elected members",
    "political assurance",
    "networking event at the end of March",
    "peer challenge",
    "Dragons' Den",
    "BCT",
    "social care reform",
    "SEND demand",
    "NHS England",
    "Local Government Reform",
    "AI",
    "permanent DCS",
    "April Fool's Day",
    "24-hour call-in",
    "2 April",
    "Kind regards",
    # Innovate and Grow 2025
    "Innovate and Grow 2025",
    "sector-led improvement",
    "Birmingham City Council",
    "Birmingham Children's Trust",
    "Coventry Council",
    "Stoke-on-Trent",
    "Regional Commissioning Hub",
    "networking",
    "in person",
    "Sandeep Virk",
    "Regional Team",
    # SEND Leadership Programme
    "SEND Leadership Programme",
    "Peter Gray",
    "financial review",
    "ten local authorities",
    "interim SEND leaders",
    "NDTi / RIIA SEND Leadership programme",
    "Midlands",
    "over-subscribed",
    "2024 cohort",
    "Education and Social Care leaders",
    "Parent & Carer Forum Chair",
    "seven West Midlands NHS leaders",
    "Designated Clinical and Medical Officers",
    "ICB",
    "promotion",
    "the Staff College",
    "West Midlands in 2025",
    "nominate",
    "Jane Carter",
    # Secondment
    "Secondment opportunity – Regional SEND RIIA Co-ordinator",
    "children's services workforce",
    "constituent local authorities",
    "two days a week",
    "grade",
    "Job Description",
    "Paul Brewster",
    "CV",
    "500–750 words",
    "close of business",
    "Friday 23 May 2025",
    # the events list
    "Upcoming Conferences and Events",
    "Age Assessment training",
    "April to July 2025",
    "FREE",
    "West Midlands Strategic Migration Partnership",
    "National Age Assessment Board",
    "in-person",
    "City of Wolverhampton Council, Wolverhampton, WV1 1RL",
    "WV1 1RL",
    "webpage",
    "Team Managers/Decision Makers",
    "one day",
    "Social Workers",
    "two consecutive days",
    "Reunification Conference",
    "26 June 2025",
    "Coventry",
    "Reunification Project",
    "2021",
    "voices of families",
    "Families for Children First Reforms",
    "brings families back together",
    "click here",
]

SAMPLES = {"september": (SEPTEMBER, SEPTEMBER_FACTS), "april": (APRIL, APRIL_FACTS)}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "–", "\u00a0": " "})
_BLOCK_TAGS = {
    "p", "div", "br", "td", "th", "tr", "table", "li", "ul", "ol",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "hr",
}


def normalise(text: str) -> str:
    """Unescape, straighten quotes, collapse whitespace, ignore case (text headings are caps)."""
    text = html.unescape(text).translate(_QUOTES)
    return " ".join(text.split()).casefold()


class _VisibleText(HTMLParser):
    """The text a reader sees: no <head>, <style> or <script>; blocks separated by spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"head", "style", "script", "title"}:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in {"head", "style", "script", "title"}:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def missing(facts: list[str], text: str) -> list[str]:
    found = normalise(text)
    return [fact for fact in facts if normalise(fact) not in found]


@pytest.fixture(scope="module")
def rendered():
    """Each sample rendered once for every test in this module (rendering takes ~1 s)."""
    cache = {}

    def get(name: str):
        if name not in cache:
            path, _facts = SAMPLES[name]
            cache[name] = render_email(load_issue(path), Project(REPO))
        return cache[name]

    return get


@pytest.mark.parametrize("name", SAMPLES)
def test_every_fact_is_in_the_html(rendered, name):
    _path, facts = SAMPLES[name]
    assert missing(facts, visible_text(rendered(name).html)) == []


@pytest.mark.parametrize("name", SAMPLES)
def test_every_fact_is_in_the_plain_text(rendered, name):
    _path, facts = SAMPLES[name]
    assert missing(facts, rendered(name).text) == []


def test_fact_check_would_notice_a_missing_fact():
    assert missing(["Natalie Bevan", "WV1 1RL"], "<p>Natalie&nbsp;Bevan</p>") == ["WV1 1RL"]
    assert missing(["Children's Trust"], "Children’s\n  Trust") == []
    assert visible_text("<style>.x{}</style><p>a</p><p>b</p>").split() == ["a", "b"]


@pytest.mark.parametrize("name", SAMPLES)
def test_subject_and_preheader_are_inbox_sized(name):
    issue = load_issue(SAMPLES[name][0])
    assert 0 < len(issue.subject) <= 60
    assert 0 < len(issue.preheader) <= 100


def test_issue_dates():
    assert load_issue(SEPTEMBER).issue_date.isoformat() == "2025-09-19"
    assert load_issue(APRIL).issue_date.isoformat() == "2025-04-15"


@pytest.mark.parametrize("name", SAMPLES)
def test_block_order_follows_the_seed(name):
    kinds = [block.kind for block in load_issue(SAMPLES[name][0]).blocks]
    assert kinds[0] == "foreword"
    assert kinds[-1] == "events"
    assert kinds.count("events") == 1


@pytest.mark.parametrize("name", SAMPLES)
def test_links_the_seed_left_blank_stay_placeholders(name):
    """No invented URLs: every link in the samples is a TODO, in lists and in body text."""
    lines = SAMPLES[name][0].read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    urls = re.findall(r"^\s*url:\s*(\S+)", text, flags=re.MULTILINE)
    urls += re.findall(r"\]\(([^)]*)\)", text)
    assert urls and set(urls) == {"TODO"}
    assert re.search(r"click here", text, flags=re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£/'&.-]+", text.translate(_QUOTES).casefold())


@pytest.mark.parametrize(
    ("name", "seed"),
    [("september", "regional-update-2025-09.txt"), ("april", "regional-update-2025-04.txt")],
)
def test_prose_is_not_copied_from_the_seed(name, seed):
    """No run of 15 words matches the seed (event titles, up to 14 words, may)."""
    seed_path = REPO / "tests" / "seeds" / seed  # copies of ../shared/seeds
    run = 15
    source = _words(seed_path.read_text(encoding="utf-8"))
    shingles = {tuple(source[i : i + run]) for i in range(len(source) - run + 1)}
    ours = _words(SAMPLES[name][0].read_text(encoding="utf-8"))
    copied = [
        " ".join(ours[i : i + run])
        for i in range(len(ours) - run + 1)
        if tuple(ours[i : i + run]) in shingles
    ]
    assert copied == []

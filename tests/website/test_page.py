"""The web page and index: valid HTML (parsed strictly), landmarks, contents, events, JSON-LD."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import html5lib
import pytest
from support.issues import APRIL, BASE, SEPTEMBER

from newsletter_cli.model.issue import load_issue
from newsletter_cli.site.publish import publish


class Outline(HTMLParser):
    """Tags, ids, fragment links, images and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self.lang: str | None = None
        self._script = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = found.get("lang")
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.fragments.append(found["href"][1:])
        if tag == "img":
            self.images.append(found)
        self._script = tag == "script" and found.get("type") == "application/ld+json"
        if self._script:
            self.scripts.append("")

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False


def strict_parse(html: str) -> None:
    """The WHATWG parsing algorithm in strict mode: any parse error raises."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


def assert_accessible_page(html: str) -> Outline:
    strict_parse(html)
    page = outline(html)
    assert html.startswith("<!doctype html>")
    assert page.lang == "en-GB"
    assert page.tags.count("h1") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags, f"no <{landmark}>"
    assert page.tags.count("main") == 1
    assert len(page.ids) == len(set(page.ids)), "an id is used twice"
    assert set(page.fragments) <= set(page.ids), "a #link goes nowhere"
    for image in page.images:
        assert image.get("alt") is not None, f"{image} has no alt"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    return page


@pytest.fixture
def site(finished):
    publish(finished)
    return finished.site_dir


@pytest.mark.parametrize("name", ["2025-09-regional-update", "2025-04-regional-update"])
def test_issue_pages_are_valid_and_accessible(site, name):
    html = (site / name / "index.html").read_text(encoding="utf-8")
    page = assert_accessible_page(html)
    assert "<script" not in html.replace('<script type="application/ld+json">', "")  # no JavaScript
    assert f'<link rel="canonical" href="{BASE}{name}/">' in html
    assert page.images[0]["src"].startswith("../images/regional-update-logo.")


def test_index_is_valid_and_accessible(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert_accessible_page(html)
    assert f'<link rel="canonical" href="{BASE}">' in html
    # Newest first, each with its date and the preheader as summary.
    sept, april = html.index("Regional Update – September 2025"), html.index("Regional Update – April 2025")
    assert sept < april
    assert '<time datetime="2025-09-19">19 September 2025</time>' in html
    assert "Three Outstanding councils, a new SEND Co-ordinator" in html


def test_the_strict_check_can_fail():
    """The validator is not a rubber stamp: markup errors raise."""
    with pytest.raises(html5lib.html5parser.ParseError):
        strict_parse("<!doctype html><html lang=en><title>x</title><p>one</b></p></html>")
    with pytest.raises(html5lib.html5parser.ParseError):
        strict_parse("<!doctype html><html lang=en><title>x</title><a href='x' href='y'>a</a>")


def test_byline_contents_and_sections(site, finished):
    html = (site / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'By Paul Brewster · <time datetime="2025-09-19">19 September 2025</time> · \d+ min read', html
    )
    assert "5 min read" in html  # as the blog post it comes from
    issue = load_issue(finished.root / SEPTEMBER)
    page = outline(html)
    contents = html[html.index('<nav class="contents"'):html.index("</nav>", html.index('<nav class="contents"'))]
    for block in issue.blocks:
        heading = getattr(block, "heading", None) or block.title
        assert heading.replace("'", "&#39;") in contents
    # Every contents entry leads to a section or event on the page.
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert len(targets) == len(issue.blocks) + len(issue.blocks[-1].events)
    assert set(targets) <= set(page.ids)


def test_each_event_shows_when_where_cost_deadline_links_and_its_ics(site, finished):
    html = (site / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    start = html.index('id="event-pwle-seminar')
    card = html[start:html.index("</article>", start)]
    assert "<dt>When</dt><dd>Wednesday 15 October 2025, 9:30am to 11am</dd>" in card
    assert "<dt>Where</dt><dd>Microsoft Teams (online)</dd>" in card
    assert "<dt>Cost</dt><dd>FREE</dd>" in card
    assert "<dt>Book by</dt><dd>Monday 22 September 2025</dd>" in card
    assert '<a href="https://example.org/book">For more details click here</a>' in card
    ics = "2025-10-15-pwle-seminar-child-contact-problems-and-the-family-court.ics"
    assert f'<a href="{ics}">Apple / other (.ics)</a>' in card
    assert (site / "2025-09-regional-update" / ics).is_file()
    # An event with two sittings lists each with its own link and .ics.
    start = html.index('id="event-webinar-on-parenting')
    card = html[start:html.index("</article>", start)]
    assert card.count("Apple / other (.ics)") == 2 and "Sign up for Tuesday 14 October" in card


def test_blocks_for_some_lists_only_stay_out_of_the_public_page(finished):
    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  - kind: people\n    heading: "Regional SEND Co-ordinator"',
                                 '  - kind: people\n    only_for: [dcs]\n    heading: "Regional SEND Co-ordinator"'))
    publish(finished)
    html = (finished.site_dir / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    assert "Regional SEND Co-ordinator" not in html and "Families First Partnership" in html


def scripts(html: str) -> list[dict]:
    return [json.loads(block) for block in outline(html).scripts]


@pytest.mark.parametrize("name", [SEPTEMBER, APRIL])
def test_json_ld_parses_and_carries_every_event(site, finished, name):
    issue = load_issue(finished.root / name)
    html = (site / issue.name / "index.html").read_text(encoding="utf-8")
    data = scripts(html)
    assert data and all(d["@context"] == "https://schema.org" and d["@type"] == "Event" for d in data)
    names = [d["name"] for d in data]
    for _block, event in issue.all_events():
        sittings = max(1, len(event.all_sessions()))
        assert sum(n == event.title or n.startswith(event.title + " (") for n in names) == sittings, event.title
    for item in data:
        assert item["organizer"] == {"@type": "Organization", "name": "West Midlands Children's Services Regional Team",
                                     "url": BASE}
        assert item["url"].startswith(("https://example.org/", f"{BASE}{issue.name}/#event-"))
        if "startDate" in item:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?", item["startDate"])


def test_json_ld_fields_of_one_event_of_each_kind(site):
    html = (site / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    events = {d["name"]: d for d in scripts(html)}
    online = events["PWLE Seminar: Child contact problems and the Family Court"]
    assert online["startDate"] == "2025-10-15T09:30:00+01:00" and online["endDate"] == "2025-10-15T11:00:00+01:00"
    assert online["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://example.org/book", "name": "Microsoft Teams"}
    assert online["offers"] == {"@type": "Offer", "url": "https://example.org/book", "price": 0,
                                "priceCurrency": "GBP", "validThrough": "2025-09-22"}
    in_person = events["Regional Safeguarding Conference"]
    assert in_person["startDate"] == "2025-11-27"  # a date only: all day, no offset
    assert in_person["location"]["@type"] == "Place"
    assert in_person["location"]["name"] == "Worcestershire County Cricket Club"
    assert in_person["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    webinar = "Webinar on Parenting disabled children and young people and those with Special Educational Needs"
    sittings = [d for d in scripts(html) if d["name"] == webinar]
    assert [d["startDate"] for d in sittings] == ["2025-10-06T11:00:00+01:00", "2025-10-14T10:30:00+01:00"]
    undated = events["Participation Conference"]
    assert "startDate" not in undated and undated["offers"]["price"] == 0


def test_json_ld_cannot_be_closed_by_text_in_the_issue(finished):
    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace(
        'title: "Regional Safeguarding Conference"', 'title: "Safe </script><script>alert(1)</script>"')
    path.write_text(text, encoding="utf-8")
    publish(finished)
    html = (finished.site_dir / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    names = [d["name"] for d in scripts(html)]
    assert "Safe </script><script>alert(1)</script>" in names


@pytest.mark.parametrize(("cost", "price"), [("FREE", 0), ("Free of charge", 0), ("£25", 25),
                                              ("£12.50 per person", 12.5), ("£1,200", 1200)])
def test_prices(cost, price):
    from newsletter_cli.site.jsonld import price as parse

    assert parse(cost) == price


def test_a_price_in_words_is_described_not_guessed():
    from newsletter_cli.site.jsonld import price

    assert price("Donations welcome") is None


def test_times_carry_the_uk_offset_of_their_day():
    from datetime import date, datetime

    from newsletter_cli.site.jsonld import when

    assert when(datetime(2025, 10, 15, 9, 30)) == "2025-10-15T09:30:00+01:00"  # BST
    assert when(datetime(2025, 11, 27, 10, 0)) == "2025-11-27T10:00:00+00:00"  # GMT
    assert when(date(2025, 11, 27)) == "2025-11-27"


def test_a_block_kind_without_a_web_template_is_shown_by_the_generic_one(finished):
    """New block kinds (from a template or a later version) still publish: heading, text, events."""
    from newsletter_cli.config import load_config
    from newsletter_cli.site import page as web

    issue = load_issue(finished.root / SEPTEMBER)
    config = load_config(finished)
    site = web.SiteInfo.of(finished, config, BASE)
    context = web.page_context(issue, finished, config, site)
    for section in context["sections"]:
        section["kind"] = "diary"  # no blocks/diary.html.j2 anywhere
    html = web._render(finished, issue.template, web.PAGE, context)
    strict_parse(html)
    assert html.count('class="block diary"') == len(issue.blocks)
    assert "<h2>Recognising Autism in Children and Young People – Practitioner Perspective</h2>" in html
    assert "ADASS is looking for practitioners" in html
    assert html.count('<article class="event"') == len(issue.all_events())  # single events too
    assert len(scripts(html)) == len(scripts(web.render_page(issue, finished, config, site)))


NEW_KINDS = """\
  - kind: callout
    heading: "Applications close on Friday"
    body: |
      Send your statement to the **Regional Team**.
  - kind: button
    text: "Read the strategy"
    url: "https://example.org/strategy"
    note: "Twelve pages."
  - kind: quote
    text: "Improvement is shared work."
    author: James Thomas
    role: RIIA Sponsor
  - kind: image
    src: images/regional-update-logo.png
    alt: "The Regional Update's logo"
    caption: "Our new logo"
  - kind: people
    heading: "New appointments"
    people:
      - name: Natalie Bevan
        role: SEND Co-ordinator
        organisation: West Midlands Regional Team
        photo: {src: images/regional-update-logo.png, alt: "Natalie Bevan"}
"""


def test_every_new_block_kind_has_its_own_web_layout(finished):
    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("blocks:\n", "blocks:\n" + NEW_KINDS, 1), encoding="utf-8")
    publish(finished)
    html = (finished.site_dir / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    strict_parse(html)
    assert '<div class="notice">\n<h2>Applications close on Friday</h2>' in html
    assert '<a class="action" href="https://example.org/strategy">Read the strategy</a>' in html
    assert "<blockquote><p>Improvement is shared work.</p></blockquote>" in html
    assert "<figcaption><strong>James Thomas</strong>, RIIA Sponsor</figcaption>" in html
    assert "<figcaption>Our new logo</figcaption>" in html
    assert "<h3>Natalie Bevan</h3>" in html
    # Local pictures are the published files, sized for where they are shown.
    found = {img["alt"]: img["src"] for img in outline(html).images}
    for alt in ("The Regional Update's logo", "Natalie Bevan"):
        assert re.fullmatch(r"\.\./images/regional-update-logo\.[0-9a-f]+\.png", found[alt]), found
        assert (finished.site_dir / found[alt].removeprefix("../")).is_file()
    assert found["Natalie Bevan"] != found["The Regional Update's logo"]  # 240 px, not 1,200
    # Blocks without a heading stay out of the contents list, but keep an anchor.
    contents = html[html.index('<nav class="contents"'):html.index("</nav>", html.index('<nav class="contents"'))]
    assert 'href="#button"' not in contents and 'id="button"' in html
    assert "Applications close on Friday" in contents and "New appointments" in contents


def test_the_email_shows_local_photos_from_the_web_edition(finished):
    from newsletter_cli.render import render_email

    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("blocks:\n", "blocks:\n" + NEW_KINDS, 1), encoding="utf-8")
    email = render_email(load_issue(path), finished)
    photos = re.findall(r'<img[^>]*alt="Natalie Bevan"[^>]*>', email.html)
    assert len(photos) == 1
    assert re.search(rf'src="{re.escape(BASE)}images/regional-update-logo\.[0-9a-f]+\.png"', photos[0])

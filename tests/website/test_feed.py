"""The Atom feed, read by a real feed parser, and the sitemap."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser
from support.issues import BASE

from newsletter_cli.site.publish import publish


def test_the_feed_is_atom_newest_first_with_preheaders_as_summaries(finished):
    publish(finished)
    parsed = feedparser.parse((finished.site_dir / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Regional Update"
    assert parsed.feed.id == BASE
    assert parsed.feed.updated == "2025-09-19T00:00:00+01:00"
    assert [link.href for link in parsed.feed.links] == [BASE + "feed.xml", BASE]
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Regional Update – September 2025", "Regional Update – April 2025"]
    september, april = parsed.entries
    assert september.link == BASE + "2025-09-regional-update/"
    assert september.id == september.link
    assert september.summary == "Three Outstanding councils, a new SEND Co-ordinator, and free events this autumn."
    assert september.author == "Paul Brewster"
    assert tuple(september.published_parsed)[:3] == (2025, 9, 18)  # midnight BST is 23:00 UTC the day before
    assert april.published == "2025-04-15T00:00:00+01:00"


def test_the_feed_changes_only_with_the_issues(finished):
    publish(finished)
    first = (finished.site_dir / "feed.xml").read_bytes()
    publish(finished)
    assert (finished.site_dir / "feed.xml").read_bytes() == first
    path = finished.root / "issues/2025-04-regional-update.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'preheader: "Ten months', 'preheader: "Eleven months'), encoding="utf-8")
    publish(finished)
    parsed = feedparser.parse((finished.site_dir / "feed.xml").read_bytes())
    assert parsed.entries[1].summary.startswith("Eleven months")


def test_the_sitemap_lists_the_index_and_every_page_with_dates(finished):
    publish(finished)
    root = ET.parse(finished.site_dir / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    pairs = [(u.find("s:loc", ns).text, u.find("s:lastmod", ns).text) for u in root.findall("s:url", ns)]
    assert pairs == [
        (BASE, "2025-09-19"),
        (BASE + "2025-09-regional-update/", "2025-09-19"),
        (BASE + "2025-04-regional-update/", "2025-04-15"),
    ]

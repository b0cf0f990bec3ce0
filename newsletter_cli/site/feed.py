"""The Atom feed (``feed.xml``) and ``sitemap.xml``: newest first, dates from the issues.

No clock is read: an entry's date is its issue's date (midnight, UK time), and the
feed's ``updated`` is the newest issue's, so the same issues give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from newsletter_cli.calendar import LONDON
from newsletter_cli.render.urls import FEED, page_url

if TYPE_CHECKING:
    from newsletter_cli.site.page import IndexEntry, SiteInfo

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
GENERATOR = "newsletter"


def _stamp(day: date) -> str:
    """RFC 3339, as Atom wants: '2025-09-19T00:00:00+01:00'."""
    return datetime.combine(day, time(0, 0), tzinfo=LONDON).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(entries: Sequence[IndexEntry], site: SiteInfo) -> bytes:
    """An Atom 1.0 feed with one entry per issue (summary: its preheader), newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    q = f"{{{ATOM}}}"
    _sub(feed, q + "title", site.title)
    _sub(feed, q + "id", site.base)
    _sub(feed, q + "link", rel="self", type="application/atom+xml", href=site.base + FEED)
    _sub(feed, q + "link", rel="alternate", type="text/html", href=site.base)
    _sub(feed, q + "updated", _stamp(max(e.day for e in entries)))
    author = _sub(feed, q + "author")
    _sub(author, q + "name", site.organizer["name"])
    _sub(feed, q + "generator", GENERATOR)
    for entry in entries:
        url = page_url(site.base, entry.name)
        item = _sub(feed, q + "entry")
        _sub(item, q + "title", entry.title)
        _sub(item, q + "id", url)
        _sub(item, q + "link", rel="alternate", type="text/html", href=url)
        _sub(item, q + "published", _stamp(entry.day))
        _sub(item, q + "updated", _stamp(entry.day))
        who = _sub(item, q + "author")
        _sub(who, q + "name", entry.author)
        _sub(item, q + "summary", entry.summary or entry.title)
    return _serialise(feed)


def sitemap(entries: Sequence[IndexEntry], site: SiteInfo) -> bytes:
    """sitemap.xml: the index and every issue's page, each with its date."""
    ET.register_namespace("", SITEMAP_NS)
    q = f"{{{SITEMAP_NS}}}"
    urlset = ET.Element(q + "urlset")
    pages = [(site.base, max(e.day for e in entries))]
    pages += [(page_url(site.base, e.name), e.day) for e in entries]
    for loc, day in pages:
        url = _sub(urlset, q + "url")
        _sub(url, q + "loc", loc)
        _sub(url, q + "lastmod", day.isoformat())
    return _serialise(urlset)

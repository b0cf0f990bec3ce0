"""Where the web edition lives, from the one setting that says so: ``[site] base_url``.

The email's "view in your browser" link, its ``.ics`` links and its image
addresses are all derived here from the same base that `newsletter publish`
writes under, so they cannot point anywhere the site does not have:

    <base_url>                     index.html, feed.xml, sitemap.xml, style.css
    <base_url><issue-name>/        the issue's page (index.html) and its .ics files
    <base_url>images/<file>        images, under content-hashed names

An older ``newsletter.toml`` with only ``view_online_url = ".../{slug}/"`` keeps
working: its part before ``{slug}`` is taken as the base. When ``base_url`` is
set, ``view_online_url`` (in the config or an issue) is ignored and `check`
warns if it names another address.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from newsletter_cli.config import _key_line
from newsletter_cli.findings import Finding
from newsletter_cli.sourcefile import read_text

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project

IMAGES = "images/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def site_base(config: Config) -> str | None:
    """The web edition's base address, ending in '/', or None if none can be known."""
    if config.site.base_url:
        return _slash(config.site.base_url.strip())
    legacy = (config.site.view_online_url or "").strip()
    head, found, tail = legacy.partition("{slug}")
    if found and tail in ("", "/") and head.endswith("/") and "://" in head:
        return head
    return None


def page_url(base: str, name: str) -> str:
    """An issue's page: ``<base><name>/``."""
    return f"{base}{name}/"


def image_url(base: str | None, filename: str) -> str:
    """A published image's address (relative ``images/...`` when there is no base)."""
    return f"{base or ''}{IMAGES}{filename}"


def view_online_url(issue: Issue, config: Config) -> str | None:
    """Where the email's "view in your browser" link and its .ics links point."""
    if config.site.base_url:
        return page_url(site_base(config) or "", issue.name)
    if issue.view_online_url:
        return issue.view_online_url
    if config.site.view_online_url:
        return config.site.view_online_url.replace("{slug}", issue.name)
    return None


def resolve(page: str, href: str) -> str:
    """A link on a page as an absolute address."""
    return urljoin(page, href)


def url_findings(issue: Issue, project: Project, config: Config) -> Iterator[Finding]:
    """`check`: a view_online_url that disagrees with base_url (the base wins)."""
    base = site_base(config)
    if not config.site.base_url or base is None:
        return
    published = page_url(base, issue.name)
    legacy = config.site.view_online_url
    if legacy and legacy.replace("{slug}", issue.name) != published:
        text = read_text(project.config_path) if project.config_path.is_file() else ""
        yield Finding(
            "warning",
            f"[site] view_online_url gives {legacy.replace('{slug}', issue.name)} but "
            f"publish puts this issue at {published} (from base_url): the email links there; "
            "remove view_online_url",
            None,
            _key_line(text, ("site", "view_online_url")),
            path=str(project.config_path),
        )
    if issue.view_online_url and issue.view_online_url != published:
        yield Finding(
            "warning",
            f"view_online_url {issue.view_online_url} is ignored: publish puts this issue at "
            f"{published} (from base_url in newsletter.toml), and the email links there",
            None,
            issue.field_line("view_online_url"),
        )

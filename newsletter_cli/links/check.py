"""`newsletter check ISSUE` (and a live send): every address in the email and the web page, tried.

Links into the web edition (the page, its .ics files, images, feed) are looked up
in the published folder when ``site/`` is on this machine, and over HTTP when it
is not. ``mailto:`` links are checked for shape only. Other links are tried
concurrently (a thread pool), each with a timeout; good answers are cached for a
day in ``.newsletter/links.json``.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from newsletter_cli.calendar import calendar_entries
from newsletter_cli.config import _key_line, load_config
from newsletter_cli.findings import Finding, Findings
from newsletter_cli.links.cache import FILE_NAME, LinkCache
from newsletter_cli.links.hops import Resolver
from newsletter_cli.links.probe import LinkResult, try_url
from newsletter_cli.render import images, render_email
from newsletter_cli.render.links import Collector, Source, Target, html_addresses, issue_links
from newsletter_cli.render.urls import image_url, resolve, site_base, view_online_url
from newsletter_cli.site.page import SiteInfo, render_page, web_folder
from newsletter_cli.sourcefile import read_text

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project

NOT_TRIED = "not tried: only https://, http:// and mailto: links can be checked"
WORKERS = 8
TIMEOUT = 10.0
_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass
class LinkReport(Findings):
    """Every address tried, what it gave, and the findings to show."""

    results: list[tuple[Target, LinkResult]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, how: str) -> int:
        return sum(result.how == how for _t, result in self.results)

    @property
    def redirected(self) -> list[LinkResult]:
        """Links that work through a temporary redirect (shown, not a problem)."""
        return [r for _t, r in self.results if r.level == "ok" and r.redirects]


def check_mailto(url: str) -> LinkResult:
    """A mailto: link has one or more well-formed addresses."""
    addresses = unquote(url.removeprefix("mailto:").split("?", 1)[0])
    wrong = [a for a in addresses.split(",") if not _ADDRESS.match(a.strip())]
    if not addresses.strip() or wrong:
        shown = ", ".join(repr(a.strip()) for a in wrong) or "none"
        return LinkResult(url, "error", f"not an email address: {shown}", "mailto", how="mailto")
    return LinkResult(url, "ok", how="mailto", final_url=url)


def check_published(url: str, base: str, folder: Path) -> LinkResult:
    """A web-edition address, looked up in the published folder."""
    rel = unquote(urlsplit(url[len(base):]).path)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    path = (folder / rel).resolve()
    inside = folder.resolve() in path.parents
    if inside and path.is_file():
        return LinkResult(url, "ok", how="file", final_url=url)
    return LinkResult(
        url, "error",
        f"not published: {folder.name}/{rel} does not exist (run newsletter publish)",
        "missing", how="file",
    )  # fmt: skip


def _web_edition(issue: Issue, project: Project, config: Config, found: Collector) -> str | None:
    """Add the page, .ics and image addresses the tool makes; return the page's address."""
    text = project.config_path.read_text(encoding="utf-8") if project.config_path.is_file() else ""
    key = "base_url" if config.site.base_url else "view_online_url"
    setting = Source(str(project.config_path), _key_line(text, ("site", key)), "view in browser")
    page = view_online_url(issue, config)
    if page is None:
        return None
    found.add(page, setting)
    for entry in calendar_entries(issue):
        found.add(f"{page.rstrip('/')}/{entry.filename}",
                  Source(None, entry.event.line, entry.event.title))  # fmt: skip
    base = site_base(config)
    for block, image in images.block_images(issue):
        display = images.display_width(block, image)
        prepared = (images.try_prepare(project, image.src, display)
                    if images.is_local(image.src) else None)  # fmt: skip
        if prepared is not None:
            found.add(image_url(base, prepared.filename),
                      Source(None, image.line, getattr(block, "heading", None)))  # fmt: skip
    logo = images.logo(project, config, base)
    if logo:
        found.add(logo["src"], Source(str(project.config_path),
                                      _key_line(text, ("sender", "logo")), "logo"))  # fmt: skip
    return page


def collect_targets(issue: Issue, project: Project, config: Config) -> list[Target]:
    """Every address in the issue's email and web page, each with where it comes from."""
    found = Collector()
    for url, source in issue_links(issue):
        found.add(url, source)
    page = _web_edition(issue, project, config, found)
    for url, source in _settings_links(project, config):
        found.add(url, source)
    template = project.template_folder(issue.template)
    for url in html_addresses(render_email(issue, project).html):
        found.add_unknown(url, Source(str(template), None, "the email template"))
    base = site_base(config)
    if base is not None and page is not None:
        html = render_page(issue, project, config, SiteInfo.of(project, config, base))
        source = Source(str(web_folder(project, issue.template)), None, "the web page template")
        for href in html_addresses(html):
            if not href.startswith("#"):
                found.add_unknown(resolve(page, href), source)
    return list(found.targets.values())


def _settings_links(project: Project, config: Config) -> list[tuple[str, Source]]:
    """The addresses newsletter.toml puts in every email (privacy notice, website), named at
    their line there, so a dead one is not put down to the template."""
    path = project.config_path
    text = read_text(path) if path.is_file() else ""
    found = []
    for key in ("privacy_url", "website"):
        url = getattr(config.sender, key, None)
        if url and url.startswith(("http://", "https://")):
            line = _key_line(text, ("sender", key))
            found.append((url, Source(str(path), line, f"sender.{key}")))
    return found


def _findings(target: Target, result: LinkResult) -> list[Finding]:
    if result.level == "ok":
        return []
    return [
        Finding(result.level, f"{target.url}: {result.message}", s.what, s.line, path=s.path)
        for s in target.sources
    ]


def check_links(
    issue: Issue,
    project: Project,
    *,
    site_dir: Path | None = None,
    timeout: float = TIMEOUT,
    retry_delay: float = 1.0,
    workers: int = WORKERS,
    now: float | None = None,
    resolve: Resolver | None = None,
    config: Config | None = None,
    fresh: bool = False,
) -> LinkReport:
    """Try every address in ``issue``'s email and web page; nothing here raises for a bad link.

    ``resolve`` looks host names up (the system's resolver unless given); ``fresh`` tries
    every link again, whatever the cache of good answers holds.
    """
    config = config or load_config(project)
    base = site_base(config)
    folder = site_dir if site_dir is not None else project.site_dir
    local_site = base is not None and folder.is_dir()
    cache = LinkCache(project.state_dir / FILE_NAME, time.time() if now is None else now)
    targets = collect_targets(issue, project, config)
    results: dict[str, LinkResult] = {}
    remote: list[str] = []
    for target in targets:
        url = target.url
        if url.lower().startswith("mailto:"):
            results[url] = check_mailto(url)
        elif local_site and url.startswith(base or "\0"):
            results[url] = check_published(url, base or "", folder)
        elif not re.match(r"^https?://", url, re.IGNORECASE):
            results[url] = LinkResult(url, "warning", NOT_TRIED, "other", how="none")
        elif not fresh and (cached := cache.get(url)) is not None:
            results[url] = cached
        else:
            remote.append(url)
    if remote:
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(remote)))) as pool:
            tried = pool.map(
                lambda u: try_url(u, timeout=timeout, retry_delay=retry_delay, resolve=resolve),
                remote,
            )
            for result in tried:
                results[result.url] = result
                cache.put(result)
    cache.save()
    report = LinkReport()
    for target in targets:
        result = results[target.url]
        report.results.append((target, result))
        report.findings.extend(_findings(target, result))
    return report

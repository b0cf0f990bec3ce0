"""`newsletter publish`: write the web edition, a static folder any web host can serve.

Same input, same bytes: nothing comes from the clock (dates are the issues'),
everything is in a fixed order, and a file whose bytes have not changed is not
rewritten. ``publish ISSUE`` writes that issue's page and rebuilds the index, feed
and sitemap from every issue whose page is already in the folder; ``--all``
writes every issue in ``issues/`` and removes the .ics files and images that no
published issue uses any more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.calendar import calendar_entries
from newsletter_cli.config import load_config
from newsletter_cli.errors import InputError
from newsletter_cli.issue import Issue, load_issue
from newsletter_cli.render import images
from newsletter_cli.render.links import placeholders
from newsletter_cli.render.urls import FEED, IMAGES, SITEMAP, site_base
from newsletter_cli.site import feed, page

if TYPE_CHECKING:
    from newsletter_cli.project import Project

HASHED = re.compile(r"^[a-z0-9-]+\.[0-9a-f]{12}\.[a-z]+$")


@dataclass
class PublishedIssue:
    """One issue's page as written."""

    issue: Issue
    folder: Path
    ics: int = 0
    placeholders: int = 0


@dataclass
class PublishResult:
    """What `publish` did."""

    out: Path
    base: str
    published: list[PublishedIssue] = field(default_factory=list)
    listed: int = 0  # issues on the index and in the feed
    images: int = 0
    written: list[Path] = field(default_factory=list)  # files new or changed
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Writer:
    """Writes only what changed, atomically; counts what it did."""

    def __init__(self, result: PublishResult) -> None:
        self.result = result
        self.kept: set[Path] = set()

    def write(self, path: Path, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.kept.add(path)
        if path.is_file() and path.read_bytes() == raw:
            self.result.unchanged += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(raw)
        temporary.replace(path)
        self.result.written.append(path)

    def prune(self, folder: Path, pattern: str, keep: re.Pattern[str] | None = None) -> None:
        """Remove files matching ``pattern`` in ``folder`` that this run did not write."""
        if not folder.is_dir():
            return
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and path not in self.kept and (keep is None or keep.match(path.name)):
                path.unlink()
                self.result.removed.append(path)


def issue_files(project: Project) -> list[Path]:
    """Every issue file in issues/, by name."""
    folder = project.issues_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _unique(issues: list[Issue]) -> list[Issue]:
    seen: dict[str, Issue] = {}
    for issue in issues:
        other = seen.get(issue.name)
        if other is not None and other.path != issue.path:
            raise InputError(
                f"two issues are both called {issue.name!r} ({other.path} and this one): "
                "their web pages would overwrite each other",
                path=issue.path,
                line=issue.field_line("slug"),
            )
        seen[issue.name] = issue
    return list(seen.values())


def _entries(issues: list[Issue], config) -> list[page.IndexEntry]:
    entries = [
        page.IndexEntry(
            name=i.name, title=i.title, day=i.issue_date, summary=i.preheader,
            author=i.author or config.sender.organisation, minutes=page.reading_minutes(i),
        )  # fmt: skip
        for i in issues
    ]
    return sorted(entries, key=lambda e: (e.day, e.name), reverse=True)


def publish(
    project: Project,
    issue_paths: list[Path] | None = None,
    *,
    out: Path | None = None,
) -> PublishResult:
    """Write the web edition of ``issue_paths`` (every issue when None) into ``out``."""
    config = load_config(project)
    base = page.require_base(site_base(config), project)
    out = Path(out) if out is not None else project.site_dir
    result = PublishResult(out=out, base=base)
    everything = issue_paths is None
    chosen = _unique([load_issue(p) for p in (issue_files(project) if everything else issue_paths)])
    if not chosen:
        raise InputError("no issue files to publish", path=project.issues_dir)
    listed = list(chosen)
    if not everything:
        names = {i.name for i in chosen}
        for path in issue_files(project):
            if path.stem not in names and (out / path.stem / "index.html").is_file():
                listed.append(load_issue(path))
        listed = _unique(listed)
    site = page.SiteInfo.of(project, config, base)
    writer = _Writer(result)
    used_images: dict[str, images.PreparedImage] = {}
    for issue in sorted(chosen, key=lambda i: i.name):
        page.require_template(issue, project)
        folder = out / issue.name
        writer.write(folder / "index.html", page.render_page(issue, project, config, site))
        entries = calendar_entries(issue)
        for entry in entries:
            writer.write(folder / entry.filename, entry.ics)
        writer.prune(folder, "*.ics")
        for prepared in images.issue_images(issue, project, config):
            used_images.setdefault(prepared.filename, prepared)
        result.published.append(
            PublishedIssue(issue, folder, len(entries), len(placeholders(issue)))
        )
    for filename in sorted(used_images):
        writer.write(out / IMAGES / filename, used_images[filename].data)
    result.images = len(used_images)
    if everything:
        writer.prune(out / IMAGES, "*", HASHED)
    index = _entries(listed, config)
    newest = max(listed, key=lambda i: (i.issue_date, i.name))
    front = page.render_index(index, project, config, site, newest.template)
    writer.write(out / "index.html", front)
    writer.write(out / page.STYLESHEET, page.stylesheet(project, newest.template))
    writer.write(out / FEED, feed.atom_feed(index, site))
    writer.write(out / SITEMAP, feed.sitemap(index, site))
    result.listed = len(index)
    known = {i.name for i in listed} | {IMAGES.strip("/")}
    if out.is_dir():
        for folder in sorted(p for p in out.iterdir() if p.is_dir()):
            if folder.name not in known and (folder / "index.html").is_file():
                result.notes.append(
                    f"{folder}/ has no issue file called {folder.name}.yaml: left off the index"
                )
    return result

"""`newsletter publish`: write the web edition, a static folder any web host can serve.

Same input, same bytes: nothing comes from the clock (dates are the issues'),
everything is in a fixed order, and a file whose bytes have not changed is not
rewritten. ``publish ISSUE`` writes that issue's page and rebuilds the index, feed
and sitemap from every issue whose page is already in the folder; ``--all``
writes every issue in ``issues/`` and removes the .ics files and images that no
published issue uses any more.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.calendar import calendar_entries
from newsletter_cli.config import load_config
from newsletter_cli.errors import InputError
from newsletter_cli.model.issue import PLAIN_NAME, Issue, load_issue
from newsletter_cli.render import images
from newsletter_cli.render.links import placeholders
from newsletter_cli.render.urls import FEED, IMAGES, SITEMAP, site_base
from newsletter_cli.site import feed, page
from newsletter_cli.site.checks import image_findings
from newsletter_cli.site.owned import Manifest, digest, write_file

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
    """Collects what to write and remove, then does it, touching only what publish owns."""

    def __init__(self, result: PublishResult, manifest: Manifest) -> None:
        self.result = result
        self.manifest = manifest
        self.planned: dict[Path, bytes] = {}
        self.prunes: list[tuple[Path, str, re.Pattern[str] | None]] = []

    def write(self, path: Path, data: str | bytes) -> None:
        self.planned[path] = data.encode("utf-8") if isinstance(data, str) else data

    def prune(self, folder: Path, pattern: str, keep: re.Pattern[str] | None = None) -> None:
        """Remove, at commit, files matching ``pattern`` in ``folder`` not written this run."""
        self.prunes.append((folder, pattern, keep))

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.manifest.folder).as_posix()

    def _changes(self) -> dict[Path, bytes]:
        """The planned files whose bytes differ; InputError for one publish may not replace."""
        changes = {}
        for path, raw in self.planned.items():
            rel = self._rel(path)
            for parent in reversed(path.relative_to(self.manifest.folder).parents[:-1]):
                at = self.manifest.folder / parent
                if at.is_symlink() or (os.path.lexists(at) and not at.is_dir()):
                    raise InputError(_NOT_MINE.format("is not a folder publish made"), path=at)
            if not os.path.lexists(path):
                changes[path] = raw
                continue
            current = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            if current == raw:
                self.result.unchanged += 1
            elif current is not None and self.manifest.owns(rel, current):
                changes[path] = raw
            elif rel in self.manifest.files:
                raise InputError(_NOT_MINE.format("was changed since publish wrote it"), path=path)
            else:
                raise InputError(_NOT_MINE.format("is a file publish did not write"), path=path)
        return changes

    def _stale(self) -> list[Path]:
        """Files publish wrote earlier, unchanged since, that the prune requests name."""
        stale = []
        for folder, pattern, keep in self.prunes:
            if not folder.is_dir() or folder.is_symlink():
                continue
            for path in sorted(folder.glob(pattern)):
                rel = self._rel(path)
                if (path in self.planned or rel not in self.manifest.files or path.is_symlink()
                        or not path.is_file() or (keep is not None and not keep.match(path.name))):
                    continue
                if self.manifest.owns(rel, path.read_bytes()):
                    stale.append(path)
                else:
                    self.result.notes.append(f"{path} was changed since publish wrote it: kept")
        return stale

    def commit(self) -> None:
        """Write what changed and remove what is stale, the list saved before and after."""
        changes, stale = self._changes(), self._stale()
        manifest = self.manifest
        if changes:
            manifest.pending = {self._rel(p): digest(raw) for p, raw in changes.items()}
            manifest.save()
        for path, raw in changes.items():
            write_file(path, raw)
            self.result.written.append(path)
        for path in stale:
            path.unlink()
            manifest.files.pop(self._rel(path), None)
            self.result.removed.append(path)
        manifest.files.update({self._rel(p): digest(raw) for p, raw in self.planned.items()})
        manifest.pending = {}
        manifest.save()


_NOT_MINE = (
    "{}; publish replaces only files it wrote itself: move it away (or publish into another "
    "folder) and run publish again"
)


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


def refuse_broken_images(issue: Issue, project: Project, config) -> None:
    """InputError for the first image `check` calls an error, in its words, file and line."""
    for finding in image_findings(issue, project, config):
        if finding.severity == "error":
            raise InputError(finding.message, path=finding.path or issue.path, line=finding.line)


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
    manifest = Manifest.read(out)  # refuses a folder publish did not make, before any work
    everything = issue_paths is None
    chosen = _unique([load_issue(p) for p in (issue_files(project) if everything else issue_paths)])
    if not chosen:
        raise InputError("no issue files to publish", path=project.issues_dir)
    listed = list(chosen)
    if not everything:
        names = {i.name for i in chosen}
        for path in issue_files(project):
            name = path.stem
            page_there = PLAIN_NAME.match(name) and (out / name / "index.html").is_file()
            if page_there and name not in names:
                listed.append(load_issue(path))
        listed = _unique(listed)
    site = page.SiteInfo.of(project, config, base)
    writer = _Writer(result, manifest)
    used_images: dict[str, images.PreparedImage] = {}
    for issue in chosen:
        refuse_broken_images(issue, project, config)
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
    writer.commit()
    known = {i.name for i in listed} | {IMAGES.strip("/")}
    if out.is_dir():
        for folder in sorted(p for p in out.iterdir() if p.is_dir()):
            if folder.name not in known and (folder / "index.html").is_file():
                result.notes.append(
                    f"{folder}/ has no issue file called {folder.name}.yaml: left off the index"
                )
    return result

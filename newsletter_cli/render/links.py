"""Every address an issue's email and web page point at, with where each one comes from.

Links written in the issue file carry their line; links the tool makes (the web
edition's page, .ics files, images) are traced to the event, image or setting that
made them; anything else in the rendered HTML is put down to the template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from newsletter_cli import markdown
from newsletter_cli.calendar import GOOGLE_URL, OUTLOOK_URL
from newsletter_cli.model.blocks import Article, Events
from newsletter_cli.model.parts import EventDetails, Image, Model, is_placeholder
from newsletter_cli.render.images import is_local

if TYPE_CHECKING:
    from newsletter_cli.model.issue import Issue

#: Never tried: the per-recipient slots filled at send time, and the calendar deep links
#: the tool writes itself (their answer depends on the reader's login, not on the issue).
SKIPPED_PREFIXES = ("%", "#", "data:", "javascript:", OUTLOOK_URL, GOOGLE_URL)


@dataclass(frozen=True)
class Source:
    """Where a link comes from: a file, a line, and what it belongs to."""

    path: str | None  # None: the issue file
    line: int | None
    what: str | None = None


@dataclass
class Target:
    """One address to try, and every place that uses it."""

    url: str
    sources: list[Source] = field(default_factory=list)


def _heading(block: Any) -> str | None:
    """What a finding names the block by: its heading or title, else its kind and text."""
    named = getattr(block, "heading", None) or getattr(block, "title", None)
    if named or not getattr(block, "kind", None):
        return named or None
    text = getattr(block, "text", None) or getattr(block, "alt", None) or ""
    return f'{block.kind} "{text}"' if text else block.kind


def _block_urls(block: Any, what: str | None) -> Iterator[tuple[str, Source]]:
    """The addresses a block holds in its own fields (a button's url, an image's href and
    src), each at its line in the issue file."""
    names = list(getattr(block, "url_fields", ()))
    if isinstance(block, Image) and not is_local(block.src):
        names.append("src")
    for name in names:
        url = getattr(block, name, None)
        if isinstance(url, str) and url:
            yield url, Source(None, block.field_line(name) or block.line, what)


def _model_links(model: Model, what: str | None) -> Iterator[tuple[str, Source]]:
    for link in getattr(model, "links", []) or []:
        yield link.url, Source(None, link.line or model.line, what)
    for name in ("body", "description", "intro"):
        text = getattr(model, name, None)
        if not isinstance(text, str) or not ("[" in text or "<" in text):
            continue  # no brackets: no link or image (and no need to parse)
        line = model.field_line(name)
        for found in markdown.links(text):
            yield found.url, Source(None, line, what)
        for src, _alt in markdown.images(text):
            yield src, Source(None, line, what)


def _event_links(event: EventDetails, what: str | None) -> Iterator[tuple[str, Source]]:
    yield from _model_links(event, what)
    for session in event.sessions:
        yield from _model_links(session, what)


def issue_links(issue: Issue) -> list[tuple[str, Source]]:
    """(url, source) for every link and remote image written in the issue file, in order."""
    found: list[tuple[str, Source]] = []
    for block in issue.blocks:
        what = _heading(block)
        found += _event_links(block, what) if isinstance(block, EventDetails) else _model_links(
            block, what
        )
        found += _block_urls(block, what)
        image = getattr(block, "image", None)
        if image is not None:
            if not is_local(image.src):
                found.append((image.src, Source(None, image.line, what)))
            if image.href:
                found.append((image.href, Source(None, image.line, what)))
        if isinstance(block, Article) and block.contact:
            line = block.field_line("contact")
            found.append((f"mailto:{block.contact}", Source(None, line, what)))
        if isinstance(block, Events):
            for event in block.events:
                found += _event_links(event, f"{what}: {event.title}")
    return found


def placeholders(issue: Issue) -> list[tuple[str, Source]]:
    """The links still to be filled in (TODO, '#', empty)."""
    return [(url, src) for url, src in issue_links(issue) if is_placeholder(url)]


class _Addresses(HTMLParser):
    """Every href and src in a page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and value.strip():
                self.found.append(value.strip())


def html_addresses(html: str) -> list[str]:
    """Every ``href`` and ``src`` value in ``html`` (entities decoded)."""
    parser = _Addresses()
    parser.feed(html)
    parser.close()
    return parser.found


def skipped(url: str) -> bool:
    """True for addresses that are not tried (see SKIPPED_PREFIXES) and placeholders."""
    return url.startswith(SKIPPED_PREFIXES) or is_placeholder(url)


class Collector:
    """Targets in first-seen order; each address once, with all its sources."""

    def __init__(self) -> None:
        self.targets: dict[str, Target] = {}

    def add(self, url: str, source: Source) -> None:
        if skipped(url):
            return
        target = self.targets.setdefault(url, Target(url))
        if source not in target.sources:
            target.sources.append(source)

    def add_unknown(self, url: str, source: Source) -> None:
        """Add ``url`` only if nothing more precise has named it already."""
        if url not in self.targets:
            self.add(url, source)

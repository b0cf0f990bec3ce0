"""An issue's web page and the site's index, from Jinja2 templates (not the email's tables).

Templates are looked up first in the issue's template folder (``templates/<name>/web/``),
then in the built-in defaults beside this module, which a folder's own template can
extend as ``default/page.html.j2``. A template folder without ``web/`` still publishes.

The page shows the blocks meant for everyone: a block limited with ``only_for`` stays
in the email of the lists it names.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from newsletter_cli import datefmt
from newsletter_cli.calendar import calendar_links, slugify
from newsletter_cli.errors import InputError
from newsletter_cli.model.blocks import EventBlock
from newsletter_cli.model.parts import EventDetails
from newsletter_cli.render import images
from newsletter_cli.render.filters import shared_filters
from newsletter_cli.render.urls import page_url
from newsletter_cli.site import jsonld

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.model.blocks import Block
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project

DEFAULTS = Path(__file__).with_name("web")
PAGE = "page.html.j2"
INDEX = "index.html.j2"
STYLESHEET = "style.css"
WORDS_PER_MINUTE = 238  # average silent reading of non-fiction in English (Brysbaert, 2019)
RESERVED_IDS = {"main", "contents-heading"}


@lru_cache(maxsize=8)
def _environment(folder: str) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(str(DEFAULTS))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(folder),
            jinja2.PrefixLoader({"default": defaults}),
            defaults,
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(shared_filters())
    return env


def web_folder(project: Project, template: str) -> Path:
    """The template's ``web/`` folder, the project's or the built-in one (it need not exist)."""
    return project.template_folder(template) / "web"


def stylesheet(project: Project, template: str) -> bytes:
    """The template folder's ``web/style.css``, else the built-in one."""
    own = web_folder(project, template) / STYLESHEET
    return (own if own.is_file() else DEFAULTS / STYLESHEET).read_bytes()


def _render(project: Project, template: str, name: str, context: dict[str, Any]) -> str:
    from newsletter_cli.render.pipeline import _template_error

    folder = web_folder(project, template)
    try:
        return _environment(str(folder)).get_template(name).render(context)
    except Exception as exc:  # a mistake in a template: reported at its file and line
        raise _template_error(exc, folder) from None


def _words(text: str | None) -> int:
    """Words in Markdown as a reader sees them (link addresses left out)."""
    return len(re.findall(r"\w+", re.sub(r"\]\([^)]*\)", "]", text or "")))


#: Fields whose text a reader does not read as words (addresses, names of kinds and lists).
_NOT_READ = frozenset({"kind", "only_for", "url", "src", "href", "contact", "template"})


def _model_words(value: Any) -> int:
    """Words in every text field of a block, its events, people and links included."""
    if isinstance(value, str):
        return _words(value)
    if isinstance(value, list):
        return sum(_model_words(item) for item in value)
    fields = getattr(type(value), "model_fields", None)
    if fields is None:
        return 0
    return sum(_model_words(getattr(value, name)) for name in fields if name not in _NOT_READ)


def reading_minutes(issue: Issue) -> int:
    """Minutes to read the page (at least 1), shown as "5 min read" as on the blog."""
    words = _words(issue.title) + _words(issue.preheader)
    for block in public_blocks(issue):
        words += _model_words(block)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def public_blocks(issue: Issue) -> list[Block]:
    """The blocks every reader sees (no ``only_for``): what the web page shows."""
    return [block for block in issue.blocks if not block.only_for]


def _events(block: Block) -> list[tuple[Block, Any]]:
    """The events a block shows: itself (an event), or its list (events, and kinds like it)."""
    if isinstance(block, EventDetails):
        return [(block, block)]
    events = getattr(block, "events", None)
    if isinstance(events, list):
        return [(block, event) for event in events if isinstance(event, EventDetails)]
    return []


class _Ids:
    """Unique, readable anchors: 'regional-send-co-ordinator', 'event-...-2'."""

    def __init__(self) -> None:
        self.used = set(RESERVED_IDS)

    def make(self, text: str, prefix: str = "") -> str:
        base = prefix + slugify(text, 50)
        ident, n = base, 1
        while ident in self.used:
            n += 1
            ident = f"{base}-{n}"
        self.used.add(ident)
        return ident


@dataclass
class SiteInfo:
    """What every page of the site shares."""

    title: str
    base: str
    organizer: dict[str, Any]
    logo: dict[str, Any] | None

    @classmethod
    def of(cls, project: Project, config: Config, base: str) -> SiteInfo:
        organizer = {
            "@type": "Organization",
            "name": config.sender.organisation,
            "url": config.sender.website or base,
        }
        logo = images.logo(project, config, None)  # a local logo: 'images/...' from the root
        return cls(config.site.title or config.sender.organisation, base, organizer, logo)

    def context(self, root: str) -> dict[str, Any]:
        logo = dict(self.logo) if self.logo else None
        if logo and not re.match(r"^[a-z]+:|^/", logo["src"]):
            logo["src"] = root + logo["src"]
        return {"title": self.title, "base": self.base, "root": root, "logo": logo}


def _image(block: Block, project: Project, root: str) -> dict[str, Any] | None:
    image = getattr(block, "image", None)
    if image is None:
        return None
    shown = {"src": image.src, "alt": image.alt or "", "href": image.href,
             "width": None, "height": None}  # fmt: skip
    if images.is_local(image.src):
        prepared = images.try_prepare(project, image.src)
        if prepared is not None:
            shown.update(src=f"{root}images/{prepared.filename}", width=prepared.display_width,
                         height=prepared.display_height)  # fmt: skip
    return shown


def _event_item(
    issue: Issue, event: Any, ident: str, url: str, site: SiteInfo
) -> dict[str, Any]:
    sittings = [
        {"session": session, "calendar": calendar_links(issue, event, session)}
        for session in event.all_sessions()
    ]
    data = jsonld.event_list(event, page_url=f"{url}#{ident}", organizer=site.organizer)
    return {"id": ident, "event": event, "sittings": sittings,
            "jsonld": [jsonld.script(d) for d in data]}  # fmt: skip


def page_context(
    issue: Issue, project: Project, config: Config, site: SiteInfo
) -> dict[str, Any]:
    """Everything page.html.j2 is given."""
    root = "../"
    url = page_url(site.base, issue.name)
    ids = _Ids()
    sections = []
    for block in public_blocks(issue):
        heading = getattr(block, "heading", "") or getattr(block, "title", "")
        kind = block.kind  # type: ignore[attr-defined]
        ident = ids.make(heading or kind, "event-" if isinstance(block, EventBlock) else "")
        events = []
        for _b, event in _events(block):
            event_id = ident if isinstance(block, EventBlock) else ids.make(event.title, "event-")
            events.append(_event_item(issue, event, event_id, url, site))
        image = _image(block, project, root)
        block = images.resolve_block(block, project, root)  # photos, image blocks: images/...
        sections.append({"id": ident, "heading": heading, "kind": kind, "block": block,
                         "events": events, "image": image})  # fmt: skip
    return {
        "site": site.context(root),
        "sender": config.sender,
        "issue": issue,
        "page": {
            "url": url,
            "author": issue.author or config.sender.organisation,
            "date_iso": issue.issue_date.isoformat(),
            "date": datefmt.format_date(issue.issue_date),
            "minutes": reading_minutes(issue),
        },
        "sections": sections,
    }


def render_page(issue: Issue, project: Project, config: Config, site: SiteInfo) -> str:
    """The issue's web page (``<name>/index.html``)."""
    return _render(project, issue.template, PAGE, page_context(issue, project, config, site))


@dataclass(frozen=True)
class IndexEntry:
    """One issue on the index page and in the feed."""

    name: str
    title: str
    day: date
    summary: str
    author: str
    minutes: int


def render_index(
    entries: list[IndexEntry], project: Project, config: Config, site: SiteInfo, template: str
) -> str:
    """The front page: every issue, newest first."""
    context = {
        "site": site.context(""),
        "sender": config.sender,
        "entries": [
            {"href": f"{e.name}/", "title": e.title, "date_iso": e.day.isoformat(),
             "date": datefmt.format_date(e.day), "summary": e.summary, "minutes": e.minutes}
            for e in entries
        ],  # fmt: skip
    }
    return _render(project, template, INDEX, context)


def require_template(issue: Issue, project: Project) -> Path:
    """The issue's template folder; an error naming the known ones if there is none."""
    from newsletter_cli.render.pipeline import template_dir

    return template_dir(issue, project)


def require_base(site_base: str | None, project: Project) -> str:
    """The base address, or the error that says how to set it."""
    if site_base is None:
        raise InputError(
            "publishing needs the web edition's address: set base_url in [site], e.g. "
            'base_url = "https://updates.example.org/regional-update/"',
            path=project.config_path,
        )
    return site_base

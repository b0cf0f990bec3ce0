"""Jinja2 -> MJML -> HTML -> premailer, and the plain-text part from the same content."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from mjml import mjml2html

from newsletter_cli import calendar, markdown
from newsletter_cli.config import Config, load_config
from newsletter_cli.errors import InputError, UnknownNameError
from newsletter_cli.model.issue import Issue
from newsletter_cli.project import TEMPLATE_MAIN, Project
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.recipients.tags import visible
from newsletter_cli.render import images, outline
from newsletter_cli.render.email import UNSUBSCRIBE_SLOT, RenderedEmail
from newsletter_cli.render.filters import shared_filters
from newsletter_cli.render.inliner import cache_folder, inline_css, premailer_and_cssutils
from newsletter_cli.render.textpart import wrap_text
from newsletter_cli.render.urls import site_base
from newsletter_cli.render.urls import view_online_url as derived

HTML_TEMPLATE = TEMPLATE_MAIN
TEXT_TEMPLATE = "email.txt.j2"
TEST_PREFIX = "[TEST] "
#: The CSS to inline: the template's <mj-style inline="inline"> blocks, and nothing else.
_INLINE_STYLE = re.compile(r"<mj-style\s+inline=\"inline\"\s*>(.*?)</mj-style>", re.DOTALL)
#: MJML writes vertical-align="middle" on a button's cell: not an HTML attribute (and the
#: cell's default anyway), so it goes.
_CELL_VALIGN = re.compile(r'(<td\b[^>]*?)\s+vertical-align="[^"]*"')
_BODY_OPEN = re.compile(r"<body\b[^>]*>")


def available_templates(project: Project) -> list[str]:
    """Names of the templates the project can use: its templates/ and the built-in ones."""
    return project.template_names()


def template_dir(issue: Issue, project: Project) -> Path:
    """The folder of the issue's template, or an error naming the known ones.

    The project's ``templates/<name>/`` comes first, then the template of that name that
    comes with the tool (see :meth:`Project.template_folder`).
    """
    folder = project.template_folder(issue.template)
    if not (folder / HTML_TEMPLATE).is_file():
        known = ", ".join(available_templates(project)) or "none"
        raise UnknownNameError(
            f"template: no template called {issue.template!r} in {project.templates_dir} "
            f"or among the built-in ones (known: {known})",
            path=issue.path,
            line=issue.field_line("template"),
        )
    return folder


def _bytecode_cache() -> str | None:
    """Where compiled templates are kept between runs, if it can be written.

    The user's cache folder as the system names it (platformdirs: $XDG_CACHE_HOME or
    ~/.cache on Linux, %LOCALAPPDATA% on Windows, ~/Library/Caches on macOS) plus
    newsletter/jinja; never the project: a dry run writes nothing there. Entries are
    checked against each template's source, so an edited template is compiled afresh.
    """
    return cache_folder("jinja")


@lru_cache(maxsize=8)
def _environment(folder: str, bytecode_cache: str | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=jinja2.FileSystemBytecodeCache(bytecode_cache) if bytecode_cache else None,
        autoescape=lambda name: bool(name) and not name.endswith(".txt.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(shared_filters())
    env.filters.update(
        markdown_text=markdown.to_text,
        wrap=markdown.wrap,
        action_label=outline.action_label,
    )
    env.globals.update(
        calendar_links=calendar.calendar_links,
        main_link=outline.main_link,
        split_actions=outline.split_actions,
    )
    return env


def visible_blocks(issue: Issue, audience: frozenset[str] | None) -> list[Any]:
    """The blocks a reader with these list names and tags sees (all when ``None``)."""
    return [b for b in issue.blocks if visible(b.only_for, audience)]


def view_online_url(issue: Issue, config: Config) -> str | None:
    """Where the web copy of this issue lives, if anywhere (see newsletter_cli.render.urls)."""
    return derived(issue, config)


def _template_error(exc: Exception, folder: Path) -> InputError:
    """Turn a Jinja error into 'template-file:line: message'."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or folder
        return InputError(f"template syntax: {exc.message}", path=path, line=exc.lineno)
    path, line = folder, None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            path, line = Path(name), tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        return InputError(f"template not found: {exc.name}", path=path, line=line)
    if isinstance(exc, jinja2.TemplateError):
        return InputError(f"template: {exc}", path=path, line=line)
    return InputError(f"template: {type(exc).__name__}: {exc}", path=path, line=line)


def _context(
    issue: Issue,
    project: Project,
    audience: frozenset[str] | None,
    recipient: Mapping[str, str] | None,
    subject: str,
    lists: Sequence[str] | None = None,
    config: Config | None = None,
) -> dict[str, Any]:
    config = config or load_config(project)
    fields = dict(recipient) if recipient is not None else Contact(email="").fields()
    base = site_base(config)  # local images are shown from the published web edition
    blocks = [images.resolve_block(b, project, base) for b in visible_blocks(issue, audience)]
    ids = outline.anchors(blocks)
    return {
        "issue": issue,
        "subject": subject,
        "preheader": issue.preheader,
        "blocks": blocks,
        "anchor": lambda item: ids.get(id(item), ""),
        "diary": outline.diary(blocks, ids, issue.issue_date),
        "sender": config.sender,
        "recipient": fields,
        "view_online_url": view_online_url(issue, config),
        "unsubscribe_url": UNSUBSCRIBE_SLOT,
        "logo": images.logo(project, config, base),
        "reader_lists": list(lists or ()),
        "privacy_url": config.sender.privacy_url,
    }


def _mjml_to_html(source: str, template: Path) -> str:
    try:
        return mjml2html(source, fonts={}, disable_comments=True)
    except Exception as exc:  # mjml-python raises plain exceptions from Rust
        raise InputError(f"MJML: {exc}", path=template / HTML_TEMPLATE) from None


def landmarks_and_valid_cells(html: str) -> str:
    """The email inside one main landmark (MJML's ``role="article"`` email sits in it, so a
    screen reader's landmark list finds it), and MJML's invalid cell attribute dropped."""
    html = _CELL_VALIGN.sub(r"\1", html)
    opening = _BODY_OPEN.search(html)
    closing = html.rfind("</body>")
    if opening is None or closing < opening.end():
        return html
    return (
        html[: opening.end()] + '<div role="main">' + html[opening.end() : closing]
        + "</div>" + html[closing:]
    )  # fmt: skip


def split_inline_css(mjml_source: str) -> tuple[str, str]:
    """(MJML without its inline <mj-style> blocks, the CSS those blocks held)."""
    css = "\n".join(match[1] for match in _INLINE_STYLE.finditer(mjml_source))
    return _INLINE_STYLE.sub("", mjml_source), css


#: Kept for callers that want premailer with cssutils loaded (see render.inliner).
_premailer = premailer_and_cssutils


def render(
    issue: Issue,
    project: Project,
    *,
    audience: frozenset[str] | None = None,
    recipient: Mapping[str, str] | None = None,
    test: bool = False,
    lists: Sequence[str] | None = None,
    config: Config | None = None,
) -> RenderedEmail:
    """Render one version of ``issue`` (see :func:`newsletter_cli.render.render_email`)."""
    folder = template_dir(issue, project)
    subject = (TEST_PREFIX if test else "") + (issue.subject or issue.title)
    context = _context(issue, project, audience, recipient, subject, lists, config)
    env = _environment(str(folder), _bytecode_cache())
    try:
        mjml_source = env.get_template(HTML_TEMPLATE).render(context)
        text = env.get_template(TEXT_TEMPLATE).render(context)
    except Exception as exc:  # a mistake in a template, reported at its file and line
        raise _template_error(exc, folder) from None
    mjml_source, css = split_inline_css(mjml_source)
    html = inline_css(landmarks_and_valid_cells(_mjml_to_html(mjml_source, folder)), css)
    text = wrap_text(re.sub(r"\n{3,}", "\n\n", text).strip()) + "\n"
    return RenderedEmail(
        subject=subject,
        preheader=issue.preheader,
        html=html,
        text=text,
        issue_name=issue.name,
    )

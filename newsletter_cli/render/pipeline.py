"""Jinja2 -> MJML -> HTML -> premailer, and the plain-text part from the same content."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mjml import mjml2html

from newsletter_cli import datefmt, markdown
from newsletter_cli.config import Config, load_config
from newsletter_cli.errors import InputError, UnknownNameError
from newsletter_cli.issue import Block, Issue
from newsletter_cli.project import Project
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import UNSUBSCRIBE_SLOT, RenderedEmail

HTML_TEMPLATE = "email.mjml.j2"
TEXT_TEMPLATE = "email.txt.j2"
TEST_PREFIX = "[TEST] "


def available_templates(project: Project) -> list[str]:
    """Names of the template folders under templates/."""
    folder = project.templates_dir
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / HTML_TEMPLATE).is_file())


def template_dir(issue: Issue, project: Project) -> Path:
    """The folder of the issue's template, or an error naming the known ones."""
    folder = project.templates_dir / issue.template
    if not (folder / HTML_TEMPLATE).is_file():
        known = ", ".join(available_templates(project)) or "none"
        raise UnknownNameError(
            f"template: no template called {issue.template!r} in {project.templates_dir} "
            f"(known: {known})",
            path=issue.path,
            line=issue.field_line("template"),
        )
    return folder


@lru_cache(maxsize=8)
def _environment(folder: str) -> jinja2.Environment:
    from newsletter_cli import calendar

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=lambda name: bool(name) and not name.endswith(".txt.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        markdown=lambda text: Markup(markdown.to_html(text)),
        markdown_text=markdown.to_text,
        wrap=markdown.wrap,
        day=datefmt.format_day,
        event_when=datefmt.format_event_when,
        session_when=datefmt.format_session,
    )
    env.globals.update(calendar_links=calendar.calendar_links)
    return env


def visible_blocks(issue: Issue, audience: frozenset[str] | None) -> list[Block]:
    """The blocks a reader with these list names and tags sees (all when ``None``)."""
    from newsletter_cli.recipients.tags import visible

    return [b for b in issue.blocks if visible(b.only_for, audience)]


def view_online_url(issue: Issue, config: Config) -> str | None:
    """Where the web copy of this issue lives, if anywhere (see newsletter_cli.site.urls)."""
    from newsletter_cli.site.urls import view_online_url as derived

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
) -> dict[str, Any]:
    from newsletter_cli.site import images
    from newsletter_cli.site.urls import site_base

    config = load_config(project)
    fields = dict(recipient) if recipient is not None else Contact(email="").fields()
    base = site_base(config)  # local images are shown from the published web edition
    return {
        "issue": issue,
        "subject": subject,
        "preheader": issue.preheader,
        "blocks": [images.resolve_block(b, project, base) for b in visible_blocks(issue, audience)],
        "sender": config.sender,
        "recipient": fields,
        "view_online_url": view_online_url(issue, config),
        "unsubscribe_url": UNSUBSCRIBE_SLOT,
        "logo": images.logo(project, config, base),
    }


def _mjml_to_html(source: str, template: Path) -> str:
    try:
        return mjml2html(source, fonts={}, disable_comments=True)
    except Exception as exc:  # mjml-python raises plain exceptions from Rust
        raise InputError(f"MJML: {exc}", path=template / HTML_TEMPLATE) from None


def inline_css(html: str) -> str:
    """Inline the CSS into style attributes; keep @media rules in a <style> block."""
    import premailer

    inlined = premailer.transform(
        html,
        keep_style_tags=True,
        strip_important=False,
        remove_classes=False,
        disable_validation=True,
        allow_network=False,
        cssutils_logging_level=logging.CRITICAL,
        cssutils_logging_handler=logging.NullHandler(),
    )
    if not inlined.lstrip().lower().startswith("<!doctype"):
        inlined = "<!doctype html>\n" + inlined
    return inlined


def render(
    issue: Issue,
    project: Project,
    *,
    audience: frozenset[str] | None = None,
    recipient: Mapping[str, str] | None = None,
    test: bool = False,
) -> RenderedEmail:
    """Render one version of ``issue`` (see :func:`newsletter_cli.render.render_email`)."""
    folder = template_dir(issue, project)
    subject = (TEST_PREFIX if test else "") + (issue.subject or issue.title)
    context = _context(issue, project, audience, recipient, subject)
    env = _environment(str(folder))
    try:
        mjml_source = env.get_template(HTML_TEMPLATE).render(context)
        text = env.get_template(TEXT_TEMPLATE).render(context)
    except Exception as exc:  # a mistake in a template, reported at its file and line
        raise _template_error(exc, folder) from None
    html = inline_css(_mjml_to_html(mjml_source, folder))
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return RenderedEmail(
        subject=subject,
        preheader=issue.preheader,
        html=html,
        text=text,
        issue_name=issue.name,
    )

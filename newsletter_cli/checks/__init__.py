"""`newsletter check`: what a sender would want to know before sending.

Errors stop a send; warnings are for a person to judge. Each finding names the
block it concerns and its line in the issue file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from newsletter_cli import markdown
from newsletter_cli.checks.dates import _first_day, _heading, _last_day, date_findings, london_today
from newsletter_cli.config import Config, _key_line, load_config
from newsletter_cli.findings import Finding, Findings, file_order
from newsletter_cli.model.blocks import Block, EventBlock, Events
from newsletter_cli.model.issue import Issue
from newsletter_cli.model.parts import EventDetails, Link, Model, is_placeholder
from newsletter_cli.project import Project
from newsletter_cli.recipients import load_roster, tag_key
from newsletter_cli.render import render_email
from newsletter_cli.render.email import GMAIL_CLIP_BYTES
from newsletter_cli.site.checks import site_findings
from newsletter_cli.sourcefile import read_text

SUBJECT_MAX = 60
PREHEADER_MAX = 110
VAGUE_LINK_TEXT = re.compile(
    r"^(.*\b)?(click here|here|this link|link|click|this|read more|more|this page|details)$"
)

@dataclass
class CheckReport(Findings):
    """All findings for one issue file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    html_bytes: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing stops a send."""
        return not self.errors


def _check_link(text: str, url: str, block: str, line: int | None) -> Iterator[Finding]:
    shown = text.strip().strip(".:!").lower()
    if is_placeholder(url):
        where = f"'{url}'" if url.strip() else "empty"
        yield Finding("error", f'link "{text}" has a placeholder URL ({where})', block, line,
                      kind="placeholder")  # fmt: skip
    if VAGUE_LINK_TEXT.match(shown):
        yield Finding(
            "warning",
            f'link text "{text}" says nothing out of context; '
            'name where it goes (e.g. "Book a place")',
            block,
            line,
        )


def _links(model: Model, links: list[Link], block: str) -> Iterator[Finding]:
    for link in links:
        yield from _check_link(link.text, link.url, block, link.line or model.line)


def _markdown(model: Model, field_name: str, block: str) -> Iterator[Finding]:
    source = getattr(model, field_name) or ""
    line = model.field_line(field_name)
    for link in markdown.links(source):
        yield from _check_link(link.text or link.url, link.url, block, line)
    for src, alt in markdown.images(source):
        if not alt.strip():
            yield Finding("error", f"image {src} has no alt text", block, line)


def _event(issue: Issue, event: EventDetails, block: str) -> Iterator[Finding]:
    yield from _links(event, event.links, block)
    yield from _markdown(event, "description", block)
    for session in event.sessions:
        yield from _links(session, session.links, block)
    name = f'event "{event.title}"'
    last = _last_day(event)
    if last is None and not event.when:
        yield Finding("warning", f"{name} has no date yet", block, event.line)
    if last is not None and last < issue.issue_date:
        yield Finding(
            "error",
            f"{name} is on {last.isoformat()}, before the issue date "
            f"{issue.issue_date.isoformat()}",
            block,
            event.field_line("start") if event.start else event.line,
        )
    if event.deadline is not None:
        deadline = _first_day(event.deadline)
        if deadline < issue.issue_date:
            yield Finding(
                "error",
                f"{name}: booking deadline {deadline.isoformat()} is before the issue date "
                f"{issue.issue_date.isoformat()}",
                block,
                event.field_line("deadline"),
            )
        first = min((_first_day(s.start) for s in event.all_sessions()), default=None)
        if first is not None and deadline > first:
            yield Finding(
                "warning",
                f"{name}: booking deadline {deadline.isoformat()} is after the event starts",
                block,
                event.field_line("deadline"),
            )


def _block(issue: Issue, block: Block) -> Iterator[Finding]:
    """The same rules for every kind, built-in or declared: images, Markdown, links."""
    name = _heading(block)
    for image in block.pictures():
        if image.alt is None:
            yield Finding("error", f"image {image.src} has no alt text", name, image.line)
    for model, field_name in block.markdown_sources():
        yield from _markdown(model, field_name, name)
    for model, links in block.link_lists():
        yield from _links(model, links, name)
    for field_name in block.url_fields:
        url = getattr(block, field_name)
        if url is not None:
            text = getattr(block, "text", "") if field_name == "url" else field_name
            yield from _check_link(text or field_name, url, name, block.field_line(field_name))
    if isinstance(block, EventBlock):
        yield from _event(issue, block, name)
    if isinstance(block, Events):
        for event in block.events:
            yield from _event(issue, event, f"{name}: {event.title}")


def _envelope(issue: Issue) -> Iterator[Finding]:
    subject = issue.subject.strip()
    if not subject:
        yield Finding("error", "subject is missing", None, issue.line)
    elif len(subject) > SUBJECT_MAX:
        yield Finding(
            "warning",
            f"subject is {len(subject)} characters; inboxes cut it after about {SUBJECT_MAX}",
            None,
            issue.field_line("subject"),
        )
    preheader = issue.preheader.strip()
    if not preheader:
        yield Finding(
            "warning",
            "preheader is missing: inboxes will show the first words of the email instead",
            None,
            issue.line,
        )
    elif len(preheader) > PREHEADER_MAX:
        yield Finding(
            "warning",
            f"preheader is {len(preheader)} characters; keep it under {PREHEADER_MAX}",
            None,
            issue.field_line("preheader"),
        )


def _todos(model: Model, block: str | None) -> Iterator[Finding]:
    """Text still saying TODO (as `newsletter new` leaves it), anywhere in the issue."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str) and name != "url" and re.search(r"\bTODO\b", value):
            yield Finding("error", f"{name} still says TODO", block, model.field_line(name))
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Model):
                yield from _todos(
                    item, _heading(item) or block if isinstance(item, Block) else block
                )


def _audiences(issue: Issue, project: Project) -> Iterator[Finding]:
    """Blocks limited to a list or tag that no contact or list has would reach nobody."""
    limited = [block for block in issue.blocks if block.only_for]
    if not limited:
        return
    known = load_roster(project).known_keys()
    for block in limited:
        for name in block.only_for:
            if tag_key(name) not in known:
                yield Finding(
                    "error",
                    f"only_for names {name!r}, which is neither a list nor a tag: "
                    "nobody would see this block",
                    _heading(block),
                    block.field_line("only_for"),
                )


def privacy_findings(
    project: Project, *, test_send: bool = False, config: Config | None = None
) -> Iterator[Finding]:
    """No privacy notice to link from the footer: an error for a send to lists (UK GDPR:
    readers are told how their details are used), a warning for a test send."""
    if (config or load_config(project)).sender.privacy_url:
        return
    path = project.config_path
    text = read_text(path) if path.is_file() else ""
    yield Finding(
        "warning" if test_send else "error",
        "no privacy notice: set privacy_url in [sender] to the web page that says how your "
        "organisation uses readers' details (every email's footer links to it)",
        None,
        _key_line(text, ("sender", None)),
        str(path),
    )


def run_checks(
    issue: Issue,
    project: Project,
    *,
    today: date | None = None,
    test_send: bool = False,
    config: Config | None = None,
) -> CheckReport:
    """Every check on ``issue``, including the size of its full rendered HTML.

    Dates are compared with ``today`` (default: today in Europe/London; a scheduled
    send passes the day it goes). With ``test_send`` an event already over is a warning.
    ``config``: newsletter.toml when the caller has read it already.
    """
    report = CheckReport(path=str(issue.path or issue.name))
    report.findings.extend(_envelope(issue))
    report.findings.extend(_todos(issue, None))
    report.findings.extend(_audiences(issue, project))
    report.findings.extend(privacy_findings(project, test_send=test_send, config=config))
    for block in issue.blocks:
        report.findings.extend(_block(issue, block))
    report.findings.extend(date_findings(issue, today or london_today(), test_send=test_send))
    report.findings.extend(site_findings(issue, project, config))
    html = render_email(issue, project, config=config).html
    report.html_bytes = len(html.encode("utf-8"))
    if report.html_bytes > GMAIL_CLIP_BYTES:
        report.findings.append(
            Finding(
                "error",
                f"the HTML is {report.html_bytes / 1024:.0f} KB; Gmail clips messages over "
                f"{GMAIL_CLIP_BYTES // 1024} KB and hides the rest, unsubscribe link included",
            )
        )
    report.findings.sort(key=file_order)  # in the order of the file, as a person reads it
    return report

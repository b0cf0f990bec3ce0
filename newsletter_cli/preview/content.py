"""Everything the preview shows, gathered from the project's files in one go.

:func:`gather` never raises for a mistake in the user's files: each failure is
kept as a :class:`Problem` (the one-line ``path:line: message`` text) and the
rest is gathered as far as it can be, so the page can say what is wrong and the
server keeps running.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsletter_cli.checks import run_checks
from newsletter_cli.config import load_config
from newsletter_cli.errors import NewsletterError, UnknownNameError
from newsletter_cli.model.issue import load_issue
from newsletter_cli.recipients import load_roster
from newsletter_cli.render import render_email
from newsletter_cli.render.images import issue_images
from newsletter_cli.render.urls import image_url, site_base

if TYPE_CHECKING:
    from newsletter_cli.findings import Finding
    from newsletter_cli.project import Project
    from newsletter_cli.render import RenderedEmail

T = TypeVar("T")

#: Where the preview serves local images (the email shows them from the published site).
IMAGES_ROUTE = "/images/"
#: What the unsubscribe link points at in a preview (each recipient gets their own when sent).
PREVIEW_UNSUBSCRIBE_URL = "#unsubscribe"  # a link that goes nowhere while previewing


@dataclass(frozen=True)
class Problem:
    """Why part of the preview could not be made: one line, maybe a hint."""

    text: str
    hint: str | None = None
    #: Which step failed: issue, config, recipients, render, checks.
    part: str = "issue"
    error: BaseException | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, exc: BaseException, part: str = "issue") -> Problem:
        if isinstance(exc, NewsletterError):
            return cls(str(exc), exc.hint, part, exc)
        text = f"internal error: {type(exc).__name__}: {exc} (please report it)"
        return cls(text, None, part, exc)


@dataclass
class PreviewContent:
    """The issue as one audience (or everyone) will see it, or what stops it showing."""

    issue_path: Path
    title: str
    list_name: str | None = None
    list_names: tuple[str, ...] = ()
    reader: str | None = None
    sender: str = ""
    email: RenderedEmail | None = None
    findings: list[Finding] | None = None  # from newsletter check
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Local images as publish writes them, by file name: served at /images/<name>.
    images: dict[str, Any] = field(default_factory=dict)

    def inline_images(self, html: str) -> str:
        """``html`` with the preview's /images/ addresses as data: URLs (for screenshots)."""
        for name, image in self.images.items():
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            data = base64.b64encode(image.data).decode("ascii")
            html = html.replace(f"{IMAGES_ROUTE}{name}", f"data:{kind};base64,{data}")
        return html

    @property
    def ok(self) -> bool:
        """True when the email rendered and nothing went wrong on the way."""
        return self.email is not None and not self.problems

    def first_error(self, *, ignore: tuple[str, ...] = ()) -> BaseException | None:
        """The first thing that went wrong (in a part not ignored), to raise instead of show."""
        for problem in self.problems:
            if problem.part not in ignore:
                return problem.error
        return None

    def attempt(self, part: str, work: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one step; on failure record the problem (as ``part``) and return None."""
        try:
            return work(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - shown on the page, the server keeps going
            problem = Problem.of(exc, part)
            if problem not in self.problems:
                self.problems.append(problem)
            return None


def _describe(contact: Any) -> str:
    parts = [p for p in (contact.name, contact.organisation) if p]
    return ", ".join(parts) if parts else "a member with no name on file"


def _load_roster(project: Project) -> Any:
    return load_roster(project)


def _local_images(content: PreviewContent, issue: Any, project: Project, config: Any, email):
    """Point the email's published-image addresses at this server, which has the files now."""
    if config is None:
        return email
    base = site_base(config)
    html = email.html
    for image in issue_images(issue, project, config):
        content.images[image.filename] = image
        html = html.replace(image_url(base, image.filename), IMAGES_ROUTE + image.filename)
    return replace(email, html=html)


def gather(issue_path: Path, project: Project, list_name: str | None = None) -> PreviewContent:
    """Load, render (for ``list_name``'s sample member, if given) and check the issue."""
    content = PreviewContent(issue_path=issue_path, title=issue_path.name, list_name=list_name)
    issue = content.attempt("issue", load_issue, issue_path)
    if issue is None:
        return content
    content.title = issue.title
    config = content.attempt("config", load_config, project)
    if config is not None:
        content.sender = f"{config.sender.from_name} <{config.sender.from_email}>"
    roster = content.attempt("recipients", _load_roster, project)
    if roster is not None:
        content.list_names = tuple(roster.list_names())

    audience: frozenset[str] | None = None
    recipient: dict[str, str] | None = None
    if list_name:
        if roster is None:
            return content
        if list_name not in content.list_names:
            known = ", ".join(content.list_names) or "none yet"
            content.problems.append(
                Problem.of(
                    UnknownNameError(f"no list named {list_name!r} (lists: {known})"), "recipients"
                )
            )
            return content
        contact = roster.sample_member(list_name)
        if contact is None:
            audience = frozenset({list_name})
            content.notes.append(
                f"The list {list_name} has no members: showing the blocks it would get, "
                "with no personal details."
            )
        else:
            audience = roster.list_audience_keys(list_name)
            recipient = contact.fields()
            content.reader = _describe(contact)

    words = None
    if list_name and roster is not None:
        words = [roster.lists[list_name].description or list_name]
    email = content.attempt(
        "render", render_email, issue, project, audience=audience, recipient=recipient,
        lists=words,
    )  # fmt: skip
    if email is not None:
        email = email.personalise(recipient or {}, unsubscribe_url=PREVIEW_UNSUBSCRIBE_URL)
        content.email = _local_images(content, issue, project, config, email)
    report = content.attempt("checks", run_checks, issue, project)
    if report is not None:
        content.findings = report.findings
    return content

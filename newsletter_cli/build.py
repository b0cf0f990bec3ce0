"""`newsletter build`: write an issue's HTML, text, .eml preview and .ics files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsletter_cli import recipients  # its names load on first use: only --list reads them
from newsletter_cli.calendar import write_ics_files
from newsletter_cli.config import Sender, load_config
from newsletter_cli.mime import compose, wire_bytes
from newsletter_cli.model.issue import Issue, load_issue
from newsletter_cli.project import Project
from newsletter_cli.render import RenderedEmail, render_email
from newsletter_cli.render.email import GMAIL_CLIP_BYTES

PREVIEW_ADDRESS = "preview@example.invalid"


@dataclass
class BuildResult:
    """What `build` wrote, and the figures it reports."""

    issue: Issue
    folder: Path
    files: list[Path] = field(default_factory=list)
    html_bytes: int = 0
    links: int = 0
    images: int = 0
    list_name: str | None = None
    recipient: str | None = None

    @property
    def clipped(self) -> bool:
        """True when Gmail would clip the HTML (and hide the end of the email)."""
        return self.html_bytes > GMAIL_CLIP_BYTES


def mailto_unsubscribe(sender: Sender) -> str:
    """A working unsubscribe link for copies that SendGrid does not deliver."""
    return f"mailto:{sender.reply_to or sender.from_email}?subject=Unsubscribe"


def _audience(project: Project, list_name: str | None):
    """(audience keys, recipient fields, address, the list in words) for one list's version,
    or the full issue."""
    if list_name is None:
        return None, None, None, None

    roster = recipients.load_roster(project)
    roster.resolve([list_name])  # an unknown name fails here, naming the closest lists
    keys = roster.list_audience_keys(list_name)  # the blocks every member of the list gets
    words = [roster.lists[list_name].description or list_name]
    member = roster.sample_member(list_name)
    if member is None:
        return keys, None, None, words
    return keys, member.fields(), member.email, words


def output_folder(project: Project, issue: Issue, out: Path | None, list_name: str | None) -> Path:
    if out is not None:
        return out
    name = issue.name if list_name is None else f"{issue.name}--{list_name}"
    return project.build_dir / name


def _write(path: Path, data: str | bytes) -> Path:
    """Write via a temporary file so an interrupted build never leaves half a file."""
    temporary = path.with_name(path.name + ".tmp")
    if isinstance(data, str):
        temporary.write_text(data, encoding="utf-8")
    else:
        temporary.write_bytes(data)
    temporary.replace(path)
    return path


def write_email(folder: Path, email: RenderedEmail, sender: Sender, to: str) -> list[Path]:
    """index.html, email.txt and preview.eml in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    message = compose(email, sender, to)
    return [
        _write(folder / "index.html", email.html),
        _write(folder / "email.txt", email.text),
        _write(folder / "preview.eml", wire_bytes(message)),
    ]


def build_issue(
    issue_path: str | Path,
    project: Project,
    *,
    out: Path | None = None,
    list_name: str | None = None,
) -> BuildResult:
    """Render an issue (for one list's audience if given) and write its files."""
    issue = load_issue(issue_path)
    sender = load_config(project).sender
    audience, fields, address, words = _audience(project, list_name)
    email = render_email(issue, project, audience=audience, recipient=fields, lists=words)
    email = email.personalise(fields or {}, unsubscribe_url=mailto_unsubscribe(sender))
    folder = output_folder(project, issue, out, list_name)
    result = BuildResult(issue=issue, folder=folder, list_name=list_name, recipient=address)
    result.files = write_email(folder, email, sender, address or PREVIEW_ADDRESS)
    result.files += write_ics_files(issue, folder)
    result.html_bytes = len(email.html.encode("utf-8"))
    result.links = len(re.findall(r"<a\s[^>]*href=", email.html))
    result.images = len(re.findall(r"<img\s", email.html))
    return result

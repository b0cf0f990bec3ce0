"""PNG screenshots of the email at desktop and phone width, for sign-off away from the keyboard.

Uses the system's headless Chromium through Playwright (``executable_path``), never
a downloaded browser. Each image is exactly as wide as the screen it stands for and
as tall as the whole email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter_cli.errors import NewsletterError
from newsletter_cli.preview.chromium import launch, sync_playwright
from newsletter_cli.preview.content import PreviewContent, gather
from newsletter_cli.preview.page import FRAMES

if TYPE_CHECKING:
    from newsletter_cli.project import Project

#: How long to wait for the email's images before taking the picture anyway (ms).
LOAD_TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Screenshot:
    label: str
    width: int
    path: Path
    #: How wide the email really is at this screen width (more than ``width``: it overflows).
    content_width: int

    @property
    def overflows(self) -> bool:
        return self.content_width > self.width


@dataclass(frozen=True)
class Screenshots:
    """What ``--screenshot`` wrote, and what ``check`` said about the issue."""

    shots: tuple[Screenshot, ...]
    errors: int = 0
    warnings: int = 0
    notes: tuple[str, ...] = field(default=())


def _file_stem(content: PreviewContent) -> str:
    stem = content.issue_path.stem
    if content.list_name:
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in content.list_name)
        stem += f"-{safe}"
    return stem


def take_screenshots(
    issue_path: str | Path,
    project: Project,
    out_dir: str | Path,
    *,
    list_name: str | None = None,
) -> Screenshots:
    """Render the issue (for ``list_name``'s sample member, if given) and photograph it."""
    content = gather(Path(issue_path), project, list_name)
    # Without --list the recipients are not needed: a mistake there is for `lists` to report.
    first = content.first_error(ignore=() if list_name else ("recipients",))
    if first is not None:
        raise first
    if content.email is None:  # pragma: no cover - gather always records why
        raise NewsletterError("the email could not be rendered", path=issue_path)
    starting = sync_playwright()  # without the optional Playwright: the line to install it
    from playwright.sync_api import TimeoutError as LoadTimeout

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsletterError(f"cannot create the folder: {exc.strerror}", path=out) from None

    shots = []
    with starting as playwright:
        browser = launch(playwright)
        try:
            for ident, label, width in FRAMES:
                page = browser.new_page(viewport={"width": width, "height": 800})
                try:
                    page.set_content(content.inline_images(content.email.html), wait_until="load",
                                     timeout=LOAD_TIMEOUT_MS)
                except LoadTimeout:
                    pass  # a slow remote image: photograph what is there
                size = page.evaluate(
                    "() => { const r = document.scrollingElement || document.documentElement;"
                    " return [r.scrollWidth, r.scrollHeight]; }"
                )
                path = out / f"{_file_stem(content)}-{ident}-{width}.png"
                page.screenshot(
                    path=str(path),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": max(int(size[1]), 1)},
                )
                page.close()
                shots.append(Screenshot(label, width, path, int(size[0])))
        finally:
            browser.close()
    findings = content.findings or []
    errors = sum(f.severity == "error" for f in findings)
    return Screenshots(tuple(shots), errors, len(findings) - errors, tuple(content.notes))

"""What `newsletter check` says about the web edition: local images, the logo, its address."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from newsletter_cli import markdown
from newsletter_cli.config import _key_line, load_config
from newsletter_cli.errors import InputError
from newsletter_cli.findings import Finding
from newsletter_cli.render import images
from newsletter_cli.render.urls import site_base, url_findings
from newsletter_cli.sourcefile import read_text

if TYPE_CHECKING:
    from pathlib import Path

    from newsletter_cli.config import Config
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project


def _file_findings(
    project: Project, src: str, where: dict[str, object]
) -> Iterator[Finding]:
    """A local image: missing, outside images/, unreadable (errors); heavy or wide (warnings)."""
    try:
        path: Path = images.local_path(project, src)
    except InputError as exc:
        yield Finding("error", exc.message, **where)
        return
    try:
        width, _height = images.pixel_size(path, src)  # ImageTooLarge: an input error, exit 2
    except OSError:
        yield Finding("error", f"image {src}: not a readable picture", **where)
        return
    size = path.stat().st_size
    if size > images.WARN_BYTES:
        yield Finding(
            "warning",
            f"image {src} is {size / 1024:.0f} KB; keep it under {images.WARN_BYTES // 1024} KB "
            "(publish shrinks it, but save a smaller original)",
            **where,
        )
    if width > images.WARN_WIDTH:
        yield Finding(
            "warning",
            f"image {src} is {width} px wide; {images.WARN_WIDTH} px is enough "
            "(twice the email's 600 px column)",
            **where,
        )


def _logo(project: Project, config: Config) -> Iterator[Finding]:
    src = (config.sender.logo or "").strip()
    if not src:
        return
    text = read_text(project.config_path) if project.config_path.is_file() else ""
    where = {"block": "logo", "path": str(project.config_path),
             "line": _key_line(text, ("sender", "logo"))}  # fmt: skip
    if not (config.sender.logo_alt or "").strip():
        yield Finding(
            "error",
            "the logo has no alt text: set logo_alt in [sender] (e.g. the organisation's name)",
            **where,
        )
    if images.is_local(src):
        yield from _file_findings(project, src, where)


def image_findings(issue: Issue, project: Project, config: Config) -> Iterator[Finding]:
    """Every local image in the issue (and the logo) that would break or weigh down the email."""
    local = False
    for block, image in images.block_images(issue):
        if images.is_local(image.src):
            local = True
            name = getattr(block, "heading", None)
            yield from _file_findings(project, image.src, {"block": name, "line": image.line})
    for block in issue.blocks:
        for model, field in block.markdown_sources():
            for src, _alt in markdown.images(getattr(model, field, "") or ""):
                if images.is_local(src):
                    yield Finding(
                        "error",
                        f"image {src} inside the text cannot be shown in an email; "
                        "put it in the block's image: field instead",
                        getattr(block, "heading", None),
                        model.field_line(field),
                    )
    yield from _logo(project, config)
    local = local or images.is_local(config.sender.logo or "https://")
    if local and site_base(config) is None:
        yield Finding(
            "error",
            "local images need [site] base_url in newsletter.toml: the email shows them "
            "from the published web edition",
            None,
            issue.line,
        )


def site_findings(
    issue: Issue, project: Project, config: Config | None = None
) -> Iterator[Finding]:
    """Everything `check` says about images and the web edition's address."""
    config = config or load_config(project)
    yield from image_findings(issue, project, config)
    yield from url_findings(issue, project, config)

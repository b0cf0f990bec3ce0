"""Local images (a block's ``image:`` and the logo): checked, resized, stripped, hashed.

An issue may name a file under ``images/`` (``image: {src: images/team.jpg, alt: ...}``),
and ``[sender] logo`` may too. Publishing writes each one resized with Pillow to
twice the width it is shown at (so it is sharp on high-density screens), with
its EXIF (camera, GPS), XMP and comments removed, under a name made from its
content: ``images/team.3f9a1c2b7d4e.jpg``. A changed picture gets a new name, so
no reader's cache ever shows the old one. The email and the web page refer to
that file under the site's base address.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsletter_cli.calendar import slugify
from newsletter_cli.errors import InputError
from newsletter_cli.render.urls import image_url

if TYPE_CHECKING:
    from newsletter_cli.config import Config
    from newsletter_cli.model.blocks import Block
    from newsletter_cli.model.issue import Issue
    from newsletter_cli.project import Project

#: Display widths in CSS pixels: the email's 600 px column, and the logo in its header.
CONTENT_WIDTH = 600
LOGO_WIDTH = 200
#: A person's photo in a people block (templates/.../partials/people.mjml.j2).
PHOTO_WIDTH = 120
#: Files are written at twice their display width, for high-density screens.
DENSITY = 2
#: `check` warns above these (the file as it is in images/).
WARN_BYTES = 200 * 1024
WARN_WIDTH = 1200
#: A picture with more pixels is refused before it is decoded: 50 megapixels is a 8,660 px
#: square, far beyond any photo a newsletter needs, and decoding it takes hundreds of MB.
MAX_PIXELS = 50_000_000
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)


class ImageTooLarge(InputError):
    """A picture with more than :data:`MAX_PIXELS` pixels (found from its header alone)."""


@contextmanager
def _header_only() -> Iterator[None]:
    """Pillow opens a file here without its own decompression-bomb check or warning:
    :func:`pixel_size` applies a stricter limit before anything is decoded."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = limit


def pixel_size(source: Path | io.BytesIO, shown: str | Path) -> tuple[int, int]:
    """(width, height) read from the file's header, nothing decoded; ImageTooLarge above
    :data:`MAX_PIXELS`. OSError when it is not a picture Pillow reads."""
    from PIL import Image

    with _header_only(), Image.open(source) as opened:
        width, height = opened.size
    if width * height > MAX_PIXELS:
        raise ImageTooLarge(
            f"the picture is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} "
            f"megapixels); the limit is {MAX_PIXELS // 1_000_000} megapixels: save a smaller "
            f"copy (about {WARN_WIDTH} px wide is plenty)",
            path=shown,
        )
    return width, height


@dataclass(frozen=True)
class PreparedImage:
    """One image as publish writes it: ``images/<filename>``."""

    source: Path
    filename: str
    data: bytes
    width: int
    height: int
    #: The width it is shown at, in CSS pixels (half the file's width, at most the slot's).
    display_width: int

    @property
    def display_height(self) -> int:
        return round(self.height * self.display_width / self.width) if self.width else 0


def is_local(src: str) -> bool:
    """True for a path such as ``images/team.jpg``; False for https:, data:, //host..."""
    return bool(src.strip()) and not _SCHEME.match(src.strip())


def local_path(project: Project, src: str) -> Path:
    """The file a local ``src`` names; InputError unless it is a file inside images/."""
    folder = project.images_dir.resolve()
    path = (project.root / src.strip()).resolve()
    if folder not in path.parents:
        raise InputError(f"image {src}: keep images in the images/ folder")
    if path.suffix.lower() not in FORMATS:
        raise InputError(
            f"image {src}: use a PNG, JPEG or GIF file (what every mail client shows)"
        )
    if not path.is_file():
        raise InputError(f"image {src}: no such file")
    return path


def _strip_and_resize(
    raw: bytes, fmt: str, max_width: int, shown: str
) -> tuple[bytes, int, int]:
    from PIL import Image, ImageOps

    pixel_size(io.BytesIO(raw), shown)  # before anything is decoded
    with _header_only(), Image.open(io.BytesIO(raw)) as opened:
        if getattr(opened, "is_animated", False):
            # Resizing would drop the animation; a GIF carries no EXIF to strip.
            return raw, opened.width, opened.height
        image = ImageOps.exif_transpose(opened)  # turn it the right way up, then drop EXIF
        image.load()
    icc = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    image.info = {}  # EXIF, GPS, XMP, comments, text chunks: none of it is written
    if image.width > max_width:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if transparency is not None else "RGB")
            transparency = None
        height = max(1, round(image.height * max_width / image.width))
        image = image.resize((max_width, height), Image.Resampling.LANCZOS)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options: dict[str, Any] = {}
    if icc:
        options["icc_profile"] = icc  # colours, not personal data: kept
    if fmt == "JPEG":
        options.update(quality=85, optimize=True, progressive=False)
    elif fmt == "PNG":
        options["optimize"] = True
    if transparency is not None and fmt in ("PNG", "GIF"):
        options["transparency"] = transparency
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue(), image.width, image.height


@lru_cache(maxsize=64)
def _prepare(path: str, _mtime: int, _size: int, display: int, shown: str) -> PreparedImage:
    source = Path(path)
    fmt = FORMATS[source.suffix.lower()]
    try:
        data, width, height = _strip_and_resize(
            source.read_bytes(), fmt, display * DENSITY, shown
        )
    except OSError as exc:  # PIL.UnidentifiedImageError is an OSError too
        raise InputError(f"not a readable {fmt} image ({exc})", path=source) from None
    digest = hashlib.sha256(data).hexdigest()[:12]
    ext = ".jpg" if fmt == "JPEG" else source.suffix.lower()
    filename = f"{slugify(source.stem)}.{digest}{ext}"
    shown = min(display, width)
    return PreparedImage(source, filename, data, width, height, shown)


def prepare(project: Project, src: str, display: int = CONTENT_WIDTH) -> PreparedImage:
    """The image as published (cached while the file is unchanged); InputError if it cannot be."""
    path = local_path(project, src)
    stat = path.stat()
    return _prepare(str(path), stat.st_mtime_ns, stat.st_size, display, src.strip())


def try_prepare(project: Project, src: str, display: int = CONTENT_WIDTH) -> PreparedImage | None:
    """:func:`prepare`, or None when the file is missing or broken (`check` says why).

    A picture too large to open (:class:`ImageTooLarge`) stops the build instead.
    """
    try:
        return prepare(project, src, display)
    except ImageTooLarge:
        raise
    except InputError:
        return None


def block_images(issue: Issue) -> list[tuple[Block, Any]]:
    """(block, image) for every picture a block shows: an ``image:``, an image block, a photo."""
    return [(block, image) for block in issue.blocks for image in block.pictures()]


def display_width(block: Block, image: Any) -> int:
    """How wide the email shows a picture: a person's photo, an image block's own width, or
    the whole column."""
    if getattr(block, "kind", "") == "people":
        return PHOTO_WIDTH
    return getattr(image, "width", None) or CONTENT_WIDTH


def resolve_block(block: Block, project: Project, base: str | None) -> Block:
    """The block with each local picture's ``src`` replaced by its published address
    (``base`` + ``images/...``; a relative address when ``base`` is "../")."""
    if not any(is_local(image.src) for image in block.pictures()):
        return block
    resolved = block.model_copy(deep=True)
    for image in resolved.pictures():
        if not is_local(image.src):
            continue
        prepared = try_prepare(project, image.src, display_width(resolved, image))
        if prepared is not None:
            image.src = image_url(base, prepared.filename)
    return resolved


def logo(project: Project, config: Config, base: str | None) -> dict[str, Any] | None:
    """The header logo for templates: ``{src, alt, width, height}``, or None."""
    src = (config.sender.logo or "").strip()
    if not src:
        return None
    alt = config.sender.logo_alt or ""
    if not is_local(src):
        return {"src": src, "alt": alt, "width": LOGO_WIDTH, "height": None}
    prepared = try_prepare(project, src, LOGO_WIDTH)
    if prepared is None:
        return None
    return {
        "src": image_url(base, prepared.filename),
        "alt": alt,
        "width": prepared.display_width,
        "height": prepared.display_height,
    }


def issue_images(issue: Issue, project: Project, config: Config) -> list[PreparedImage]:
    """Every local image the issue's email and page show (the logo first), once each."""
    found: dict[str, PreparedImage] = {}
    wanted = []
    if config.sender.logo and is_local(config.sender.logo):
        wanted.append((config.sender.logo, LOGO_WIDTH))
    wanted += [(image.src, display_width(block, image)) for block, image in block_images(issue)
               if is_local(image.src)]  # fmt: skip
    for src, display in wanted:
        prepared = try_prepare(project, src, display)
        if prepared is not None:
            found.setdefault(prepared.filename, prepared)
    return list(found.values())

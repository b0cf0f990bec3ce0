"""A Word document -> HTML (with mammoth) -> paragraphs, through the web-page reader.

mammoth keeps what matters here: headings, bold, lists, tables and each hyperlink's real
address; it ignores page layout. Images are left out (they are not imported).
"""

from __future__ import annotations

from pathlib import Path

import mammoth

from newsletter_cli.authoring.importing.html import read_html
from newsletter_cli.authoring.importing.source import Source
from newsletter_cli.errors import InputError

STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
"""


def _no_images(image):
    return {"src": ""}


def read_docx(path: Path) -> Source:
    """The document's paragraphs, numbered as Word counts them (paragraph 1, 2, ...)."""
    try:
        with path.open("rb") as handle:
            result = mammoth.convert_to_html(
                handle, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(_no_images)
            )
    except Exception as exc:  # noqa: BLE001 - any failure inside the file is "damaged"
        raise InputError(f"is damaged and cannot be read ({type(exc).__name__})", path=path) from None
    return read_html(result.value, path.name, numbered=True)

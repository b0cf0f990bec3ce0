"""Markdown from issue files, rendered safely to HTML and readably to plain text.

Raw HTML in the source is escaped, never passed through, and markdown-it refuses
``javascript:``-style links, so nothing in an issue file can inject script or
event handlers into the email.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

TEXT_WIDTH = 72


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("strikethrough")


@dataclass(frozen=True)
class MarkdownLink:
    text: str
    url: str


def to_html(source: str) -> str:
    """Safe HTML for a Markdown body (raw HTML is shown as text)."""
    return _md().render(source or "").strip()


def nesting_depth(source: str) -> int:
    """How deeply the Markdown nests (lists, quotes, emphasis, links inside each other).

    ``***a _b_ c***`` is 4 deep (p > em > strong > em); the renderer's limit is checked
    against this before anything is rendered.
    """
    deepest = 0
    for token in _md().parse(source or ""):
        inner = max((child.level for child in token.children or []), default=0)
        deepest = max(deepest, token.level + inner)
    return deepest


def links(source: str) -> list[MarkdownLink]:
    """Every link in a Markdown body with its visible text."""
    found: list[MarkdownLink] = []
    for token in _md().parse(source or ""):
        href: str | None = None
        words: list[str] = []
        for child in token.children or []:
            if child.type == "link_open":
                href, words = str(child.attrs.get("href", "")), []
            elif child.type == "link_close" and href is not None:
                found.append(MarkdownLink("".join(words).strip(), href))
                href = None
            elif href is not None and child.type in {"text", "code_inline"}:
                words.append(child.content)
    return found


def images(source: str) -> list[tuple[str, str]]:
    """(src, alt) for every image in a Markdown body."""
    found = []
    for token in _md().parse(source or ""):
        for child in token.children or []:
            if child.type == "image":
                alt = "".join(c.content for c in child.children or [])
                found.append((str(child.attrs.get("src", "")), alt))
    return found


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    href: str | None = None
    start = 0
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "link_open":
            href, start = str(child.attrs.get("href", "")), len(parts)
        elif child.type == "link_close" and href is not None:
            label = "".join(parts[start:]).strip()
            shown = href.removeprefix("mailto:")
            if shown and shown != label:
                parts.append(f" ({shown})")
            href = None
        elif child.type == "image":
            alt = "".join(c.content for c in child.children or [])
            parts.append(f"[image: {alt}]" if alt else "[image]")
    return "".join(parts)


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap to TEXT_WIDTH without breaking URLs or hyphenated words."""
    lines = []
    for number, paragraph in enumerate(text.split("\n")):
        lines.append(
            textwrap.fill(
                paragraph,
                width=TEXT_WIDTH,
                initial_indent=first if (first is not None and number == 0) else indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


def to_text(source: str) -> str:
    """Plain text for a Markdown body: paragraphs wrapped, lists marked, URLs kept."""
    out: list[str] = []
    markers: list[str] = []  # one entry per open list: "-" or the next number
    item_start = False
    for token in _md().parse(source or ""):
        kind = token.type
        if kind == "bullet_list_open":
            markers.append("-")
        elif kind == "ordered_list_open":
            markers.append(str(token.attrs.get("start", 1) or 1))
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            markers.pop()
            if not markers:
                out.append("")
        elif kind == "list_item_open":
            item_start = True
        elif kind == "inline":
            text = _inline_text(token.children or [])
            depth = "  " * max(len(markers) - 1, 0)
            if markers and item_start:
                marker = markers[-1]
                bullet = "- " if marker == "-" else f"{marker}. "
                if marker != "-":
                    markers[-1] = str(int(marker) + 1)
                out.append(wrap(text, indent=depth + "  ", first=depth + bullet))
                item_start = False
            elif markers:
                out.append(wrap(text, indent=depth + "  "))
            else:
                out.append(wrap(text))
        elif kind == "paragraph_close" and not markers:
            out.append("")
        elif kind == "heading_close":
            out.append("")
        elif kind in {"fence", "code_block"}:
            out.append(token.content.rstrip("\n"))
            out.append("")
    return "\n".join(out).strip("\n")

"""A saved web page (or a Word document turned into HTML) -> paragraphs.

Only the article is read: <article>, else <main>, else the page without its navigation,
header, footer, sidebars and forms. Script, style and other active content are dropped
unread. Bold stays **bold**, links keep their real addresses.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from newsletter_cli.authoring.importing.source import Para, Source, escape_markdown
from newsletter_cli.authoring.importing.text import looks_like_heading

DROPPED = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "nav", "header", "footer", "aside", "form", "button", "select", "head",
)  # fmt: skip
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCKS = (*HEADINGS, "p", "li", "tr", "dt", "dd", "blockquote", "pre")
NAV_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}


def _clean(root: lxml.html.HtmlElement) -> None:
    """Remove everything that is not the article's words, without running any of it."""
    doomed = [el for el in root.iter() if isinstance(el.tag, str) and (
        el.tag in DROPPED or el.get("role") in NAV_ROLES or el.get("hidden") is not None
    )]  # fmt: skip
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _article(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for path in ("//article", "//main", "//*[@role='main']"):
        found = root.xpath(path)
        if found:
            return max(found, key=lambda el: len(el.text_content()))
    body = root.find(".//body")
    return body if body is not None else root


def _inline(
    element: lxml.html.HtmlElement, flatten: bool = False
) -> tuple[str, str, list[tuple[str, str]]]:
    """(plain text, Markdown, links) of one block's content (a table cell's: all of it)."""
    plain: list[str] = []
    marked: list[str] = []
    links: list[tuple[str, str]] = []

    def walk(el) -> None:
        if el.text:
            plain.append(el.text)
            marked.append(escape_markdown(el.text))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br":
                plain.append(" ")
                marked.append(" ")
            elif child.tag in BLOCKS or child.tag in ("ul", "ol", "table"):
                if flatten:
                    plain.append(" ")
                    marked.append(" ")
                    walk(child)
            else:
                _child(child)
            if child.tail:
                plain.append(child.tail)
                marked.append(escape_markdown(child.tail))

    def _child(child) -> None:
        words = " ".join(child.text_content().split())
        href = (child.get("href") or "").strip()
        if child.tag == "a" and words and re.match(r"^(https?://|mailto:)\S+$", href):
            links.append((words, href))
            plain.append(words)
            marked.append(f"[{escape_markdown(words)}]({href})")
        elif child.tag in ("strong", "b") and words:
            plain.append(words)
            marked.append(f"**{escape_markdown(words)}**")
        elif child.tag in ("em", "i") and words:
            plain.append(words)
            marked.append(f"*{escape_markdown(words)}*")
        else:
            walk(child)

    walk(element)
    text = " ".join("".join(plain).replace("\u00a0", " ").split())
    markdown = " ".join("".join(marked).replace("\u00a0", " ").split())
    markdown = markdown.replace("** **", " ").replace("****", "")
    return text, markdown, links


def _row(row: lxml.html.HtmlElement, number: int) -> Para | None:
    cells = [_inline(cell, flatten=True) for cell in row
             if isinstance(cell.tag, str) and cell.tag in ("td", "th")]  # fmt: skip
    cells = [cell for cell in cells if cell[0]]
    if not cells:
        return None
    joiner = ": " if len(cells) == 2 else " | "
    label = cells[0][0].rstrip(":")
    rest = cells[1:] if len(cells) == 2 else cells
    text = (label + joiner if len(cells) == 2 else "") + joiner.join(c[0] for c in rest)
    markdown = (escape_markdown(label) + joiner if len(cells) == 2 else "") + joiner.join(
        c[1] for c in rest
    )
    links = [link for cell in cells for link in cell[2]]
    return Para("para", text, number, markdown=markdown, links=links, row=True)


def _inside(element, tags: tuple[str, ...]) -> bool:
    return any(isinstance(a.tag, str) and a.tag in tags for a in element.iterancestors())


def _paras(article, numbered: bool) -> list[Para]:
    paras: list[Para] = []
    count = 0
    for element in article.iter(*BLOCKS):
        if element.tag != "tr" and _inside(element, ("tr", "p", *HEADINGS)):
            continue  # read with the table row or paragraph around it
        if element.tag == "li" and any(c.tag in ("p", *HEADINGS) for c in element.iter()
                                       if c is not element and isinstance(c.tag, str)):
            continue  # its paragraphs are read one by one
        count += 1
        number = count if numbered else (element.sourceline or 0)
        if element.tag == "tr":
            row = _row(element, number)
            paras.extend([row] if row else [])
            continue
        text, markdown, links = _inline(element)
        if not text:
            continue
        kind = "para"
        if element.tag in HEADINGS:
            kind = "heading"
        elif element.tag == "li" or _inside(element, ("li",)):
            kind = "item"
        elif markdown.startswith("**") and markdown.endswith("**") and looks_like_heading(text):
            kind = "heading"  # a bold line ending in a colon: a heading in all but name
        paras.append(Para(kind, text, number, markdown=markdown, links=links))
    return paras


def read_html(markup: str | bytes, name: str, *, numbered: bool = False) -> Source:
    """The article of a web page as paragraphs; ``numbered`` counts paragraphs, not lines."""
    if isinstance(markup, bytes) and not re.search(rb"<meta[^>]+charset", markup[:4096], re.I):
        try:
            markup = markup.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    if isinstance(markup, str):
        markup = markup.encode("utf-8")
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    else:
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return Source(name, [], "paragraph" if numbered else "line")
    _clean(root)
    return Source(name, _paras(_article(root), numbered), "paragraph" if numbered else "line")


def link_share(source: Source) -> float:
    """How much of the text is link words (a page of menus is nearly all links)."""
    total = sum(len(p.text) for p in source.paras) or 1
    return sum(len(words) for p in source.paras for words, _ in p.links) / total

"""Blog text or Markdown as copied from a page -> paragraphs, one per line.

Plain text has no headings, so a line is taken as one when it reads like one: short and
ending in a colon ("Regional SEND Co-ordinator:"), ending in a price ("... – FREE"), or a
known section name ("Upcoming Conferences and Events"). A Markdown source's ``#`` lines,
``- `` bullets and ``[words](https://...)`` links are read as such.
"""

from __future__ import annotations

import re

from newsletter_cli.authoring.importing.source import Para, Source, escape_markdown

BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+|mailto:[^)\s]+)\)")
#: A price at the end of a heading: "- FREE", "– £45 per delegate".
COST_END = re.compile(
    r"\s[-–—]\s*(FREE|£\s?\d[\d,.]*(?:\s+(?:per|a|an|each)\s+[\w ]+)?)\s*:?\s*$", re.IGNORECASE
)
SECTION = re.compile(
    r"^(upcoming )?(conferences?|events?)( (and|&) (conferences?|events?))?"
    r"|^dates for (your|the) diary|^what'?s on", re.IGNORECASE,
)
#: Two sentences stuck on one line by a page's layout: "Title:      Body text ..."
GAP = re.compile(r"(?<=:)\s{4,}|\t+")


def looks_like_heading(text: str) -> bool:
    """Short and ending in a colon, ending in a price, or a section's name."""
    words = len(text.split())
    if SECTION.match(text) and words <= 6:
        return True
    if words > 20 or text.endswith((".", "?", "!")) and not COST_END.search(text):
        return False
    return text.endswith(":") and len(text) <= 120 or bool(COST_END.search(text))


def _para(text: str, number: int, markdown: bool) -> Para:
    if markdown and (m := MD_HEADING.match(text)):
        return Para("heading", m[2], number)
    kind = "para"
    if BULLET.match(text):
        kind, text = "item", BULLET.sub("", text, count=1)
    elif looks_like_heading(text):
        kind = "heading"
    if markdown and MD_LINK.search(text):
        links = [(m[1], m[2]) for m in MD_LINK.finditer(text)]
        plain = MD_LINK.sub(lambda m: m[1], text)
        return Para(kind, plain, number, markdown=text, links=links)
    return Para(kind, text, number, markdown=escape_markdown(text))


def read_text(text: str, name: str, *, markdown: bool = False) -> Source:
    """One :class:`Para` per non-blank line (a line split where a layout joined two)."""
    paras: list[Para] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        for piece in GAP.split(raw.replace("\u00a0", " ")):
            piece = " ".join(piece.split())
            if piece:
                paras.append(_para(piece, number, markdown))
    return Source(name, paras, "line")

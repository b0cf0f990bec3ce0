"""The neutral form every reader turns a draft into: paragraphs, headings, list items.

A Word document, a web page and blog text all become a list of :class:`Para`, each with
the line (text, web page) or paragraph (Word) it came from, so the report can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    """One paragraph of the source: its kind, its text and where it came from."""

    kind: str  # "heading", "para" or "item" (a bullet)
    text: str  # plain text, as a reader sees it
    line: int  # the line (text, web page) or paragraph (Word) it starts on
    markdown: str = ""  # the same text as Markdown: **bold**, [link](https://...)
    links: list[tuple[str, str]] = field(default_factory=list)  # (words, real address)
    row: bool = False  # a row of a table, written "Label: value"

    def __post_init__(self) -> None:
        self.markdown = self.markdown or escape_markdown(self.text)


@dataclass
class Source:
    """A read draft: its paragraphs, and what a number in the report means."""

    name: str
    paras: list[Para]
    unit: str = "line"  # "line" or "paragraph"


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as it is (no accidental bold, links or headings)."""
    out = text.replace("\\", "\\\\")
    for char in "*_[]`<>":
        out = out.replace(char, "\\" + char)
    if out[:1] in "#+" or out[:2] in ("- ", "* "):
        out = "\\" + out
    return out

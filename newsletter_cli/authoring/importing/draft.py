"""What structure.py builds: the issue's data, and the notes the report shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsletter_cli.authoring.importing.source import Para

#: Words that make a link, when the source (plain text) has no address for it.
LINK_PHRASE = re.compile(
    r"click here|follow this link|use this link|this link|booking form|book your place|"
    r"book a place|sign up|register|find (?:it |them )?here|found here|\bhere\b",
    re.IGNORECASE,
)
SHORT_LINK_WORDS = 12


@dataclass
class Note:
    """One thing the report names: guessed, not read, or left where it was."""

    line: int
    message: str


@dataclass
class Draft:
    """The imported issue as data (as yamltext.dump writes it) and what to tell the user."""

    data: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
    unit: str = "line"
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def body(paras: list[Para]) -> str:
    """Paragraphs as Markdown: a blank line between paragraphs, bullets kept together."""
    out: list[str] = []
    for index, para in enumerate(paras):
        if para.kind == "item":
            joiner = "\n" if index and paras[index - 1].kind == "item" else "\n\n"
            out.append(("" if not out else joiner) + "- " + para.markdown)
        else:
            out.append(("" if not out else "\n\n") + para.markdown)
    return "".join(out) + "\n" if out else ""


def link_of(para: Para) -> dict[str, str] | None:
    """A paragraph that is only a link ("For more details, click here."): that link."""
    if para.links and len(para.links) == 1 and len(para.text.split()) <= SHORT_LINK_WORDS:
        words, url = para.links[0]
        return {"text": para.text.rstrip(". ") if LINK_PHRASE.search(words) else words, "url": url}
    if not para.links and len(para.text.split()) <= SHORT_LINK_WORDS and LINK_PHRASE.search(
        para.text
    ):
        return {"text": para.text.rstrip(". "), "url": "TODO"}
    return None


def links_in(para: Para) -> list[dict[str, str]]:
    """Links named by the words of a longer paragraph with no addresses (plain text)."""
    if para.links:
        return []
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", para.text):
        m = LINK_PHRASE.search(sentence)
        if not m:
            continue
        words = sentence.rstrip(". ")
        if len(words.split()) > SHORT_LINK_WORDS:
            words = m[0] if m[0].lower() != "here" else " ".join(
                sentence[:m.end()].split()[-3:]
            )
        found.append({"text": words[:1].upper() + words[1:], "url": "TODO"})
    return found

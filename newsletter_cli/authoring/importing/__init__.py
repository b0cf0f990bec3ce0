"""`newsletter import`: a Word draft, a saved web page or blog text -> a new issue file.

One module per step: :mod:`.sniff` (what the file really is), :mod:`.docx`, :mod:`.html`,
:mod:`.text` (each source -> neutral paragraphs), :mod:`.structure` and :mod:`.events`
(the Regional Update's parts), :mod:`.when` (dates and times), :mod:`.report`, :mod:`.write`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsletter_cli.authoring.importing.docx import read_docx
from newsletter_cli.authoring.importing.draft import Draft
from newsletter_cli.authoring.importing.html import link_share, read_html
from newsletter_cli.authoring.importing.report import report_lines
from newsletter_cli.authoring.importing.sniff import read_text_file, sniff
from newsletter_cli.authoring.importing.source import Source
from newsletter_cli.authoring.importing.structure import recognise
from newsletter_cli.authoring.importing.text import read_text
from newsletter_cli.authoring.importing.write import issue_text
from newsletter_cli.errors import InputError

MIN_ARTICLE_CHARS = 200


@dataclass
class Imported:
    """What an import made: the issue's text, its data, and the report."""

    draft: Draft
    text: str
    report: list[str]


def read_source(path: Path) -> Source:
    """The file's paragraphs, whichever kind it is; InputError if it is not readable."""
    kind = sniff(path)
    if kind == "docx":
        source = read_docx(path)
    elif kind == "html":
        source = read_html(path.read_bytes(), path.name)
        if source.paras and link_share(source) > 0.6:
            raise InputError("holds only navigation links, no article to import", path=path)
    else:
        source = read_text(read_text_file(path), path.name, markdown=path.suffix.lower() == ".md")
    if sum(len(p.text) for p in source.paras) < MIN_ARTICLE_CHARS:
        what = "only navigation or a few words" if kind == "html" else "almost no text"
        raise InputError(f"holds {what}: no article to import", path=path)
    return source


def import_draft(path: Path, when: date | None = None) -> Imported:
    """Read ``path`` and make the issue; nothing is written here."""
    source = read_source(path)
    draft = recognise(source, when)
    name = path.name
    return Imported(draft, issue_text(draft.data, name), report_lines(draft, name))

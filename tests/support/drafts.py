"""Drafts made from the seeds: a real .docx (python-docx) and a saved web page.

Both are built from the seed text's own paragraphs, with real hyperlinks on the "click
here" words, bullets as Word list items, and one extra event whose details are a table.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from newsletter_cli.authoring.importing.text import read_text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LINK_WORDS = re.compile(r"click here|this link|booking form|found here|follow this link")
TABLE_EVENT = {
    "title": "Leadership Masterclass – £45 per delegate",
    "rows": [
        ("When", "Tuesday 14th October 2025, 9:30am – 4pm"),
        ("Where", "Council House, Victoria Square, Birmingham"),
        ("Booking closes", "Friday 3rd October 2025"),
    ],
    "book": ("Book your place here", "https://example.org/masterclass"),
}


def seed_paras(month: str):
    text = (SEEDS / f"regional-update-2025-{month}.txt").read_text(encoding="utf-8")
    return read_text(text, "seed").paras


def link_url(number: int) -> str:
    return f"https://example.org/link-{number}"


def _add_hyperlink(paragraph, text: str, url: str) -> None:
    """python-docx has no hyperlink API: add w:hyperlink with an external relationship."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = text
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def _docx_text(paragraph, text: str, counter: list[int]) -> None:
    m = LINK_WORDS.search(text)
    if not m:
        paragraph.add_run(text)
        return
    counter[0] += 1
    paragraph.add_run(text[: m.start()])
    _add_hyperlink(paragraph, m[0], link_url(counter[0]))
    paragraph.add_run(text[m.end():])


def make_docx(month: str, path: Path, *, repeat: int = 1) -> Path:
    """The seed as a Word document: title, headings, bold name, bullets, links, a table."""
    from docx import Document

    document = Document()
    counter = [0]
    for copy in range(repeat):
        for index, para in enumerate(seed_paras(month)):
            if index == 0 and copy == 0:
                document.add_heading(para.text, level=1)
            elif para.kind == "heading" and "Events" in para.text and copy == 0:
                document.add_heading(para.text, level=2)
                _docx_table_event(document)
            elif para.kind == "heading":
                document.add_heading(para.text, level=3 if copy == 0 else 4)
            elif para.kind == "item":
                _docx_text(document.add_paragraph(style="List Bullet"), para.text, counter)
            else:
                _docx_text(document.add_paragraph(), para.text, counter)
    document.save(path)
    return path


def _docx_table_event(document) -> None:
    document.add_heading(TABLE_EVENT["title"], level=3)
    document.add_paragraph().add_run("A day for new and aspiring leaders.").bold = True
    table = document.add_table(rows=0, cols=2)
    for label, value in TABLE_EVENT["rows"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    paragraph = document.add_paragraph()
    _add_hyperlink(paragraph, *TABLE_EVENT["book"])


def make_html(month: str, path: Path) -> Path:
    """The seed as a saved blog page: navigation, script and footer around an <article>."""
    parts = ["<!doctype html><html><head><title>Blog</title>",
             "<script>document.title='x'; alert('run me')</script>",
             "<style>p { color: red }</style></head><body>",
             "<header><a href='/'>Home</a> <a href='/blog'>Blog</a></header>",
             "<nav><ul><li><a href='/a'>About us</a></li><li><a href='/c'>Contact</a></li></ul></nav>",
             "<article>"]  # fmt: skip
    counter = 0
    items: list[str] = []
    for index, para in enumerate(seed_paras(month)):
        text = html.escape(para.text, quote=False)
        m = LINK_WORDS.search(para.text)
        if m:
            counter += 1
            text = html.escape(para.text[: m.start()]) + f'<a href="{link_url(counter)}">' \
                f"{html.escape(m[0])}</a>" + html.escape(para.text[m.end():])
        if para.kind != "item" and items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if index == 0:
            parts.append(f"<h1>{text}</h1>")
        elif para.kind == "heading":
            parts.append(f"<h2>{text}</h2>")
            if "Events" in para.text:
                parts.append(_html_table_event())
        elif para.kind == "item":
            items.append(f"<li>{text}</li>")
        else:
            parts.append(f"<p>{text}</p>")
    parts.append("</article><footer><p>© The Regional Team. <a href='/privacy'>Privacy</a></p>"
                 "</footer><script>alert('again')</script></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _html_table_event() -> str:
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in TABLE_EVENT["rows"])
    words, url = TABLE_EVENT["book"]
    return (f"<h2>{TABLE_EVENT['title']}</h2><p><strong>A day for new and aspiring leaders."
            f"</strong></p><table>{rows}</table><p><a href=\"{url}\">{words}</a></p>")

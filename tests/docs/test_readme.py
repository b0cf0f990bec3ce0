"""README.md is the doorway: short, the two quick-start commands, and links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

from markdown.extensions.toc import slugify
from support.issues import REPO

README = REPO / "README.md"
#: [words](target) and ![alt](target); the target up to a space or the closing bracket.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def relative_links(text: str) -> list[str]:
    """Every link target that is not a web address, a mailto or a bare #anchor."""
    targets = LINK.findall(text)
    return [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


def anchors(page: Path) -> set[str]:
    """The ids MkDocs (and GitHub) give a Markdown page's headings, outside code blocks."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {slugify(h.replace("`", ""), "-") for h in HEADING.findall(text)}


def test_the_readme_is_under_250_lines():
    assert len(README.read_text(encoding="utf-8").splitlines()) < 250


def test_the_readme_keeps_the_quick_start_and_the_test_command():
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_relative_link_in_the_readme_leads_to_a_file():
    links = relative_links(README.read_text(encoding="utf-8"))
    assert len(links) >= 20  # the doorway links into the manual
    for link in links:
        path, _, anchor = link.partition("#")
        target = REPO / path
        assert target.is_file(), f"README.md links to {link}: no such file"
        if anchor:
            assert anchor in anchors(target), f"README.md links to {link}: no such heading"


def test_the_link_checker_sees_a_broken_link():
    """The checks above can fail: a made-up README line is caught."""
    links = relative_links("see [x](docs/nope.md) and [y](https://example.org/) and [z](#top)")
    assert links == ["docs/nope.md"] and not (REPO / links[0]).is_file()
    assert "trying-it-on-the-sample-in-this-repository" in anchors(REPO / "docs/getting-started.md")

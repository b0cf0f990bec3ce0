"""`newsletter import` on the command line: files written once, bad input refused in one line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

OUT = "issues/imported.yaml"


def _one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_import_writes_the_issue_and_check_sees_only_todo_links(invoke, drafts, project_dir):
    source = drafts("09", "txt")
    result = invoke("import", str(source), "--out", OUT)
    assert result.exit_code == 0, result.output
    text = (project_dir / OUT).read_text(encoding="utf-8")
    assert text.startswith("# Regional Update – September 2025\n#\n# How to edit this file")
    assert 'title: "Regional Update – September 2025"' in text
    assert "Blocks: 1 foreword" in result.output and f"Created {OUT}" in result.output
    checked = invoke("check", OUT, "--no-links")
    assert "placeholder URL ('TODO')" in checked.output


def test_the_same_source_gives_the_same_bytes(invoke, drafts, project_dir):
    source = drafts("04", "docx")
    for name in ("a.yaml", "b.yaml"):
        assert invoke("import", str(source), "--out", name, "--date", "2025-04-15").exit_code == 0
    assert (project_dir / "a.yaml").read_bytes() == (project_dir / "b.yaml").read_bytes()


def test_dry_run_writes_nothing(invoke, drafts, project_dir):
    before = sorted(p.name for p in project_dir.rglob("*"))
    result = invoke("import", str(drafts("09", "html")), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: " in result.output and "Events: 8" in result.output
    assert sorted(p.name for p in project_dir.rglob("*")) == before


def test_an_existing_file_is_never_overwritten(invoke, drafts, project_dir):
    target = project_dir / "issues" / "2025-09-regional-update.yaml"
    before = target.read_bytes()
    line = _one_error_line(invoke("import", str(drafts("09", "txt"))))  # the default name
    assert "2025-09-regional-update.yaml: already exists" in line
    assert target.read_bytes() == before


def _zip(path: Path, name: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, "hello")
    return path


BAD = {
    "renamed.docx": (lambda p: _zip(p, "notes.txt"), "is a zip file but not a Word document"),
    "text.docx": (lambda p: p.write_text("Regional Update – September 2025\n" * 20),
                  "is not a Word document (it holds text)"),
    "locked.docx": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
                    "is password-protected or an old-style .doc file"),
    "empty.txt": (lambda p: p.write_bytes(b""), "is empty"),
    "blank.html": (lambda p: p.write_text("  \n\n  "), "is empty"),
    "zip.txt": (lambda p: _zip(p, "word/document.xml"), "it holds binary data"),
    "menu.html": (lambda p: p.write_text(
        "<html><body><nav>" + "<a href='/x'>Home</a> " * 50 + "</nav><header>Blog</header>"
        "<footer>" + "<p>Copyright and a long footer line.</p>" * 20 + "</footer></body></html>"),
        "holds only navigation or a few words"),
    "links.html": (lambda p: p.write_text(
        "<html><body><div>" + "<p><a href='https://example.org/p'>Another page of the "
        "site</a></p>" * 30 + "</div></body></html>"), "holds only navigation links"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_is_one_line_exit_2_and_nothing_written(invoke, tmp_path, project_dir, name):
    make, message = BAD[name]
    source = tmp_path / name
    make(source)
    line = _one_error_line(invoke("import", str(source), "--out", OUT))
    assert str(source) in line and message in line
    assert not (project_dir / OUT).exists()


def test_a_damaged_word_document_is_refused(invoke, drafts, tmp_path, project_dir):
    whole = drafts("09", "docx").read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(whole[: len(whole) // 2])
    line = _one_error_line(invoke("import", str(broken), "--out", OUT))
    assert "broken.docx: is damaged" in line
    assert not (project_dir / OUT).exists()


def test_a_file_over_20_mb_is_refused(invoke, tmp_path, project_dir):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(b"Regional Update - September 2025\n")
        handle.truncate(21 * 1024 * 1024)
    line = _one_error_line(invoke("import", str(big), "--out", OUT))
    assert "big.txt: is 21 MB; the limit is 20 MB" in line


def test_a_bad_date_is_one_line(invoke, drafts):
    line = _one_error_line(invoke("import", str(drafts("09", "txt")), "--date", "19/09/2025"))
    assert "--date '19/09/2025' is not a date" in line

"""`publish` owns only what it wrote: a manifest in the folder, nothing else overwritten or removed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.issues import SEPTEMBER

from newsletter_cli.errors import InputError
from newsletter_cli.site.publish import publish

#: The list of files publish wrote, kept in the folder it writes (documented for users).
MANIFEST = ".newsletter-publish.json"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file (and link) under ``folder``: its bytes and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = (os.readlink(path).encode(), 0)
        elif path.is_file():
            found[str(path.relative_to(folder))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def test_out_dot_in_a_project_is_refused_and_nothing_is_touched(invoke, finished):
    before = snapshot(finished.root)
    result = invoke("publish", "--all", "--out", ".")
    assert result.exit_code == 2, result.output
    assert "holds files that publish did not write" in result.output
    assert "images/regional-update-logo.png" in result.output or "issues/" in result.output
    assert "Traceback" not in result.output
    assert snapshot(finished.root) == before


def test_an_existing_web_site_is_refused_and_left_as_it_was(invoke, finished, tmp_path):
    site = tmp_path / "www"
    (site / "images").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Our council</h1>\n", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset/>\n", encoding="utf-8")
    (site / "images" / "hero.0a1b2c3d4e5f.webp").write_bytes(b"RIFF....WEBP")
    before = snapshot(site)
    result = invoke("publish", "--all", "--out", str(site))
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    assert "images/hero.0a1b2c3d4e5f.webp" in message and "index.html" in message
    assert "sitemap.xml" in message and "empty folder" in message
    assert snapshot(site) == before


def test_an_empty_folder_is_used_and_gets_a_manifest(finished, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    result = publish(finished, out=out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    written = {str(p.relative_to(out)).replace(os.sep, "/") for p in result.written}
    assert set(manifest["files"]) == written
    assert "index.html" in written and all(len(h) == 64 for h in manifest["files"].values())


def test_republishing_removes_only_its_own_stale_files(finished):
    publish(finished)
    site = finished.site_dir
    mine = site / "images" / "kept-by-hand.png"
    mine.write_bytes(b"mine")
    lookalike = site / "images" / "old-photo.0123456789ab.png"
    lookalike.write_bytes(b"put here by hand")
    about = site / "about" / "index.html"
    about.parent.mkdir()
    about.write_text("<p>About us</p>", encoding="utf-8")
    # An event dropped from the issue leaves an .ics that publish wrote: it goes.
    issue = finished.root / SEPTEMBER
    ics = sorted((site / "2025-09-regional-update").glob("*.ics"))
    stamp = {p: p.read_bytes() for p in ics}
    text = issue.read_text(encoding="utf-8")
    issue.write_text(
        text[: text.index('      - title: "Regional Safeguarding Conference"')], encoding="utf-8"
    )
    result = publish(finished)
    gone = [p for p in stamp if not p.exists()]
    assert gone and set(result.removed) == set(gone)
    assert mine.read_bytes() == b"mine" and lookalike.read_bytes() == b"put here by hand"
    assert about.read_text(encoding="utf-8") == "<p>About us</p>"
    manifest = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    assert not any(name.endswith(p.name) for p in gone for name in manifest["files"])
    assert "images/kept-by-hand.png" not in manifest["files"]


def test_a_file_put_where_publish_writes_is_not_overwritten(finished):
    publish(finished, [finished.root / SEPTEMBER])
    april_page = finished.site_dir / "2025-04-regional-update" / "index.html"
    april_page.parent.mkdir()
    april_page.write_text("<p>written by hand</p>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        publish(finished)
    assert "2025-04-regional-update/index.html" in str(caught.value)
    assert "did not write" in str(caught.value)
    assert april_page.read_text(encoding="utf-8") == "<p>written by hand</p>"


def test_a_page_changed_by_hand_is_not_overwritten(finished):
    publish(finished)
    front = finished.site_dir / "index.html"
    front.write_text("<p>edited on the server</p>", encoding="utf-8")
    (finished.root / SEPTEMBER).write_text(
        (finished.root / SEPTEMBER).read_text(encoding="utf-8").replace(
            "Regional Update – September 2025", "Regional Update – Sept 2025"),
        encoding="utf-8",
    )  # fmt: skip
    with pytest.raises(InputError, match="changed since publish wrote it"):
        publish(finished)
    assert front.read_text(encoding="utf-8") == "<p>edited on the server</p>"


def test_a_link_at_the_temporary_name_is_not_written_through(finished, tmp_path):
    publish(finished)
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n", encoding="utf-8")
    link = finished.site_dir / "feed.xml.tmp"
    link.symlink_to(target)
    issue = finished.root / SEPTEMBER
    issue.write_text(
        issue.read_text(encoding="utf-8").replace(
            "Regional Update – September 2025", "Regional Update – Sept 2025"
        ),
        encoding="utf-8",
    )
    publish(finished)
    assert target.read_text(encoding="utf-8") == "precious\n"
    feed = finished.site_dir / "feed.xml"
    assert not feed.is_symlink() and "Sept 2025" in feed.read_text(encoding="utf-8")
    assert link.is_symlink(), "a link publish did not make is left alone"
    assert not [p for p in finished.site_dir.iterdir() if p.name.endswith(".tmp") and p != link]
    assert oct(feed.stat().st_mode & 0o777) == oct(0o644)

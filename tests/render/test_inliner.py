"""premailer's CSS work kept in the user's cache folder: same bytes, fresh when the CSS changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest
from support.issues import SEPTEMBER

from newsletter_cli.render.inliner import inline_css

HTML = ('<!doctype html><html><head><style>@media (max-width:480px){p{margin:0}}</style>'
        '</head><body><p class="note" style="font-size:13px">Hello</p><h2>Title</h2>'
        '<a href="#x" style="text-decoration : none">link</a></body></html>')  # fmt: skip
CSS = ".note { color: #0b4f8a; padding: 4px } h2 { font-size: 22px } a:hover { color: red }"


@pytest.fixture
def css_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder; the CSS cache files go in newsletter/css/ under it."""
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.unix.Unix)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "newsletter" / "css"


def test_the_second_run_reads_the_cache_and_writes_the_same_bytes(css_cache):
    first = inline_css(HTML, CSS)
    assert len(list(css_cache.glob("*.json"))) == 1
    assert 'style="color:#0b4f8a; padding:4px; font-size:13px"' in first
    assert "a:hover {color:red !important}" in first  # what cannot be inlined stays in <head>
    assert inline_css(HTML, CSS) == first


def test_changed_css_is_parsed_afresh_not_taken_from_the_cache(css_cache):
    before = inline_css(HTML, CSS)
    after = inline_css(HTML, CSS.replace("#0b4f8a", "#123456"))
    assert "#0b4f8a" in before and "#0b4f8a" not in after and "color:#123456" in after
    assert len(list(css_cache.glob("*.json"))) == 2


def test_a_damaged_cache_file_is_ignored_and_rewritten(css_cache):
    expected = inline_css(HTML, CSS)
    (cache_file,) = css_cache.glob("*.json")
    for damage in ('{"sheets": {"0:x": {"rules": [[1]]}}, "pairs": 7}', "{not json"):
        cache_file.write_text(damage, encoding="utf-8")
        assert inline_css(HTML, CSS) == expected
        assert cache_file.read_text(encoding="utf-8").startswith('{"sheets": {"0:')


def test_a_build_with_a_warm_cache_does_not_import_cssutils(project_dir, tmp_path):
    code = (
        "import hashlib, sys\n"
        "from newsletter_cli.model.issue import load_issue\n"
        "from newsletter_cli.project import Project\n"
        "from newsletter_cli.render import render_email\n"
        f"html = render_email(load_issue({SEPTEMBER!r}), Project.find()).html\n"
        "print('cssutils' in sys.modules, hashlib.sha256(html.encode()).hexdigest())\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    runs = [subprocess.run([sys.executable, "-c", code], cwd=project_dir, env=env, timeout=60,
                           capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]  # fmt: skip
    assert runs[0][0] == "True" and runs[1][0] == "False"  # parsed once, then from the cache
    assert runs[0][1] == runs[1][1]  # the same HTML, byte for byte

"""`newsletter publish`: the folder it writes, same bytes every time, index from what is there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.issues import APRIL, BASE, REPO, SEPTEMBER

from newsletter_cli.errors import InputError
from newsletter_cli.site.publish import publish


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_all_writes_pages_ics_images_index_feed_and_sitemap(finished):
    result = publish(finished)
    files = set(tree(finished.site_dir))
    assert {"index.html", "feed.xml", "sitemap.xml", "style.css"} <= files
    assert "2025-09-regional-update/index.html" in files and "2025-04-regional-update/index.html" in files
    ics = sorted(f for f in files if f.startswith("2025-09-regional-update/") and f.endswith(".ics"))
    assert len(ics) == 7 and result.published[-1].ics == 7
    # The .ics files are the same bytes `build` writes next to the email.
    from newsletter_cli.calendar import calendar_entries
    from newsletter_cli.model.issue import load_issue

    entries = calendar_entries(load_issue(finished.root / SEPTEMBER))
    for entry in entries:
        assert (finished.site_dir / "2025-09-regional-update" / entry.filename).read_bytes() == entry.ics
    logo = [f for f in files if f.startswith("images/")]
    assert len(logo) == 1 and logo[0].startswith("images/regional-update-logo.")
    assert result.base == BASE and result.listed == 2


def test_same_input_same_bytes_across_processes(finished, tmp_path):
    """Two publishes in fresh processes (different hash seeds) give byte-identical folders."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"site-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-m", "newsletter_cli", "publish", "--all", "--out", str(out)],
            cwd=finished.root, env=env, capture_output=True, text=True,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 16  # 15 files and the list of them (.newsletter-publish.json)


def test_publishing_again_rewrites_nothing(finished):
    publish(finished)
    before = {p: p.stat().st_mtime_ns for p in finished.site_dir.rglob("*") if p.is_file()}
    again = publish(finished)
    assert again.written == [] and again.unchanged == len(before) - 1  # all but the list
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_one_issue_lists_only_what_is_published(finished):
    result = publish(finished, [finished.root / APRIL])
    assert [p.issue.name for p in result.published] == ["2025-04-regional-update"]
    index = (finished.site_dir / "index.html").read_text(encoding="utf-8")
    assert "2025-04-regional-update/" in index and "2025-09-regional-update/" not in index
    assert not (finished.site_dir / "2025-09-regional-update").exists()
    # Publishing September next adds it, newest first, without rewriting April's page.
    april_page = finished.site_dir / "2025-04-regional-update" / "index.html"
    stamp = april_page.stat().st_mtime_ns
    publish(finished, [finished.root / SEPTEMBER])
    index = (finished.site_dir / "index.html").read_text(encoding="utf-8")
    assert index.index("2025-09-regional-update/") < index.index("2025-04-regional-update/")
    assert april_page.stat().st_mtime_ns == stamp
    # ... and the result is what --all gives.
    single = tree(finished.site_dir)
    publish(finished)
    assert tree(finished.site_dir) == single


def test_all_leaves_files_it_did_not_write_and_notes_strangers(finished):
    publish(finished)
    old_image = finished.site_dir / "images" / "old-photo.0123456789ab.png"
    old_image.write_bytes(b"old")
    mine = finished.site_dir / "images" / "kept-by-hand.png"
    mine.write_bytes(b"mine")
    stale_ics = finished.site_dir / "2025-09-regional-update" / "2025-01-01-cancelled.ics"
    stale_ics.write_bytes(b"old")
    stranger = finished.site_dir / "about"
    stranger.mkdir()
    (stranger / "index.html").write_text("<p>About us</p>", encoding="utf-8")
    result = publish(finished)
    assert old_image.exists() and stale_ics.exists() and mine.exists(), (
        "files publish did not write are left alone, whatever their names")
    assert result.removed == []
    assert any("about/ has no issue file" in note for note in result.notes)


def test_a_template_folder_without_web_uses_the_built_in_pages(finished):
    import shutil

    shutil.rmtree(finished.templates_dir / "regional-update" / "web")
    publish(finished)
    index = (finished.site_dir / "index.html").read_text(encoding="utf-8")
    page = (finished.site_dir / "2025-09-regional-update/index.html").read_text(encoding="utf-8")
    assert "Every issue, newest first." in index  # the built-in introduction
    assert "<h1>Regional Update – September 2025</h1>" in page
    assert "This is the web edition" not in page  # the sample template's footer line is gone


def test_a_template_folder_can_restyle_the_site(finished):
    (finished.templates_dir / "regional-update/web/style.css").write_text("body { color: #000; }\n")
    publish(finished)
    assert (finished.site_dir / "style.css").read_text() == "body { color: #000; }\n"


def test_a_mistake_in_a_web_template_names_its_file_and_line(finished):
    broken = finished.templates_dir / "regional-update/web/page.html.j2"
    broken.write_text('{% extends "default/page.html.j2" %}\n{% block footer %}{{ nope( }}{% endblock %}\n')
    with pytest.raises(InputError) as caught:
        publish(finished)
    assert str(caught.value).startswith(f"{broken}:2: template syntax")


def test_without_a_base_url_publish_says_what_to_set(finished):
    config = finished.config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('base_url = "https://updates.example.org/regional-update/"\n', ""))
    with pytest.raises(InputError) as caught:
        publish(finished)
    assert str(caught.value).startswith(f"{config}: publishing needs the web edition's address")


def test_two_issues_with_one_name_are_refused(finished):
    twin = finished.root / "issues" / "2025-09-copy.yaml"
    twin.write_text((finished.root / APRIL).read_text(encoding="utf-8").replace(
        'title: "Regional Update – April 2025"', 'title: "Copy"\nslug: 2025-09-regional-update'))
    with pytest.raises(InputError, match="both called '2025-09-regional-update'"):
        publish(finished)


def test_cli_publish_all_and_one_and_mistakes(invoke, finished, tmp_path):
    out = tmp_path / "public"
    result = invoke("publish", "--all", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Published 2 issue(s)" in result.output and f"for {BASE}" in result.output
    assert (out / "2025-09-regional-update" / "index.html").is_file()
    one = invoke("publish", SEPTEMBER)
    assert one.exit_code == 0, one.output
    assert (finished.site_dir / "index.html").is_file()
    both = invoke("publish", SEPTEMBER, "--all")
    assert both.exit_code == 2 and "not both" in both.output
    neither = invoke("publish")
    assert neither.exit_code == 2 and "give an issue file" in neither.output
    missing = invoke("publish", "issues/nope.yaml")
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_cli_warns_about_links_still_to_fill_in(invoke, project_dir):
    result = invoke("publish", SEPTEMBER)
    assert result.exit_code == 0
    assert "2025-09-regional-update: 7 link(s) still say TODO" in result.output


def test_the_cli_starts_without_pillow_or_the_site_package():
    code = ("import sys, newsletter_cli.cli; "
            "print([m for m in ('PIL', 'newsletter_cli.site.publish', 'newsletter_cli.links.check', "
            "'urllib.request', 'concurrent.futures') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unknown_template_is_named_with_the_known_ones(finished):
    path = finished.root / SEPTEMBER
    text = path.read_text(encoding="utf-8").replace("\nblocks:\n", "\ntemplate: regional-updat\nblocks:\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        publish(finished, [path])
    line = text[: text.index("template: regional-updat")].count("\n") + 1
    assert str(caught.value).startswith(f"{path}:{line}: template: no template called 'regional-updat'")
    assert "(known: regional-update)" in str(caught.value)

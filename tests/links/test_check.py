"""`check --links` on a whole issue: findings at their lines, the web edition, the cache, the CLI."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from support.links import ISSUE, YEAR, line_of, point_site_at, write_issue

from newsletter_cli.links.check import check_links, check_mailto
from newsletter_cli.model.issue import load_issue
from newsletter_cli.project import Project
from newsletter_cli.site.publish import publish

from .server import LinkServer

#: No retry wait; a timeout roomy enough for a loaded machine (no link here is slow on purpose).
FAST = {"timeout": 10.0, "retry_delay": 0}


@pytest.fixture
def linked(project_dir: Path, server: LinkServer) -> Project:
    """The sample project with our issue, and the web edition's base on the local server."""
    write_issue(project_dir, server.url)
    point_site_at(project_dir, f"{server.url}/site/")
    return Project(project_dir)


def by_url(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in report.findings:
        found.setdefault(finding.message.split(": ", 1)[0], []).append(finding)
    return found


def test_every_link_is_tried_and_findings_name_the_issue_line(linked, server):
    path = linked.root / ISSUE
    report = check_links(load_issue(path), linked, **FAST)
    found = by_url(report)
    missing = found[f"{server.url}/missing"]
    assert [(f.severity, f.line, f.path, f.block) for f in missing] == [
        ("error", line_of(path, "- text: \"Book a place\""), None, "News with links")]
    assert "404 Not Found" in missing[0].message
    dns = found["https://alpha.nothing-here.invalid/register"][0]
    assert dns.severity == "error" and dns.line == line_of(path, '- text: "Register for the Alpha')
    assert dns.block == "Upcoming Conferences and Events: Alpha Conference"
    busy = found[f"{server.url}/busy"][0]
    assert busy.severity == "warning" and "answered 429" in busy.message and "tried twice" in busy.message
    moved = found[f"{server.url}/moved"][0]
    assert moved.severity == "warning" and moved.line == line_of(path, "body: |")
    assert moved.message.endswith(f"link to {server.url}/ok instead")
    mail = found["mailto:organisers@nowhere"][0]
    assert mail.severity == "error" and "not an email address: 'organisers@nowhere'" in mail.message
    assert f"{server.url}/ok" not in found and "mailto:someone@example.org" not in found
    assert server.count("/ok") == 2  # once itself, once at the end of /moved


def test_web_edition_links_are_tried_over_http_when_site_is_not_here(linked, server):
    path = linked.root / ISSUE
    report = check_links(load_issue(path), linked, **FAST)
    found = by_url(report)
    page = f"{server.url}/site/links-test/"
    view = found[page]
    assert view[0].severity == "error" and view[0].path == str(linked.config_path)
    ics = f"{page}{YEAR}-11-04-alpha-conference.ics"
    assert found[ics][0].line == line_of(path, '- title: "Alpha Conference"')
    assert any(u.startswith(f"{server.url}/site/images/regional-update-logo.") for u in found)
    assert server.hits[("HEAD", "/site/links-test/")] == 1


def test_web_edition_links_are_checked_against_the_published_folder(linked, server):
    path = linked.root / ISSUE
    publish(linked, [path])
    report = check_links(load_issue(path), linked, **FAST)
    assert not [u for u in by_url(report) if "/site/" in u]
    assert not [k for k in server.hits if k[1].startswith("/site/")], "files, not HTTP"
    assert report.count("file") >= 6  # page, .ics, logo, style, feed, index
    (linked.site_dir / "links-test" / f"{YEAR}-11-04-alpha-conference.ics").unlink()
    report = check_links(load_issue(path), linked, **FAST)
    gone = by_url(report)[f"{server.url}/site/links-test/{YEAR}-11-04-alpha-conference.ics"][0]
    assert gone.severity == "error" and gone.line == line_of(path, '- title: "Alpha Conference"')
    assert f"not published: site/links-test/{YEAR}-11-04-alpha-conference.ics does not exist" in gone.message


def test_a_site_published_elsewhere_is_checked_over_http(project_dir, tmp_path):
    published = tmp_path / "public"
    with_site = LinkServer(site=published).start()
    try:
        write_issue(project_dir, with_site.url, links={})
        point_site_at(project_dir, f"{with_site.url}/site/")
        project = Project(project_dir)
        publish(project, [project_dir / ISSUE], out=published)
        report = check_links(load_issue(project_dir / ISSUE), project, **FAST)
        site_urls = [t.url for t, r in report.results if "/site/" in t.url]
        assert len(site_urls) >= 6
        assert all(r.level == "ok" and r.how == "http" for t, r in report.results if "/site/" in t.url)
    finally:
        with_site.stop()


def test_good_answers_are_cached_for_a_day_failures_are_not(linked, server):
    issue = load_issue(linked.root / ISSUE)
    now = time.time()
    check_links(issue, linked, now=now, **FAST)
    cache = linked.state_dir / "links.json"
    assert os.name == "nt" or stat.S_IMODE(cache.stat().st_mode) == 0o600  # no modes on Windows
    assert (server.count("/ok"), server.count("/missing"), server.count("/moved")) == (2, 1, 1)
    again = check_links(issue, linked, now=now + 3600, **FAST)
    assert (server.count("/ok"), server.count("/missing"), server.count("/moved")) == (2, 2, 1)
    assert again.count("cache") == 2  # /ok and the permanent move
    assert any("link to" in f.message for f in again.warnings), "a cached move is still reported"
    check_links(issue, linked, now=now + 2 * 86400, **FAST)
    assert server.count("/ok") == 4  # a day later both are tried again


def test_a_broken_cache_file_is_ignored(linked, server):
    linked.state_dir.mkdir()
    (linked.state_dir / "links.json").write_text("{not json", encoding="utf-8")
    report = check_links(load_issue(linked.root / ISSUE), linked, **FAST)
    assert report.errors and server.count("/ok") == 2


def test_links_that_only_the_template_has_are_tried_too(linked, server):
    footer = linked.templates_dir / "regional-update/partials/footer.mjml.j2"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(text.replace("Unsubscribe from the Regional Update</a>",
                                   f'Unsubscribe from the Regional Update</a> <a href="{server.url}/gone">Privacy</a>'))
    report = check_links(load_issue(linked.root / ISSUE), linked, **FAST)
    gone = by_url(report)[f"{server.url}/gone"][0]
    assert gone.severity == "error" and "410 Gone" in gone.message
    assert gone.path == str(linked.templates_dir / "regional-update") and gone.block == "the email template"


@pytest.mark.parametrize(
    ("url", "ok"),
    [("mailto:a@example.org", True), ("mailto:a@example.org,b@example.org?subject=Hi%20there", True),
     ("mailto:a%40example.org", True), ("mailto:", False), ("mailto:nobody", False),
     ("mailto:a@example.org,b@", False)],
)
def test_mailto_links_are_checked_for_shape(url, ok):
    assert (check_mailto(url).level == "ok") is ok


def test_cli_check_links(invoke, linked, server):
    write_issue(linked.root, server.url, links={"Book a place": f"{server.url}/missing"})
    publish(linked, [linked.root / ISSUE])
    result = invoke("check", ISSUE, "--links")
    assert result.exit_code == 1
    line = line_of(linked.root / ISSUE, '- text: "Book a place"')
    assert f"{ISSUE}:{line}: error: {server.url}/missing: 404 Not Found: the page is not there [News with links]" in result.output
    assert f"{server.url}/moved: has moved permanently (301): link to {server.url}/ok instead" in result.output
    assert "links: " in result.output and " in the published site" in result.output
    assert "Traceback" not in result.output


def test_cli_check_no_links_tries_nothing_and_says_so(invoke, linked, server):
    result = invoke("check", ISSUE, "--no-links")
    assert server.hits == {} and "links:" not in result.output
    assert "links not tried" in result.output and "ready to send" not in result.output


def test_cli_check_tries_links_unless_told_not_to(invoke, linked, server):
    write_issue(linked.root, server.url, links={"Book a place": f"{server.url}/missing"})
    publish(linked, [linked.root / ISSUE])
    result = invoke("check", ISSUE)
    assert result.exit_code == 1, result.output
    assert f"{server.url}/missing: 404 Not Found" in result.output
    assert server.count("/missing") == 1


def test_cli_temporary_redirects_are_noted(invoke, linked, server):
    write_issue(linked.root, server.url, links={"Book a place": f"{server.url}/found"})
    path = linked.root / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "https://alpha.nothing-here.invalid/register", f"{server.url}/ok").replace(
        f"({server.url}/moved)", f"({server.url}/ok)"), encoding="utf-8")
    publish(linked, [path])
    result = invoke("check", ISSUE, "--links")
    assert result.exit_code == 0, result.output
    assert f"note: {server.url}/found redirects to {server.url}/ok" in result.output

"""The preview page in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.issues import SEPTEMBER

from newsletter_cli.checks import run_checks
from newsletter_cli.model.issue import load_issue
from newsletter_cli.preview import PreviewServer
from newsletter_cli.project import Project

from .helpers import BROKEN_SYNTAX, DCS_ONLY, EVENTS, ISSUE_YAML, TITLE, write

pytestmark = pytest.mark.browser

FRAME_METRICS = """() => {
  const root = document.scrollingElement || document.documentElement;
  return {inner: innerWidth, scroll: root.scrollWidth, client: root.clientWidth,
          text: document.body.innerText};
}"""


def frame(page, ident: str):
    return page.locator(f"iframe#{ident}").content_frame


def frame_metrics(page, ident: str) -> dict:
    handle = page.query_selector(f"iframe#{ident}")
    assert handle is not None, f"no {ident} frame on the page"
    inner = handle.content_frame()
    inner.wait_for_load_state("load")
    return inner.evaluate(FRAME_METRICS)


def test_page_shows_the_issue_at_desktop_and_phone_width(server: PreviewServer, page) -> None:
    page.goto(server.url)
    assert page.title() == f"Preview: {TITLE}"
    for ident, width in (("desktop", 600), ("phone", 375)):
        metrics = frame_metrics(page, ident)
        assert metrics["inner"] == width, f"{ident} frame is {metrics['inner']} px wide"
        assert TITLE in metrics["text"]
        for event in EVENTS:
            assert event in metrics["text"], f"{event} missing from the {ident} frame"
    inbox = page.locator("#inbox").inner_text()
    assert "Preview test: autumn events" in inbox
    assert "Two events and a note for directors." in inbox
    assert "regional.team@example.org" in inbox
    assert TITLE.upper() in page.locator("#text-part").inner_text().upper()
    assert page.locator("#problems").count() == 0


@pytest.mark.parametrize("which", ["test issue", "September sample", "September for dcs"])
def test_phone_frame_has_no_horizontal_overflow(
    which: str, issue_path: Path, project: Project, page
) -> None:
    path = issue_path if which == "test issue" else SEPTEMBER
    query = "?list=dcs" if which.endswith("dcs") else ""
    with PreviewServer(path, project, port=0) as server:
        page.goto(server.url + query)
        metrics = frame_metrics(page, "phone")
        assert metrics["inner"] == 375
        assert metrics["scroll"] <= metrics["client"], (
            f"{which}: the phone view is {metrics['scroll']} px wide in a 375 px frame"
        )
        assert page.locator("#phone-overflow").is_hidden()


def test_check_results_match_newsletter_check(project: Project, page) -> None:
    report = run_checks(load_issue(SEPTEMBER), project)
    assert report.errors, "the September sample is expected to have TODO links"
    with PreviewServer(SEPTEMBER, project, port=0) as server:
        page.goto(server.url)
        checks = page.locator("#checks")
        assert checks.locator("li.error").count() == len(report.errors)
        assert checks.locator("li.warning").count() == len(report.warnings)
        assert report.errors[0].message in checks.inner_text()


def test_saving_the_issue_updates_the_page_by_itself(
    server: PreviewServer, project_dir: Path, issue_path: Path, page
) -> None:
    page.goto(server.url)
    page.evaluate("() => { window.__notReloaded = true; }")
    renamed = ISSUE_YAML.replace(TITLE, "Bulletin After Saving").replace(
        EVENTS[1], "Gamma Network Meeting"
    )
    write(project_dir / issue_path, renamed)
    page.wait_for_function(
        "() => document.getElementById('title')?.textContent === 'Bulletin After Saving'"
    )
    assert page.evaluate("() => window.__notReloaded === undefined")  # the page reloaded itself
    for ident in ("desktop", "phone"):
        text = frame_metrics(page, ident)["text"]
        assert "Bulletin After Saving" in text and "Gamma Network Meeting" in text
        assert EVENTS[1] not in text


def test_a_broken_save_shows_the_error_and_a_good_save_recovers(
    server: PreviewServer, project_dir: Path, issue_path: Path, page
) -> None:
    page.goto(server.url)
    write(project_dir / issue_path, BROKEN_SYNTAX)
    banner = page.locator("#problems")
    banner.wait_for(state="visible")
    assert "issues/preview-test.yaml:3: YAML syntax: a quote opened on this line is never closed" in (
        banner.inner_text()
    )
    assert page.locator("iframe#desktop").count() == 0

    write(project_dir / issue_path, ISSUE_YAML)
    banner.wait_for(state="detached")
    assert TITLE in frame_metrics(page, "desktop")["text"]


def test_saving_a_template_or_the_recipients_reloads(
    server: PreviewServer, project_dir: Path, page
) -> None:
    page.goto(server.url)
    template = next((project_dir / "templates").rglob("*.j2"))
    contacts = project_dir / "recipients" / "contacts.csv"
    for path in (template, contacts):
        with page.expect_navigation():
            info = path.stat()
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))
        assert page.title() == f"Preview: {TITLE}"


def test_reload_keeps_the_scroll_position(
    server: PreviewServer, project_dir: Path, issue_path: Path, page
) -> None:
    page.goto(server.url)
    page.evaluate("() => window.scrollTo(0, 700)")
    with page.expect_navigation():
        write(project_dir / issue_path, ISSUE_YAML + "\n# saved again\n")
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.scrollY > 600")


def test_the_list_picker_shows_an_audience_personalised(server: PreviewServer, page) -> None:
    page.goto(server.url)
    assert DCS_ONLY in frame_metrics(page, "desktop")["text"]
    with page.expect_navigation():
        page.select_option("#audience", "dcs")
    assert page.url.endswith("?list=dcs")
    assert "Dr Aisha Ashworth" in page.locator("#reader").inner_text()
    assert DCS_ONLY in frame_metrics(page, "desktop")["text"]
    with page.expect_navigation():
        page.select_option("#audience", "regional-team")
    assert DCS_ONLY not in frame_metrics(page, "desktop")["text"]
    assert DCS_ONLY not in frame_metrics(page, "phone")["text"]
    assert EVENTS[0] in frame_metrics(page, "phone")["text"]


def test_the_page_says_when_the_server_has_stopped(
    issue_path: Path, project: Project, page
) -> None:
    server = PreviewServer(issue_path, project, port=0).start()
    page.goto(server.url)
    server.stop()
    page.wait_for_function(
        "() => document.getElementById('live').textContent.includes('stopped')"
    )


PHONE = {"width": 390, "height": 844}
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def _phone_page(browser):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _wait_for_frames(page) -> None:
    for ident in ("desktop", "phone"):
        frame_metrics(page, ident)
    page.wait_for_function(
        "() => document.getElementById('desktop').style.transform.startsWith('scale(')"
    )


def test_the_page_fits_a_390_px_phone(browser, project: Project) -> None:
    context, page = _phone_page(browser)
    with PreviewServer(SEPTEMBER, project, port=0) as server:
        page.goto(server.url)
        _wait_for_frames(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "preview-page-390.png"), full_page=True)
        root = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
        assert root == [390, 390], f"the page is {root[0]} px wide on a 390 px screen"
        for ident, width in (("desktop", 600), ("phone", 375)):
            assert frame_metrics(page, ident)["inner"] == width  # the email keeps its width
            box = page.locator(f"iframe#{ident}").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (ident, box)
        assert "shown at" in page.locator("#desktop-scale").inner_text()
        header = page.locator("header").bounding_box()
        assert header["width"] <= 390 and header["height"] < 200
    context.close()


def test_the_header_counts_the_checks_and_links_to_them(browser, project: Project) -> None:
    report = run_checks(load_issue(SEPTEMBER), project)
    errors, warnings = len(report.errors), len(report.warnings)
    assert errors and warnings, "the September sample is expected to have both"
    context, page = _phone_page(browser)
    with PreviewServer(SEPTEMBER, project, port=0) as server:
        page.goto(server.url)
        _wait_for_frames(page)
        assert page.locator("#count-errors").inner_text() == f"{errors} errors"
        assert page.locator("#count-warnings").inner_text() == f"{warnings} warnings"
        for severity in ("errors", "warnings"):
            page.locator(f"#count-{severity}").click()
            target = page.evaluate("() => location.hash")
            finding = page.locator(f"li{target}")
            assert finding.get_attribute("class") == severity[:-1]
            assert finding.evaluate("e => !e.previousElementSibling || "
                                    f"e.previousElementSibling.className !== '{severity[:-1]}'")
            header = page.locator("header").bounding_box()
            box = finding.bounding_box()
            # The finding is on screen, below the sticky header, which stays at the top.
            assert header["y"] == 0 and box["y"] >= header["height"] - 1
            assert box["y"] + box["height"] <= PHONE["height"]
    context.close()


def test_an_issue_with_nothing_wrong_says_so_in_the_header(browser, tmp_path: Path) -> None:
    from newsletter_cli.authoring.init_project import create_project

    made = create_project(tmp_path / "team")
    context, page = _phone_page(browser)
    with PreviewServer(made.issue, Project(made.root), port=0) as server:
        page.goto(server.url)
        assert page.locator("#count-ok").inner_text() == "\u2713 no problems"
        assert page.locator("#checks .pass").count() == 1
        assert page.evaluate("() => document.scrollingElement.scrollWidth") == 390
    context.close()

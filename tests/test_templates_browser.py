"""What a reader sees: the built sample email in real headless Chromium at three widths."""

from __future__ import annotations

import pytest

from newsletter_cli.build import build_issue

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    from newsletter_cli.preview.chromium import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("path", ["2025-09-regional-update", "2025-04-regional-update"])
@pytest.mark.parametrize("width", [320, 375, 600])
def test_no_horizontal_scrolling_and_content_visible(browser, project, path, width):
    result = build_issue(project.root / f"issues/{path}.yaml", project)
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto((result.folder / "index.html").as_uri())
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at {width}px"
        assert page.locator("h1").inner_text().startswith(result.issue.title.split(" – ")[0])
        assert page.get_by_text("Upcoming Conferences and Events").first.is_visible()
        # The body text stays readable: at least 14px everywhere a paragraph is.
        smallest = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll('p, li')].filter(e => e.textContent.trim())"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 13
    finally:
        page.close()


def test_columns_stack_on_a_phone(browser, project):
    result = build_issue(project.root / "issues/2025-09-regional-update.yaml", project)
    widths = {}
    for width in (375, 600):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto((result.folder / "index.html").as_uri())
        widths[width] = page.evaluate(
            "() => document.querySelector('h3').getBoundingClientRect().width"
        )
        page.close()
    assert widths[375] < 375 and widths[600] <= 600
    assert widths[375] > 250  # the event card uses the phone's width, not a shrunken desktop

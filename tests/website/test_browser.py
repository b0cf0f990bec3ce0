"""The published site in real headless Chromium, served over HTTP as a web host would."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin

import pytest

from newsletter_cli.site.publish import publish

pytestmark = pytest.mark.browser

PAGES = ["2025-09-regional-update/", "2025-04-regional-update/", ""]


@pytest.fixture(scope="module")
def browser():
    from newsletter_cli.preview.chromium import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def site_url(finished, serve):
    publish(finished)
    return serve(finished.site_dir).url


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_and_every_image_loads(browser, site_url, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        response = page.goto(site_url + path)
        assert response is not None and response.status == 200
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of sideways scrolling at {width}px"
        images = page.evaluate(
            "() => [...document.images].map(i => [i.currentSrc, i.complete, i.naturalWidth])"
        )
        assert images, "the logo at least"
        for src, complete, natural in images:
            assert complete and natural > 0, f"{src} did not load"
        # Nothing sticks out of the reading column either (long titles and URLs wrap).
        widest = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('main *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= width
        assert page.locator("h1").count() == 1 and page.locator("h1").is_visible()
        css = page.evaluate("() => getComputedStyle(document.querySelector('.masthead')).backgroundColor")
        assert css == "rgb(27, 54, 93)", "the stylesheet was not applied"
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_internal_link_resolves(browser, site_url, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + path)
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('a[href], link[href]')].map(a => a.href)"
        )
        internal = sorted({h for h in hrefs if h.startswith(site_url)})
        assert len(internal) >= 5
        for href in internal:
            target, fragment = urldefrag(href)
            answer = page.request.get(target)
            assert answer.status == 200, f"{href} answers {answer.status}"
            if fragment:
                if target == page.url:
                    assert page.locator(f"[id='{fragment}']").count() == 1, href
                else:
                    assert f'id="{fragment}"' in answer.text(), href
        assert urljoin(site_url + path, "feed.xml") in internal or site_url + "feed.xml" in internal
    finally:
        page.close()


def test_the_contents_list_jumps_to_its_section(browser, site_url):
    page = browser.new_page(viewport={"width": 375, "height": 700})
    try:
        page.goto(site_url + "2025-09-regional-update/")
        page.get_by_role("navigation", name="In this issue").get_by_role(
            "link", name="Regional Safeguarding Conference"
        ).click()
        page.wait_for_function("() => location.hash === '#event-regional-safeguarding-conference'")
        heading = page.get_by_role("heading", name="Regional Safeguarding Conference")
        assert heading.is_visible()
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < 700
    finally:
        page.close()

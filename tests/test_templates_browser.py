"""What a reader sees: the built sample emails in real headless Chromium.

Full-page screenshots at 375 and 600 px of both samples (light and dark) are written to
``test-output/screenshots/`` (git-ignored) for a person to look at; the tests assert what
they must show: real buttons at least 44 px tall, a diary whose links land on their events,
no sideways scrolling, no text under 14 px, and readable contrast in dark mode.
"""

from __future__ import annotations

import re

import pytest
from support.issues import REPO

from newsletter_cli.build import build_issue

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-output" / "screenshots"
SAMPLES = ["2025-09-regional-update", "2025-04-regional-update"]
AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
#: What Gmail removes: every `position` and `clip` declaration, inline or in <style>.
GMAIL_STRIPS = re.compile(r"(?<![\w-])(position|clip)\s*:[^;\"}]*;?", re.IGNORECASE)

#: Every visible element with text of its own: its font size and colours as Chromium computes them.
TEXT_STYLES = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = el => {
    for (let node = el; node; node = node.parentElement) {
      const [r, g, b, a] = rgb(getComputedStyle(node).backgroundColor);
      if (a === undefined || a > 0) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('.vh') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 40),
              size: parseFloat(style.fontSize), color: rgb(style.color), background: background(el)});
  }
  return out;
}"""


def contrast(a: list[float], b: list[float]) -> float:
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
                  for c in rgb[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def browser():
    from newsletter_cli.preview.chromium import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both samples built once, from a copy of the repository's project files."""
    import shutil

    from newsletter_cli.project import Project

    root = tmp_path_factory.mktemp("project")
    for part in ("issues", "recipients", "images", "newsletter.toml"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)
    project = Project(root)
    return {name: build_issue(root / f"issues/{name}.yaml", project) for name in SAMPLES}


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", [320, 375, 600])
def test_no_horizontal_scrolling_and_text_14px_or_more(browser, built, name, width):
    result = built[name]
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto((result.folder / "index.html").as_uri())
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at {width}px"
        assert page.locator("h1").inner_text().startswith(result.issue.title.split(" – ")[0])
        assert page.get_by_text("Upcoming Conferences and Events").first.is_visible()
        texts = page.evaluate(TEXT_STYLES)
        small = [t for t in texts if t["size"] < 14]
        assert texts and small == []
        hidden = page.locator(".vh")  # the calendar links' names for screen readers
        assert hidden.count() >= 6
        box = hidden.first.bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1
    finally:
        page.close()


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", [375, 600])
def test_screenshots_show_buttons_and_the_diary(browser, built, name, width):
    result = built[name]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((result.folder / "index.html").as_uri())
        shot = SHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 10_000

        buttons = page.locator("td[bgcolor][role=presentation] > a")
        assert buttons.count() >= 1
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            assert box["height"] >= 44, (buttons.nth(index).inner_text(), box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width

        diary = page.locator("#dates-for-your-diary")
        assert diary.is_visible()
        assert diary.bounding_box()["y"] < page.evaluate("document.body.scrollHeight") * 0.3
        links = page.locator("#dates-for-your-diary ~ ul a")
        assert links.count() >= 2
        for index in range(links.count()):
            target = links.nth(index).get_attribute("href")
            assert page.locator(target).count() == 1, target

        first = links.first
        title = first.inner_text()
        first.click()
        page.wait_for_function("() => location.hash.length > 1")
        heading = page.locator(page.evaluate("location.hash"))
        assert heading.inner_text() == title.split(" (")[0]
        top = heading.bounding_box()["y"]
        assert -1 <= top < 900  # scrolled to the event
    finally:
        page.close()


@pytest.mark.parametrize("name", SAMPLES)
def test_dark_mode_reads_at_7_to_1(browser, built, name):
    result = built[name]
    page = browser.new_page(viewport={"width": 600, "height": 900}, color_scheme="dark")
    try:
        page.goto((result.folder / "index.html").as_uri())
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-600-dark.png"), full_page=True)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(24, 33, 44)"  # the dark page, not white
        for text in page.evaluate(TEXT_STYLES):
            ratio = contrast(text["color"], text["background"])
            assert ratio >= 7, (text, ratio)
    finally:
        page.close()


def test_columns_stack_on_a_phone(browser, built):
    result = built["2025-09-regional-update"]
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


def test_screenshots_folder_is_git_ignored():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "test-output/" in ignored


def gmail_view(page, result) -> None:
    """The built email as Gmail shows it: without `position` or `clip` anywhere."""
    html = (result.folder / "index.html").read_text(encoding="utf-8")
    stripped = GMAIL_STRIPS.sub("", html)
    assert "position" not in stripped and "clip:" not in stripped
    page.set_content(stripped, timeout=30_000)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", [320, 375])
def test_hidden_text_stays_hidden_when_gmail_strips_position(browser, built, name, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        gmail_view(page, built[name])
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px of horizontal scrolling at {width}px"
        hidden = page.locator(".vh")
        assert hidden.count() >= 6
        for index in range(hidden.count()):
            span = hidden.nth(index)
            box = span.bounding_box()
            assert box["width"] <= 1 and box["height"] <= 1, (span.inner_text(), box)
            assert span.evaluate("e => getComputedStyle(e).overflow") == "hidden"
        for link in page.locator(".cal a").all():  # only the word shows: "Outlook", not the event
            assert link.bounding_box()["width"] < 80, link.inner_text()
        assert page.get_by_role("link", name=re.compile(r"^Add .+ to Outlook calendar$")).count()
    finally:
        page.close()


@pytest.mark.parametrize("name", SAMPLES)
def test_calendar_row_wraps_whole_at_320(browser, built, name):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    try:
        page.goto((built[name].folder / "index.html").as_uri())
        rows = page.locator("p.cal")
        assert rows.count() >= 1
        for row in rows.all():
            tops = [round(link.bounding_box()["y"]) for link in row.locator("a").all()]
            assert len(tops) == 3 and len(set(tops)) == 1, (row.inner_text(), tops)
            lines = [line.strip() for line in row.inner_text().split("\n")]
            assert not any(line.startswith("\u00b7") for line in lines), lines
    finally:
        page.close()


@pytest.mark.parametrize("name", SAMPLES)
def test_logo_alt_text_readable_with_images_blocked(browser, built, name):
    page = browser.new_page(viewport={"width": 600, "height": 800})
    blocked = []
    page.route("**/*", lambda route: (blocked.append(route.request.url), route.abort())
               if route.request.resource_type == "image" else route.continue_())  # fmt: skip
    try:
        page.goto((built[name].folder / "index.html").as_uri())
        img = page.locator("img").first
        page.wait_for_function("() => document.images[0].complete", timeout=10_000)
        assert blocked and img.evaluate("e => e.naturalWidth") == 0  # the image did not load
        style = img.evaluate(
            "e => { const s = getComputedStyle(e); return {color: s.color, font: s.fontFamily,"
            " size: parseFloat(s.fontSize), weight: s.fontWeight}; }"
        )
        header = img.evaluate(
            "e => { for (let n = e; n; n = n.parentElement) { const c = "
            "getComputedStyle(n).backgroundColor; if (!c.endsWith(', 0)')) return c; } }"
        )
        ratio = contrast(_rgb(style["color"]), _rgb(header))
        assert ratio >= 4.5, (style, header, ratio)
        assert style["font"].startswith("Arial") and style["size"] >= 14
        assert img.bounding_box()["height"] > 0
    finally:
        page.close()


def _rgb(css: str) -> list[float]:
    return [float(n) for n in re.findall(r"[\d.]+", css)[:3]]


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", [375, 600])
def test_axe_core_finds_no_violations(browser, built, name, width):
    assert AXE.is_file(), "axe-core is missing: run `make axe` (npm install in tests/a11y)"
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto((built[name].folder / "index.html").as_uri())
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations.map("
            "v => [v.id, v.impact, v.nodes.length, v.nodes[0].html.slice(0, 120)])"
        )
        assert violations == []
    finally:
        page.close()

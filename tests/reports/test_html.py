"""`report --html`: one self-contained page, drawn by real Chromium.

``NEWSLETTER_UPDATE_DOCS=1 .venv/bin/pytest tests/reports/test_html.py`` also writes the
README's screenshot (docs/report.png) from the fake's made-up data.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from newsletter_cli.preview.chromium import launch, sync_playwright
from newsletter_cli.reports.html import render
from newsletter_cli.reports.report import build_report

from .scenario import DAY, readers_act, send

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def report(invoke, project, project_dir, fake, env, api):
    send_id = send(invoke, project_dir, env, "send-network")
    readers_act(fake, project_dir)
    return build_report(project, send_id=send_id, api=api, now=time.time() + 6 * DAY)


def test_the_page_holds_everything_and_fetches_nothing(report):
    page = render(report)
    assert "<script" not in page.lower() and "@import" not in page and "@font-face" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from afar
    assert page.count("<svg") == 3  # opens and clicks by day, by list, by organisation
    assert "Outcomes by organisation" in page and "Coventry City Council" in page
    assert "<title>Opens and clicks by day</title>" in page


def test_cli_writes_the_page(invoke, report, env, tmp_path):
    target = tmp_path / "board-paper.html"
    result = invoke("report", report.sends[0].id, "--html", str(target), env=env)
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and target.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.browser
def test_chromium_draws_it_without_a_single_request(report, tmp_path):
    page_html = render(report)
    requests: list[str] = []
    shot = tmp_path / "report.png"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.on("request", lambda r: requests.append(r.url))
            page.set_content(page_html, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            bars = page.locator("svg rect").count()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert requests == []  # no fonts, images, scripts or styles fetched
    assert width <= 1000  # nothing wider than the page
    assert bars > 40
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    if os.environ.get("NEWSLETTER_UPDATE_DOCS"):
        DOCS.mkdir(exist_ok=True)
        (DOCS / "report.png").write_bytes(data)

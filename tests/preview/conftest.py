"""Fixtures for the preview tests: a small issue of our own, a running server, one browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsletter_cli.preview import PreviewServer
from newsletter_cli.project import Project

from .helpers import ISSUE_YAML, write


@pytest.fixture
def issue_path(project_dir: Path) -> Path:
    """Our issue file inside the copied sample project (relative, as a user types it)."""
    path = Path("issues/preview-test.yaml")
    write(project_dir / path, ISSUE_YAML)
    return path


@pytest.fixture
def server(issue_path: Path, project: Project) -> Iterator[PreviewServer]:
    """A preview server for our issue, on a free port, stopped after the test."""
    with PreviewServer(issue_path, project, port=0) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium (the system's) for a whole test module."""
    from newsletter_cli.preview.chromium import launch, sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh desktop-sized tab (own cookies and storage)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()

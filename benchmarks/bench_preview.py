"""Benchmark: how quickly the preview answers and how soon a save shows in the browser.

Run: .venv/bin/python benchmarks/bench_preview.py [--rounds N]
Copies the sample project to a temporary folder, serves the September 2025 issue and
measures: building the page after a save (render + checks), a cached page, one
/version poll, the time from saving the issue to the new text on screen in headless
Chromium, and writing both screenshots.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from newsletter_cli.preview import PreviewServer, take_screenshots
from newsletter_cli.preview.chromium import launch, sync_playwright
from newsletter_cli.project import Project

REPO = Path(__file__).resolve().parent.parent
ISSUE = Path("issues/2025-09-regional-update.yaml")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:7.1f} ms, max {max(samples) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in ("issues", "recipients", "images", "newsletter.toml"):
            source = REPO / part
            copy = shutil.copytree if source.is_dir() else shutil.copy2
            copy(source, root / part)
        os.chdir(root)
        project = Project(root)
        original = ISSUE.read_text(encoding="utf-8")
        build, cached, poll, on_screen = [], [], [], []
        with PreviewServer(ISSUE, project, port=0) as server, sync_playwright() as playwright:
            fetch(server.url)  # warm up imports and templates
            for n in range(rounds):
                ISSUE.write_text(original + f"\n# save {n}\n", encoding="utf-8")
                start = time.perf_counter()
                fetch(server.url)
                build.append(time.perf_counter() - start)
                start = time.perf_counter()
                fetch(server.url)
                cached.append(time.perf_counter() - start)
                start = time.perf_counter()
                fetch(server.url + "version")
                poll.append(time.perf_counter() - start)
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(server.url)
            for n in range(max(3, rounds // 2)):
                title = f"Benchmark title {n}"
                start = time.perf_counter()
                ISSUE.write_text(
                    original.replace('title: "Regional Update', f'title: "{title}', 1),
                    encoding="utf-8",
                )
                page.wait_for_function(
                    f"() => document.getElementById('title')?.textContent.startsWith('{title}')",
                    timeout=30_000,
                )
                on_screen.append(time.perf_counter() - start)
            browser.close()
        ISSUE.write_text(original, encoding="utf-8")
        start = time.perf_counter()
        take_screenshots(ISSUE, project, root / "shots")
        shots = time.perf_counter() - start

    cores = os.cpu_count()
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"page after a save (render + checks): {ms(build)}")
    print(f"page, unchanged (cached):            {ms(cached)}")
    print(f"/version poll:                       {ms(poll)}")
    print(f"save -> new title in the browser:    {ms(on_screen)}")
    print(f"--screenshot (both PNGs, cold):      {shots * 1000:7.0f} ms")


if __name__ == "__main__":
    main()

"""Time `newsletter publish --all` on two years of issues (24, made from the two samples).

Each generated issue is a sample with its links filled in, a new month's name and date,
and its events moved by the same number of months. Whole process (what a person or CI
runs), first on an empty folder, then again (nothing changed: nothing rewritten).

Run: .venv/bin/python benchmarks/bench_publish.py [runs]
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = ("issues/2025-09-regional-update.yaml", "issues/2025-04-regional-update.yaml")
ISSUES = 24
TARGET = 5.0  # seconds


def _shift(text: str, months: int) -> str:
    """Every YYYY-MM-DD moved by ``months`` (day kept, capped at 28 for short months)."""

    def move(m: re.Match[str]) -> str:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        index = year * 12 + month - 1 + months
        return f"{index // 12:04d}-{index % 12 + 1:02d}-{min(day, 28):02d}"

    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", move, text)


def make_project(root: Path) -> None:
    for part in ("templates", "recipients", "images", "newsletter.toml"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        else:
            shutil.copy2(source, root / part)
    (root / "issues").mkdir()
    texts = [(REPO / s).read_text(encoding="utf-8") for s in SAMPLES]
    texts = [t.replace("url: TODO", "url: https://example.org/book").replace(
        "](TODO)", "](https://example.org/more)") for t in texts]  # fmt: skip
    for n in range(ISSUES):
        year, month = 2024 + n // 12, n % 12 + 1
        source = texts[n % 2]
        base = re.search(r'issue_date: "(\d{4})-(\d{2})', source)
        months = (year * 12 + month) - (int(base[1]) * 12 + int(base[2]))
        text = _shift(source, months)
        text = re.sub(r'title: "Regional Update – [A-Za-z]+ \d{4}"',
                      f'title: "Regional Update – {time.strftime("%B", (0, month, 1) + (0,) * 6)} '
                      f'{year}"', text, count=1)  # fmt: skip
        (root / "issues" / f"{year}-{month:02d}-regional-update.yaml").write_text(text, "utf-8")


def run(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsletter_cli", "publish", "--all"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main(runs: int = 5) -> None:
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            make_project(root)
            cold.append(run(root))
            warm.append(run(root))
            files = sum(1 for p in (root / "site").rglob("*") if p.is_file())
            size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
    print(f"publish --all, {ISSUES} issues, {runs} runs: {files} files, {size / 1024:.0f} KB")
    print(f"  empty folder:      median {statistics.median(cold):.2f} s, max {max(cold):.2f} s")
    print(f"  again (unchanged): median {statistics.median(warm):.2f} s, max {max(warm):.2f} s")
    worst = max(cold + warm)
    print(f"  target {TARGET:.0f} s: {'met' if worst < TARGET else 'MISSED'}")
    if worst >= TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

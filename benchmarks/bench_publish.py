"""Time `newsletter publish --all` on two years of issues (24, made from the two samples).

Each generated issue is a sample with its links filled in, a new month's name and date,
and its events moved by the same number of months. Whole process (what a person or CI
runs), first on an empty folder, then again (nothing changed: nothing rewritten).

Run: .venv/bin/python benchmarks/bench_publish.py [runs]
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Time the tool as installed: pip writes Python's bytecode cache at install time, so the
#: children may too (an environment's PYTHONDONTWRITEBYTECODE=1 would recompile every run).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

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
    for part in ("recipients", "images", "newsletter.toml"):
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


def run(root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole `publish --all` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsletter_cli", "publish", "--all"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    load = os.getloadavg()[0]
    print(f"publish --all, {ISSUES} issues, {runs} runs: {files} files, {size / 1024:.0f} KB "
          f"(load average {load:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    for label, times in (("empty folder", cold), ("again, unchanged", warm)):
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        print(f"  {label:<17} wall median {statistics.median(walls):.2f} s (max {max(walls):.2f}), "
              f"CPU median {statistics.median(cpus):.2f} s")  # fmt: skip
    best = statistics.median([w for w, _ in cold])
    print(f"  target {TARGET:.0f} s (median, empty folder): {'met' if best < TARGET else 'MISSED'}")
    if best >= TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

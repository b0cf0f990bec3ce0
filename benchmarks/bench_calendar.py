"""Benchmark: build an issue whose one event has N sittings on one day (default 400).

Run: .venv/bin/python benchmarks/bench_calendar.py [--sittings N]
The sample project is copied, an issue with one event of N sittings (10 minutes each,
from 08:00) is written, and `build_issue` and `calendar_entries` are timed in-process.
Target: 400 sittings build in under 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def issue_text(sittings: int) -> str:
    """An issue with one event of ``sittings`` sittings on 14 October 2025."""
    start = datetime(2025, 10, 14, 0, 0)
    lines = [
        'title: "Many sittings"', 'issue_date: "2025-09-19"', "blocks:",
        "  - kind: event", '    title: "Drop-in clinic"', "    location: Online",
        "    sessions:",
    ]  # fmt: skip
    for n in range(sittings):
        at = start + timedelta(minutes=3 * n)
        lines.append(f'      - start: "{at:%Y-%m-%d %H:%M}"')
        lines.append(f'        end: "{at + timedelta(minutes=3):%H:%M}"')
    return "\n".join(lines) + "\n"


def main(sittings: int) -> None:
    from newsletter_cli.build import build_issue
    from newsletter_cli.calendar import calendar_entries
    from newsletter_cli.model.issue import load_issue
    from newsletter_cli.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in ("issues", "recipients", "images", "newsletter.toml"):
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            else:
                shutil.copy2(source, root / part)
        path = root / "issues" / "many-sittings.yaml"
        path.write_text(issue_text(sittings), encoding="utf-8")
        started = time.perf_counter()
        entries = calendar_entries(load_issue(path))
        calendar = time.perf_counter() - started
        started = time.perf_counter()
        build_issue(path, Project(root))
        build = time.perf_counter() - started
    print(f"{sittings} sittings on one day: calendar_entries {calendar:.2f} s "
          f"({len(entries)} files), build_issue {build:.2f} s (target: under 2 s)")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sittings", type=int, default=400)
    main(parser.parse_args().sittings)

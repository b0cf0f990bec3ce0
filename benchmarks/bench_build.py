"""Time `newsletter build` on the September sample as a whole process, and in-process.

Run: .venv/bin/python benchmarks/bench_build.py [runs]
"""

from __future__ import annotations

import os
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
ISSUE = "issues/2025-09-regional-update.yaml"


def main(runs: int = 10) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in ("issues", "recipients", "images", "newsletter.toml"):
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, root / part)
            elif source.exists():
                shutil.copy2(source, root / part)
        command = [sys.executable, "-m", "newsletter_cli", "build", ISSUE]
        whole = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=root, check=True, capture_output=True)
            whole.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import newsletter_cli.cli"], cwd=root, check=True)
        startup = time.perf_counter() - start

        sys.path.insert(0, str(REPO))
        from newsletter_cli.build import build_issue
        from newsletter_cli.project import Project

        project = Project(root)
        build_issue(root / ISSUE, project)  # warm
        inner = []
        for _ in range(runs):
            start = time.perf_counter()
            build_issue(root / ISSUE, project)
            inner.append(time.perf_counter() - start)
    print(f"build {ISSUE}, {runs} runs")
    print(
        f"  whole process: median {statistics.median(whole) * 1000:.0f} ms, "
        f"max {max(whole) * 1000:.0f} ms"
    )
    print(f"  in-process (warm): median {statistics.median(inner) * 1000:.0f} ms")
    print(f"  CLI start (import newsletter_cli.cli): {startup * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)

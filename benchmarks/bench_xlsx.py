"""Benchmark: load 100,000 contacts from an .xlsx workbook, beside the same rows as CSV.

Run: .venv/bin/python benchmarks/bench_xlsx.py [--contacts N]
The contacts of bench_lists.py are written once as contacts.csv and once as
contacts.xlsx (by openpyxl, with a title row above the header); each
is loaded with load_roster() in a child process, so its time and peak memory are its own.
The size checks made before the workbook is opened (recipients/limits.py: the zip's
directory, the shared strings counted) are timed on their own too. Target (issue 15): a
5,000-row workbook (--contacts 5000) loads in under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_workbook(csv_path: Path, xlsx_path: Path) -> None:
    """The CSV's rows in a workbook below a title row, written in openpyxl's streaming mode."""
    import csv

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    title = WriteOnlyCell(sheet, value="West Midlands contacts (made up for the benchmark)")
    sheet.append([title])
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    book.save(xlsx_path)


def child(root: str) -> None:
    from newsletter_cli.project import Project
    from newsletter_cli.recipients import load_roster
    from newsletter_cli.recipients.limits import check_workbook_size

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workbooks = list((Path(root) / "recipients").glob("*.xlsx"))
    started = time.perf_counter()
    for path in workbooks:
        check_workbook_size(path, path.name)
    checks = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    roster = load_roster(Project(Path(root)))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                      "size_checks_ms": round(checks * 1000, 1),
                      "contacts": len(roster.contacts),
                      "problems": len(roster.problems), "peak_rss_mb": round(peak, 1),
                      "rss_before_mb": round(before, 1)}))  # fmt: skip


def main(count: int, repeats: int) -> None:
    from benchmarks.bench_lists import make_project

    with tempfile.TemporaryDirectory() as folder:
        csv_root = Path(folder) / "csv"
        make_project(csv_root, count)
        xlsx_root = Path(folder) / "xlsx"
        make_project(xlsx_root, count)
        recipients = xlsx_root / "recipients"
        write_workbook(recipients / "contacts.csv", recipients / "contacts.xlsx")
        (recipients / "contacts.csv").unlink()
        size = (recipients / "contacts.xlsx").stat().st_size / 1e6
        runs: dict[str, list[dict]] = {"csv": [], "xlsx": []}
        for _ in range(repeats):  # alternating, so both see the same machine load
            for kind, root in (("csv", csv_root), ("xlsx", xlsx_root)):
                out = subprocess.run([sys.executable, __file__, "--child", str(root)],
                                     capture_output=True, text=True, check=True,
                                     cwd=ROOT)  # fmt: skip
                runs[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
        results = {kind: min(figures, key=lambda f: f["seconds"]) for kind, figures in runs.items()}
        assert results["csv"]["contacts"] == results["xlsx"]["contacts"]
        assert results["csv"]["problems"] == results["xlsx"]["problems"]
        median = {kind: {key: statistics.median(f[key] for f in figures)
                         for key in ("seconds", "cpu_seconds")}
                  for kind, figures in runs.items()}  # fmt: skip
        print(f"{repeats} alternating runs each, load {os.getloadavg()[0]:.1f}; xlsx / csv: "
              f"{median['xlsx']['seconds'] / median['csv']['seconds']:.2f}x wall (median), "
              f"{median['xlsx']['cpu_seconds'] / median['csv']['cpu_seconds']:.2f}x CPU")
        for kind, figures in results.items():
            print(f"{kind:>4}: {count:,} rows -> {figures['contacts']:,} contacts in "
                  f"{median[kind]['seconds']:.2f} s median, {figures['seconds']:.2f} s best "
                  f"(CPU {median[kind]['cpu_seconds']:.2f} s median), "
                  f"peak memory {figures['peak_rss_mb']} MB "
                  f"({figures['rss_before_mb']} MB before loading)"
                  + (f"; workbook {size:.1f} MB, size checks {figures['size_checks_ms']} ms"
                     if kind == "xlsx" else ""))  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--contacts", type=int, default=100_000)
        parser.add_argument("--repeats", type=int, default=3)
        arguments = parser.parse_args()
        main(arguments.contacts, arguments.repeats)

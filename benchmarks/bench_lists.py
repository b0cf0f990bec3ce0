"""Benchmark: load and resolve 100,000 contacts (time and peak memory).

Run: .venv/bin/python benchmarks/bench_lists.py [--contacts N]
Generates a contacts CSV (with some duplicates and invalid rows), a suppression file
and the sample lists file in a temporary folder, then times load_roster() and
resolve() of every list, and measures peak Python memory with tracemalloc.
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsletter_cli.project import Project
from newsletter_cli.recipients import load_roster

REPO = Path(__file__).resolve().parent.parent
ROLES = (
    "dcs", "send-lead", "send-lead; send-coordinator", "safeguarding-rep", "participation-lead",
    "families-first-lead", "families-first-lead; care-leavers-lead", "regional-team",
    "participation-lead; care-leavers-lead", "dcs; riia-sponsor",
)  # fmt: skip
AUTHORITIES = (
    "birmingham", "coventry", "dudley", "herefordshire", "sandwell", "shropshire", "solihull",
    "staffordshire", "stoke", "telford", "walsall", "warwickshire", "wolverhampton",
    "worcestershire",
)  # fmt: skip


def make_project(root: Path, count: int) -> Project:
    """A project with ``count`` contacts rows (0.5% duplicates, 0.1% invalid), 1% suppressed."""
    folder = root / "recipients"
    folder.mkdir(parents=True)
    (root / "newsletter.toml").write_text("")
    shutil.copy(REPO / "recipients" / "lists.yaml", folder / "lists.yaml")
    rows = ["email,name,organisation,role,tags"]
    suppressed = ["email,reason"]
    for i in range(count):
        la = AUTHORITIES[i % len(AUTHORITIES)]
        email = f"person.{i}@{la}.example.org"
        if i % 1000 == 999:
            email = f"person {i}@{la}.example.org"  # invalid: a space
        elif i % 200 == 199:
            other = AUTHORITIES[(i - 100) % len(AUTHORITIES)].upper()
            email = f"PERSON.{i - 100}@{other}.example.org"  # a duplicate, in another case
        if i % 100 == 50:
            suppressed.append(f"{email},unsubscribed")
        tags = ROLES[i % len(ROLES)]
        rows.append(f'{email},Person {i},{la.title()} Council,Officer,"{tags}"')
    (folder / "contacts.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    (folder / "suppressions.csv").write_text("\n".join(suppressed) + "\n")
    return Project(root)


def run(project: Project) -> tuple[float, float, float, dict[str, int], int]:
    start = time.perf_counter()
    roster = load_roster(project)
    loaded = time.perf_counter()
    sizes = {name: len(roster.resolve([name]).members) for name in roster.list_names()}
    resolved = time.perf_counter()
    for contact in roster.resolve(["everyone"]).members:
        roster.audience_keys(contact)
    keyed = time.perf_counter()
    return loaded - start, resolved - loaded, keyed - resolved, sizes, len(roster.problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "proj", args.contacts)
        size = (project.recipients_dir / "contacts.csv").stat().st_size
        timings = []
        for _ in range(3):
            gc.collect()
            timings.append(run(project))
        load_s, resolve_s, keys_s, sizes, problems = min(timings, key=lambda t: t[0] + t[1])
        gc.collect()
        tracemalloc.start()
        roster = load_roster(project)
        for name in roster.list_names():
            roster.resolve([name])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        kept = len(roster.contacts)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"machine: {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.machine()}, {__import__('os').cpu_count()} cores")
    print(f"contacts rows: {args.contacts:,} ({size / 1e6:.1f} MB CSV); kept {kept:,} "
          f"after merging duplicates; {problems:,} problems reported")
    print(f"load (read + validate + merge): {load_s:.2f} s   (best of 3)")
    print(f"resolve all {len(sizes)} lists: {resolve_s:.2f} s "
          f"(everyone: {sizes.get('everyone', 0):,} members)")
    print(f"total load + resolve: {load_s + resolve_s:.2f} s")
    print(f"audience_keys() for every member of 'everyone': {keys_s:.2f} s")
    print(f"peak traced Python memory: {peak / 2**20:.0f} MiB; "
          f"process max RSS: {maxrss_kb / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

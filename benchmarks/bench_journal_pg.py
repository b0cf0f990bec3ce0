"""The journal with 100,000 recipients: the shared PostgreSQL store beside the SQLite one.

For each store, in a process of its own (so each has its own memory figure):

- enqueue 100,000 recipients (name, organisation, lists) for a live send;
- claim them in batches of 1,000, each claim checking its batch against the issue's
  other sends under the issue's lock (as ``send`` does), and record each batch accepted;
- a second send of the issue to 100,000 people, half of whom the first reached: the
  once-per-issue look-up when planning (``received``), then ``skip_received`` at its start.

PostgreSQL runs in a throwaway cluster (tests/support/pgcluster.py: Debian's postgresql, fsync
off, over TCP on 127.0.0.1, so every statement pays a real round trip but no network
latency); SQLite is the usual WAL file with synchronous=FULL. Times are the median of
three runs; memory is the client process's peak RSS (the server's own is not counted).

    .venv/bin/python benchmarks/bench_journal_pg.py
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from newsletter_cli.journal import Person  # noqa: E402
from newsletter_cli.journal.status import SENDABLE, Outcome, Status  # noqa: E402
from newsletter_cli.journal.store import JournalStore  # noqa: E402

ISSUE = "2025-09-regional-update"
PEOPLE, BATCH, RUNS = 100_000, 1000, 3


def steps(journal: JournalStore) -> dict[str, float]:
    first, second = f"{ISSUE}--everyone-aaaaaa", f"{ISSUE}--network-bbbbbb"
    for send_id in (first, second):
        journal.open_send(send_id, issue=ISSUE, lists=["everyone"], mode="live",
                          backend="sendgrid", subject="s", issue_sha="x")  # fmt: skip
    people = [Person(f"p{i:06d}@example.org", f"Person {i} Surname", f"Council {i % 14}",
                     ("everyone", "dcs")) for i in range(PEOPLE)]  # fmt: skip
    emails = [p.email for p in people]
    times: dict[str, float] = {}

    started = time.perf_counter()
    journal.enqueue(first, people)
    times["enqueue"] = time.perf_counter() - started

    started = time.perf_counter()
    claim_time = 0.0
    for number, at in enumerate(range(0, PEOPLE, BATCH), start=1):
        chunk = emails[at : at + BATCH]
        before = time.perf_counter()
        claim = journal.claim(first, chunk, among=SENDABLE, batch=number, issue=ISSUE)
        claim_time += time.perf_counter() - before
        assert len(claim.sending) == len(chunk), "wrong claim"
        journal.record(first, [Outcome(e, Status.ACCEPTED, message_id=f"m{e}") for e in chunk])
    times["claims"] = claim_time
    times["records"] = time.perf_counter() - started - claim_time

    others = emails[PEOPLE // 2 :] + [f"new{i:06d}@example.org" for i in range(PEOPLE // 2)]
    journal.enqueue(second, [Person(e) for e in others])
    started = time.perf_counter()
    reached = journal.received(ISSUE, exclude=second, among=others)
    times["look-up"] = time.perf_counter() - started
    started = time.perf_counter()
    skipped = journal.skip_received(second, ISSUE, delivering=True, among=SENDABLE)
    times["skip"] = time.perf_counter() - started
    assert len(reached) == len(skipped) == PEOPLE // 2, "wrong look-up"
    return times


def child(store: str, url: str | None) -> None:
    """One store, RUNS times, each in a fresh journal; prints JSON."""
    runs = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            if store == "sqlite":
                from newsletter_cli.journal import SQLiteJournal

                journal = SQLiteJournal(Path(folder) / "journal.sqlite")
            else:
                from newsletter_cli.journal.postgres import PostgresJournal

                journal = PostgresJournal(url.replace("{n}", str(len(runs))))
            with journal:
                runs.append(steps(journal))
    figures = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def run_child(store: str, url: str | None = None) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, store, url or ""], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def main() -> None:
    from support.pgcluster import start_cluster

    cluster = start_cluster()
    try:
        names = [cluster.new_database().rsplit("/", 1)[1] for _ in range(RUNS)]
        template = cluster.url(names[0]).replace(names[0], "journal_bench_{n}")
        for n, name in enumerate(names):
            cluster.sql(f"ALTER DATABASE {name} RENAME TO journal_bench_{n}")
        results = {"SQLite": run_child("sqlite"), "PostgreSQL": run_child("postgresql", template)}
    finally:
        cluster.stop()
    print(f"journal with {PEOPLE:,} recipients, batches of {BATCH:,} (median of {RUNS} runs)")
    print(f"{'':12}{'enqueue':>10}{'100 claims':>12}{'100 records':>13}{'look-up':>10}"
          f"{'skip 50k':>10}{'peak RSS':>10}")  # fmt: skip
    for name, f in results.items():
        print(f"{name:12}{f['enqueue']:>9.2f}s{f['claims']:>11.2f}s{f['records']:>12.2f}s"
              f"{f['look-up']:>9.2f}s{f['skip']:>9.2f}s{f['rss_mb']:>7.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1], sys.argv[2] or None)
    else:
        main()

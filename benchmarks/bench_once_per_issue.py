"""The cost of "once per person per issue" for a 10,000-recipient send.

A journal already holds 100,000 rows of the same issue (ten earlier live sends of
10,000 people each, all accepted). A new send of that issue to 10,000 people, half of
whom an earlier send reached, then pays for:

- the look-up when planning (``JournalStore.received``, as ``send --dry-run`` does);
- ``skip_received`` when the run starts (marks the 5,000 already reached ``skipped``);
- ten claims of 1,000 (each re-checks its batch against the other sends, atomically).

Each is compared with the same steps against an empty journal (no earlier rows).

    .venv/bin/python benchmarks/bench_once_per_issue.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsletter_cli.journal import Person, SQLiteJournal  # noqa: E402
from newsletter_cli.journal.status import SENDABLE, Outcome, Status  # noqa: E402

ISSUE = "2025-09-regional-update"
EARLIER_SENDS, PER_SEND, NEW = 10, 10_000, 10_000
BATCH = 1000


def fill(journal: SQLiteJournal) -> None:
    """Ten earlier live sends of the issue, 10,000 accepted people each (100,000 rows)."""
    for n in range(EARLIER_SENDS):
        send_id = f"{ISSUE}--list{n}-000000"
        journal.open_send(send_id, issue=ISSUE, lists=[f"list{n}"], mode="live",
                          backend="sendgrid", subject="s", issue_sha="x")  # fmt: skip
        people = [Person(f"p{n}-{i:05d}@example.org", f"Person {i}", "Council", (f"list{n}",))
                  for i in range(PER_SEND)]  # fmt: skip
        journal.enqueue(send_id, people)
        journal.record(send_id, [Outcome(p.email, Status.ACCEPTED, "m") for p in people])


def new_send(journal: SQLiteJournal) -> list[str]:
    """The new send: 5,000 people an earlier send reached, 5,000 new ones."""
    emails = [f"p0-{i:05d}@example.org" for i in range(NEW // 2)]
    emails += [f"new-{i:05d}@example.org" for i in range(NEW // 2)]
    journal.open_send(f"{ISSUE}--everyone-111111", issue=ISSUE, lists=["everyone"], mode="live",
                      backend="sendgrid", subject="s", issue_sha="x")  # fmt: skip
    journal.enqueue(f"{ISSUE}--everyone-111111", [Person(e) for e in emails])
    return emails


def measure(earlier: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        journal = SQLiteJournal(Path(folder) / "journal.sqlite")
        if earlier:
            fill(journal)
        emails = new_send(journal)
        send_id = f"{ISSUE}--everyone-111111"

        started = time.perf_counter()
        reached = journal.received(ISSUE, exclude=send_id, among=emails)
        plan = time.perf_counter() - started

        started = time.perf_counter()
        skipped = journal.skip_received(send_id, ISSUE, delivering=True, among=SENDABLE)
        start = time.perf_counter() - started

        statuses = journal.statuses(send_id)
        todo = [e for e in emails if statuses[e] is Status.QUEUED]
        started = time.perf_counter()
        claimed = 0
        for number, at in enumerate(range(0, len(todo), BATCH), start=1):
            claim = journal.claim(send_id, todo[at : at + BATCH], among=SENDABLE, batch=number,
                                  issue=ISSUE)  # fmt: skip
            claimed += len(claim.sending)
        claims = time.perf_counter() - started
        journal.close()
    expected = NEW // 2 if earlier else 0
    assert len(reached) == expected and len(skipped) == expected, "wrong look-up"
    assert claimed == NEW - expected, "wrong claims"
    return {"plan": plan, "start": start, "claims": claims}


def main() -> None:
    print(f"journal: {EARLIER_SENDS * PER_SEND:,} earlier rows of the issue; new send: {NEW:,}")
    for earlier in (False, True):
        runs = [measure(earlier) for _ in range(3)]
        figures = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        label = "with 100,000 earlier rows" if earlier else "empty journal (baseline)"
        print(f"{label:>28}: plan look-up {figures['plan'] * 1000:6.0f} ms, "
              f"skip at start {figures['start'] * 1000:6.0f} ms, "
              f"10 claims {figures['claims'] * 1000:6.0f} ms (median of 3)")


if __name__ == "__main__":
    main()

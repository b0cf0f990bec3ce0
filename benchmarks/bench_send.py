"""Time, peak memory and requests to send to 10,000 and 100,000 recipients.

The real ``sendgrid`` client sends to the fake SendGrid (tests/support/sendgrid_fake/)
on 127.0.0.1, which validates every request as SendGrid would. The send itself runs
in a child process so its peak memory is measured alone (the server keeps every
request it got, which would otherwise be counted). The fake runs in this process
(a thread), so its CPU is measured apart from the send's.

What is shown, for the send (from the first journal step to the last, the journal
opened and the issue rendered before): its wall time, its CPU time, how long it waited
for the fake's answers (inside the HTTP calls), and the tool's own time (the wall time
without those waits: what a send costs whatever the service's speed), and the fake's CPU.

    .venv/bin/python benchmarks/bench_send.py            # 10,000 and 100,000
    .venv/bin/python benchmarks/bench_send.py 5000       # other sizes
    .venv/bin/python benchmarks/bench_send.py 100000 --repeats 3   # medians of 3 runs
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.measure import peak_mib, rendered_email  # noqa: E402

API_KEY = "SG.benchmark-key"
SIZES = (10_000, 100_000)


def child(count: int, host: str, folder: str) -> None:
    """Send to ``count`` made-up contacts; print figures as JSON."""
    from newsletter_cli.delivery.backends.base import SendContext
    from newsletter_cli.delivery.backends.sendgrid import SendGridBackend
    from newsletter_cli.delivery.deliver import Variant, deliver
    from newsletter_cli.delivery.sendgrid_body import Envelope
    from newsletter_cli.journal import Journal
    from newsletter_cli.recipients.addresses import address_problem
    from newsletter_cli.recipients.contact import Contact

    email = rendered_email()
    contacts = [
        Contact(f"person{i:06d}@council{i % 40}.example.org", f"Person{i} Surname",
                f"Council {i % 40}", "Head of Service")
        for i in range(count)
    ]  # fmt: skip
    baseline = peak_mib()
    envelope = Envelope("team@example.org", "Regional Team", "replies@example.org", 4242,
                        ("regional-update",))  # fmt: skip
    backend = SendGridBackend(API_KEY, envelope, host=host)
    journal = Journal(Path(folder) / "journal.sqlite")
    send_id = "bench--everyone-000000"
    journal.open_send(send_id, issue=email.issue_name, lists=["everyone"], mode="live",
                      backend="sendgrid", subject=email.subject, issue_sha="")  # fmt: skip
    waited = _time_http_calls()
    started = time.perf_counter()
    cpu = time.process_time()
    context = SendContext(send_id, email.issue_name)
    variants = [Variant("all", email, contacts)]
    result = deliver(journal, backend, context, variants, address_problem=address_problem)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = peak_mib()
    print(json.dumps({
        "recipients": count,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "waited_seconds": round(waited[0], 2),
        "per_second": round(count / seconds),
        "requests": result.requests,
        "accepted": result.totals.get("accepted", 0),
        "peak_rss_mb": round(peak, 1),
        "rss_before_send_mb": round(baseline, 1),
        "html_bytes": len(email.html.encode()),
    }))  # fmt: skip


def _time_http_calls() -> list[float]:
    """Add up the wall time spent inside the client's HTTP calls (waiting for the fake)."""
    import python_http_client.client as http

    waited = [0.0]
    make_request = http.Client._make_request

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return make_request(self, *args, **kwargs)
        finally:
            waited[0] += time.perf_counter() - started

    http.Client._make_request = timed
    return waited


def one_run(count: int) -> dict:
    """One send to ``count`` against a fresh fake; its figures, the fake's CPU among them."""
    from tests.support.sendgrid_fake import FakeSendGrid

    with FakeSendGrid(API_KEY) as server, tempfile.TemporaryDirectory() as folder:
        server_cpu = time.process_time()  # the fake's threads: this one only waits
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(count), server.url, folder],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        server_cpu = time.process_time() - server_cpu
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        copies = Counter(server.accepted)
        assert len(copies) == count and max(copies.values()) == 1, "not exactly once"
        assert len(server.mail_requests) == figures["requests"]
    own = figures["seconds"] - figures["waited_seconds"]
    return {**figures, "own_seconds": round(own, 2), "server_cpu": round(server_cpu, 2)}


def main(sizes: list[int], repeats: int) -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f}; {repeats} run(s) each, medians")  # fmt: skip
    keys = ("seconds", "cpu_seconds", "waited_seconds", "own_seconds", "server_cpu",
            "peak_rss_mb")  # fmt: skip
    for count in sizes:
        runs = [one_run(count) for _ in range(repeats)]
        m = {key: statistics.median(r[key] for r in runs) for key in keys}
        each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(
            f"{count:>7,} recipients: {m['seconds']:>6.2f} s (runs {each}; "
            f"CPU {m['cpu_seconds']:.2f} s; waiting for the fake's answers "
            f"{m['waited_seconds']:.2f} s, so the tool's own time {m['own_seconds']:.2f} s; "
            f"the fake's CPU {m['server_cpu']:.2f} s), {runs[0]['requests']} requests, "
            f"peak memory {m['peak_rss_mb']} MiB "
            f"(of which {runs[0]['rss_before_send_mb']} MiB before sending), "
            f"each address accepted exactly once"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("sizes", type=int, nargs="*", default=list(SIZES))
        parser.add_argument("--repeats", type=int, default=1)
        arguments = parser.parse_args()
        main(arguments.sizes, arguments.repeats)

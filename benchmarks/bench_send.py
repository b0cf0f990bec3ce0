"""Time, peak memory and requests to send to 10,000 and 100,000 recipients.

The real ``sendgrid`` client sends to the fake SendGrid (tests/support/sendgrid_fake/)
on 127.0.0.1, which validates every request as SendGrid would. The send itself runs
in a child process so its peak memory is measured alone (the server keeps every
request it got, which would otherwise be counted).

    .venv/bin/python benchmarks/bench_send.py            # 10,000 and 100,000
    .venv/bin/python benchmarks/bench_send.py 5000       # other sizes
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_KEY = "SG.benchmark-key"
SIZES = (10_000, 100_000)


def rendered_email():
    """The September sample rendered once with recipient tokens (as a real send does)."""
    from newsletter_cli.issue import load_issue
    from newsletter_cli.project import Project
    from newsletter_cli.render import TOKENS, render_email

    project = Project(ROOT)
    issue = load_issue(ROOT / "issues" / "2025-09-regional-update.yaml")
    return render_email(issue, project, audience=None, recipient=TOKENS)


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
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    envelope = Envelope("team@example.org", "Regional Team", "replies@example.org", 4242,
                        ("regional-update",))  # fmt: skip
    backend = SendGridBackend(API_KEY, envelope, host=host)
    journal = Journal(Path(folder) / "journal.sqlite")
    send_id = "bench--everyone-000000"
    journal.open_send(send_id, issue=email.issue_name, lists=["everyone"], mode="live",
                      backend="sendgrid", subject=email.subject, issue_sha="")  # fmt: skip
    started = time.perf_counter()
    cpu = time.process_time()
    context = SendContext(send_id, email.issue_name)
    variants = [Variant("all", email, contacts)]
    result = deliver(journal, backend, context, variants, address_problem=address_problem)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "recipients": count,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "per_second": round(count / seconds),
        "requests": result.requests,
        "accepted": result.totals.get("accepted", 0),
        "peak_rss_mb": round(peak, 1),
        "rss_before_send_mb": round(baseline, 1),
        "html_bytes": len(email.html.encode()),
    }))  # fmt: skip


def main(sizes: list[int]) -> None:
    from tests.support.sendgrid_fake import FakeSendGrid

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    for count in sizes:
        with FakeSendGrid(API_KEY) as server, tempfile.TemporaryDirectory() as folder:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(count), server.url, folder],
                capture_output=True, text=True, check=True, cwd=ROOT,
            )  # fmt: skip
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            copies = Counter(server.accepted)
            assert len(copies) == count and max(copies.values()) == 1, "not exactly once"
            assert len(server.mail_requests) == figures["requests"]
            print(
                f"{count:>7,} recipients: {figures['seconds']:>6.2f} s "
                f"({figures['per_second']:,}/s, CPU {figures['cpu_seconds']:.2f} s), "
                f"{figures['requests']} requests, "
                f"peak memory {figures['peak_rss_mb']} MB "
                f"(of which {figures['rss_before_send_mb']} MB before sending), "
                f"each address accepted exactly once"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main([int(a) for a in sys.argv[1:]] or list(SIZES))

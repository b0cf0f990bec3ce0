"""Time and peak memory to send to 10,000 recipients through SMTP, beside a plain smtplib loop.

A local aiosmtpd server on 127.0.0.1 takes every message (it counts them and keeps
nothing). Each run is a child process, so its peak memory is its own:

- ``newsletter``: :func:`deliver` with the SMTP backend, one message per recipient
  (the outbox's bytes), the journal committed before and after each message;
- ``smtplib loop``: what a hand-written script does (mailmerge-style): build each
  message with the email package and ``send_message`` it, no journal, no resume.

    .venv/bin/python benchmarks/bench_smtp.py            # 10,000
    .venv/bin/python benchmarks/bench_smtp.py 2000       # other sizes
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (10_000,)


def rendered_email():
    """The September sample rendered once with recipient tokens (as a real send does)."""
    from newsletter_cli.issue import load_issue
    from newsletter_cli.project import Project
    from newsletter_cli.render import TOKENS, render_email

    issue = load_issue(ROOT / "issues" / "2025-09-regional-update.yaml")
    return render_email(issue, Project(ROOT), audience=None, recipient=TOKENS)


def contacts(count: int):
    from newsletter_cli.recipients.contact import Contact

    return [
        Contact(f"person{i:06d}@council{i % 40}.example.org", f"Person{i} Surname",
                f"Council {i % 40}", "Head of Service")
        for i in range(count)
    ]  # fmt: skip


def child(kind: str, count: int, port: int, folder: str) -> None:
    """Send to ``count`` made-up contacts one way; print figures as JSON."""
    from newsletter_cli.delivery.message import Letterhead, personal_message

    email = rendered_email()
    people = contacts(count)
    letterhead = Letterhead("team@example.org", "Regional Team", "replies@example.org")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if kind == "newsletter":
        from newsletter_cli.delivery.backends.base import SendContext
        from newsletter_cli.delivery.backends.smtp import SmtpBackend
        from newsletter_cli.delivery.deliver import Variant, deliver
        from newsletter_cli.delivery.smtp_settings import SmtpServer
        from newsletter_cli.journal import Journal
        from newsletter_cli.recipients.addresses import address_problem

        backend = SmtpBackend(SmtpServer("127.0.0.1", port, "none"), None, letterhead)
        journal = Journal(Path(folder) / "journal.sqlite")
        send_id = "bench--everyone-smtp00"
        journal.open_send(send_id, issue=email.issue_name, lists=["everyone"], mode="live",
                          backend="smtp", subject=email.subject, issue_sha="")  # fmt: skip
        variants = [Variant("all", email, people)]
        context = SendContext(send_id, email.issue_name)
        result = deliver(journal, backend, context, variants, address_problem=address_problem)
        backend.close()
        accepted = result.totals.get("accepted", 0)
        connections = backend.connections
    else:
        import smtplib

        accepted, connections = 0, 1
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for contact in people:
                msg = personal_message(email, contact, letterhead, issue_name=email.issue_name,
                                       send_id="bench")  # fmt: skip
                smtp.send_message(msg)
                accepted += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "per_second": round(count / seconds),
                      "accepted": accepted, "connections": connections,
                      "peak_rss_mb": round(peak, 1),
                      "rss_before_send_mb": round(baseline, 1)}))  # fmt: skip


class Counting:
    """An aiosmtpd handler that counts messages and bytes, keeping nothing."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.recipients: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.bytes += len(envelope.original_content or b"")
        self.recipients.update(envelope.rcpt_tos)
        return f"250 2.0.0 Ok: queued as B{self.messages:06d}"


def main(sizes: list[int]) -> None:
    from aiosmtpd.controller import Controller

    from tests.delivery.smtp_sink import free_port

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for count in sizes:
        for kind in ("newsletter", "smtplib loop"):
            handler = Counting()
            controller = Controller(handler, hostname="127.0.0.1", port=free_port())
            controller.start()
            try:
                with tempfile.TemporaryDirectory() as folder:
                    out = subprocess.run(
                        [sys.executable, __file__, "--child", kind, str(count),
                         str(controller.port), folder],
                        capture_output=True, text=True, check=True, cwd=ROOT,
                    )  # fmt: skip
            finally:
                controller.stop()
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            assert handler.messages == count and len(handler.recipients) == count
            assert figures["accepted"] == count
            print(
                f"{kind:>13}: {count:,} recipients in {figures['seconds']:.1f} s "
                f"({figures['per_second']:,} messages/s), {figures['connections']} connection(s), "
                f"{handler.bytes / count / 1024:.0f} KB a message, peak memory "
                f"{figures['peak_rss_mb']} MB ({figures['rss_before_send_mb']} MB before sending)"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        main([int(a) for a in sys.argv[1:]] or list(SIZES))

"""Time and peak memory of `suppressions sync` over 50,000 suppressed addresses (paged, 500 a
request) and of `report` for a 10,000-recipient send, against the fake SendGrid.

The fake (tests/support/sendgrid_fake/) runs in this process; the measured command runs in a
child process, so its peak memory is its own. The real ``sendgrid`` client talks to the
fake over 127.0.0.1. Target: each under 5 s.

    .venv/bin/python benchmarks/bench_reports.py
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

API_KEY = "SG.benchmark-key"
GROUP = 12345
SUPPRESSED = {"bounces": 30_000, "blocks": 8_000, "spam_reports": 3_000, "invalid_emails": 2_000,
              "unsubscribes": 3_000, "group": 4_000}  # fmt: skip
RECIPIENTS = 10_000


def project(folder: Path) -> Path:
    """A copy of the sample project (its contacts, lists and newsletter.toml)."""
    for part in ("recipients", "newsletter.toml", "issues"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, folder / part)
    return folder


def child(what: str, host: str, folder: str) -> None:
    """Run one command in-process; print seconds and peak memory as JSON."""
    from newsletter_cli.delivery.sendgrid_http import client
    from newsletter_cli.project import Project

    api = client(API_KEY, host)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if what == "sync":
        from newsletter_cli.reports.sync import sync_suppressions

        result = sync_suppressions(Project(Path(folder)), api=api)
        figures = {"new": len(result.new), "held": result.held}
    else:
        from rich.console import Console

        from newsletter_cli.reports.html import render
        from newsletter_cli.reports.report import build_report
        from newsletter_cli.reports.terminal import show

        report = build_report(Project(Path(folder)), send_id="bench--everyone-000000", api=api,
                              now=time.time() + 3 * 86400)  # fmt: skip
        show(report, Console(file=open(os.devnull, "w"), width=80))
        page = render(report)
        figures = {"recipients": len(report.recipients), "html_kb": len(page) // 1024,
                   "requests": report.totals["requests"]}  # fmt: skip
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
                      "rss_before_mb": round(before, 1), **figures}))  # fmt: skip


def run_child(what: str, server, folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", what, server.url, str(folder)],
                         capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_sync(fake_class) -> None:
    with fake_class(API_KEY) as fake, tempfile.TemporaryDirectory() as tmp:
        folder = project(Path(tmp))
        fake.add_group(GROUP)
        created = int(time.time()) - 86400
        n = 0
        for kind, count in SUPPRESSED.items():
            for _ in range(count):
                extra = {"group": GROUP} if kind == "group" else {}
                fake.hold(kind, f"person{n:06d}@council{n % 40}.example.org", created - n, **extra)
                n += 1
        figures = run_child("sync", fake, folder)
        pages = sum(1 for r in fake.requests if r.path.startswith("/v3/suppression/"))
        assert figures["new"] == n, figures
        again = run_child("sync", fake, folder)
        assert again["new"] == 0, again
        print(f"suppressions sync, {n:,} suppressed: {figures['seconds']:.2f} s, {pages} paged "
              f"requests, peak {figures['peak_rss_mb']} MB; second run (nothing new) "
              f"{again['seconds']:.2f} s")  # fmt: skip


def bench_report(fake_class) -> None:
    from newsletter_cli.delivery.backends.base import SendContext
    from newsletter_cli.delivery.backends.sendgrid import SendGridBackend
    from newsletter_cli.delivery.deliver import Variant, deliver
    from newsletter_cli.delivery.sendgrid_body import Envelope
    from newsletter_cli.journal import SQLiteJournal
    from newsletter_cli.recipients.contact import Contact
    from newsletter_cli.render import RenderedEmail

    with fake_class(API_KEY) as fake, tempfile.TemporaryDirectory() as tmp:
        folder = project(Path(tmp))
        contacts = [Contact(f"person{i:06d}@council{i % 40}.example.org", f"Person{i} Surname",
                            f"Council {i % 40}") for i in range(RECIPIENTS)]  # fmt: skip
        email = RenderedEmail("Subject", "", '<a href="%unsubscribe_url%">Unsubscribe</a>',
                              "Unsubscribe: %unsubscribe_url%", "bench")  # fmt: skip
        envelope = Envelope("team@example.org", "Team", None, GROUP, ("regional-update",))
        journal = SQLiteJournal(folder / ".newsletter" / "journal.sqlite")
        send_id = "bench--everyone-000000"
        journal.open_send(send_id, issue="bench", lists=["everyone"], mode="live",
                          backend="sendgrid", subject="Subject", issue_sha="")  # fmt: skip
        deliver(journal, SendGridBackend(API_KEY, envelope, host=fake.url),
                SendContext(send_id, "bench"), [Variant("all", email, contacts)])  # fmt: skip
        journal.close()
        start = time.time()
        for i, message in enumerate(fake.messages):  # a week of what readers did
            day = start + (i % 7) * 86400 / 3
            if i % 2 == 0:
                message["events"] += [("open", day), ("open", day + 3600)]
            if i % 7 == 0:
                message["events"].append(("click", day + 60))
            if i % 97 == 0:
                message["events"].append(("bounce", start + 60))
                fake.hold("bounces", message["to_email"], start + 60)
            if i % 211 == 0:
                fake.hold("group", message["to_email"], start + 3600, group=GROUP)
        figures = run_child("report", fake, folder)
        queries = sum(1 for r in fake.requests if r.path.startswith("/v3/messages"))
        assert figures["recipients"] == RECIPIENTS and figures["requests"] == RECIPIENTS, figures
        print(f"report, {RECIPIENTS:,}-recipient send (Email Activity, {queries} queries; "
              f"terminal and HTML): {figures['seconds']:.2f} s, peak {figures['peak_rss_mb']} MB, "
              f"page {figures['html_kb']} KB")  # fmt: skip


def main() -> None:
    from tests.support.sendgrid_fake import FakeSendGrid

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    bench_sync(FakeSendGrid)
    bench_report(FakeSendGrid)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()

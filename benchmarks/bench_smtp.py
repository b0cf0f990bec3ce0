"""Time and peak memory to send through SMTP, beside mailmerge 2.3.0 and a plain smtplib loop.

A local aiosmtpd server on 127.0.0.1 takes every message (it counts them and keeps
nothing). The server is the same for every kind: a fresh one for each run, in a thread
of this script's process, while the sender runs as a process of its own (so the two
never share a Python interpreter, and the server's CPU is measured apart from the
sender's). Each run is a child process, so its peak memory is its own:

- ``newsletter``: :func:`deliver` with the SMTP backend, one message per recipient
  (the outbox's bytes, each version built once and filled in per recipient), one journal
  commit per message (the recipient put in flight, with the previous one's outcome);
- ``mailmerge``: mailmerge 2.3.0 (awdeorio) sending the same HTML (its fastest form: one
  text/html part; with a text part too it parses each message's HTML with html5lib, three
  times slower), tokens turned into Jinja2 fields, one row per recipient in its CSV (timed
  as a whole process, its start included; it connects again for every message);
- ``smtplib loop``: a hand-written script: build each message from scratch with the
  email package (``personal_message``) and ``send_message`` it, no journal, no resume.

mailmerge is installed in a venv of its own, never the project's; say where:

    python3 -m venv /tmp/mailmerge && /tmp/mailmerge/bin/pip install mailmerge==2.3.0
    export MAILMERGE=/tmp/mailmerge/bin/mailmerge
    .venv/bin/python benchmarks/bench_smtp.py 2000 --repeats 3

Without MAILMERGE the mailmerge run is left out. The default size is 2,000; the kinds
alternate, and the medians of the runs are shown (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.measure import peak_mib, rendered_email  # noqa: E402

SIZES = (2_000,)
KINDS = ("newsletter", "mailmerge", "smtplib loop")


def contacts(count: int):
    from newsletter_cli.recipients.contact import Contact

    return [
        Contact(f"person{i:06d}@council{i % 40}.example.org", f"Person{i} Surname",
                f"Council {i % 40}", "Head of Service")
        for i in range(count)
    ]  # fmt: skip


def mailmerge_files(folder: Path, count: int) -> list[str]:
    """mailmerge's template, CSV and server settings for the same messages; its arguments."""
    import csv

    from newsletter_cli.delivery.message import unsubscribe_mailto
    from newsletter_cli.render import TOKENS, UNSUBSCRIBE_SLOT

    email = rendered_email()
    fields = {**{token: name for name, token in TOKENS.items()},
              UNSUBSCRIBE_SLOT: "unsubscribe_url"}  # fmt: skip
    pattern = re.compile("|".join(re.escape(token) for token in fields))

    def jinja(text: str) -> str:  # the tokens as Jinja2 fields, everything else kept raw
        parts = pattern.split(text)
        found = pattern.findall(text)
        out = [f"{{% raw %}}{parts[0]}{{% endraw %}}"]
        for token, rest in zip(found, parts[1:], strict=True):
            out.append(f"{{{{{fields[token]}}}}}{{% raw %}}{rest}{{% endraw %}}")
        return "".join(out)

    template = (
        "TO: {{name}} <{{email}}>\nFROM: Regional Team <team@example.org>\n"
        f"REPLY-TO: replies@example.org\nSUBJECT: {email.subject}\nMIME-Version: 1.0\n"
        f"Content-Type: text/html; charset=utf-8\n\n{jinja(email.html)}"
    )  # HTML only: mailmerge parses every multipart message's HTML with html5lib (3x slower)
    (folder / "template.txt").write_text(template, encoding="utf-8")
    with open(folder / "database.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "name", "first_name", "organisation", "role",
                         "unsubscribe_url"])  # fmt: skip
        for contact in contacts(count):
            link = unsubscribe_mailto("replies@example.org", contact.email)
            writer.writerow([*contact.fields().values(), link])
    return ["--template", str(folder / "template.txt"), "--database", str(folder / "database.csv"),
            "--config", str(folder / "server.conf")]  # fmt: skip


def run_mailmerge(mailmerge: str, count: int, port: int, folder: str) -> dict:
    """mailmerge sending ``count`` messages, timed as a whole process; its figures."""
    where = Path(folder)
    args = mailmerge_files(where, count)
    (where / "server.conf").write_text(
        f"[smtp_server]\nhost = 127.0.0.1\nport = {port}\n", encoding="utf-8"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([mailmerge, "--no-dry-run", "--no-limit", "--output-format", "raw", *args],
                   check=True, stdout=subprocess.DEVNULL, cwd=folder)  # fmt: skip
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": round(seconds, 2), "per_second": round(count / seconds),
            "accepted": count, "connections": count,
            "cpu_seconds": round(after.ru_utime + after.ru_stime
                                 - before.ru_utime - before.ru_stime, 2),
            # Not measured: RUSAGE_CHILDREN's peak is the largest of every child so far.
            "peak_rss_mb": "not measured", "rss_before_send_mb": 0}  # fmt: skip


def child(kind: str, count: int, port: int, folder: str) -> None:
    """Send to ``count`` made-up contacts one way; print figures as JSON."""
    from newsletter_cli.delivery.message import Letterhead, personal_message

    email = rendered_email()
    people = contacts(count)
    letterhead = Letterhead("team@example.org", "Regional Team", "replies@example.org")
    baseline = peak_mib()
    cpu_before = time.process_time()
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
    cpu = time.process_time() - cpu_before
    peak = peak_mib()
    print(json.dumps({"seconds": round(seconds, 2), "per_second": round(count / seconds),
                      "accepted": accepted, "connections": connections,
                      "cpu_seconds": round(cpu, 2),
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


def run_one(kind: str, count: int, mailmerge: str | None) -> dict:
    """One run of ``kind`` against a fresh server; its figures, the server's CPU among them."""
    from aiosmtpd.controller import Controller

    from tests.delivery.smtp_sink import free_port

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    server_cpu = time.process_time()  # the server's thread: this process waits meanwhile
    try:
        with tempfile.TemporaryDirectory() as folder:
            if kind == "mailmerge":
                figures = run_mailmerge(mailmerge, count, controller.port, folder)
            else:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", kind, str(count),
                     str(controller.port), folder],
                    capture_output=True, text=True, check=True, cwd=ROOT,
                )  # fmt: skip
                figures = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        server_cpu = time.process_time() - server_cpu
        controller.stop()
    assert handler.messages == count and len(handler.recipients) == count
    assert figures["accepted"] == count
    return {**figures, "server_cpu": server_cpu, "kb": handler.bytes / count / 1024}


def main(sizes: list[int], repeats: int) -> None:
    mailmerge = os.environ.get("MAILMERGE")
    kinds = [k for k in KINDS if k != "mailmerge" or mailmerge]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f}; {repeats} alternating run(s) each, medians")  # fmt: skip
    if not mailmerge:
        print("mailmerge left out: set MAILMERGE to its command (see this script's docstring)")
    for count in sizes:
        runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
        for _ in range(repeats):  # alternating, so every kind sees the same machine load
            for kind in kinds:
                runs[kind].append(run_one(kind, count, mailmerge))
        median = {kind: {key: statistics.median(r[key] for r in found)
                         for key in ("seconds", "cpu_seconds", "server_cpu")}
                  for kind, found in runs.items()}  # fmt: skip
        for kind, found in runs.items():
            figures, m = found[0], median[kind]
            each = ", ".join(f"{r['seconds']:.1f}" for r in found)
            print(
                f"{kind:>13}: {count:,} recipients in {m['seconds']:.1f} s "
                f"({count / m['seconds']:,.0f} messages/s; "
                f"each run {each} s), "
                f"CPU {m['cpu_seconds']:.1f} s, server CPU {m['server_cpu']:.1f} s, "
                f"{figures['connections']} connection(s), {figures['kb']:.0f} KB a message, "
                f"peak memory {figures['peak_rss_mb']} MB"
            )
        if "mailmerge" in median:
            ratio = median["newsletter"]["seconds"] / median["mailmerge"]["seconds"]
            cpu = (median["newsletter"]["cpu_seconds"] + median["newsletter"]["server_cpu"]) / (
                median["mailmerge"]["cpu_seconds"] + median["mailmerge"]["server_cpu"]
            )
            print(f"newsletter / mailmerge: {ratio:.2f}x the time, "
                  f"{cpu:.2f}x the CPU (client and server)")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("sizes", type=int, nargs="*", default=list(SIZES))
        parser.add_argument("--repeats", type=int, default=3)
        arguments = parser.parse_args()
        main(arguments.sizes, arguments.repeats)

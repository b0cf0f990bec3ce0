"""Helpers for the send tests: a rendered email, made-up people, a send in a subprocess, the
outbox's messages, waiting for a condition."""

from __future__ import annotations

import email
import email.policy
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.project import Project
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

from .issues import REPO, SEPTEMBER
from .sendgrid import API_KEY

HTML = (
    "<html><body><p>Dear %first_name%,</p><p>For %organisation% (%role%).</p>"
    '<p><a href="%unsubscribe_url%">Unsubscribe</a></p></body></html>'
)
TEXT = "Dear %first_name%,\n\nFor %organisation%.\n\nUnsubscribe: %unsubscribe_url%\n"
#: The send id the library-level delivery tests use.
SEND = "2025-09--send-network-abc123"
#: Made-up contacts added to the sample for a send of three SendGrid requests.
BULK = 2500


def make_email(subject: str = "Regional Update: September 2025", issue: str = "2025-09"):
    return RenderedEmail(subject, "Preheader", HTML, TEXT, issue)


def people(count: int, start: int = 0, domain: str = "example.org") -> list[Contact]:
    return [
        Contact(
            email=f"person{i:06d}@{domain}",
            name=f"Person{i} Surname",
            organisation=f"Council {i % 7}",
            role="Head of Service",
        )
        for i in range(start, start + count)
    ]


def run(journal, backend, contacts, *, email=None, **kwargs):
    """Deliver one version of ``email`` to ``contacts`` as send SEND."""
    context = SendContext(send_id=SEND, issue_name="2025-09")
    variants = [Variant("all", email or make_email(), contacts)]
    return deliver(journal, backend, context, variants, **kwargs)


def add_bulk_contacts(project_dir: Path) -> None:
    lines = ["email,name,organisation,role,tags"]
    lines += [f"bulk{i:05d}@example.org,Bulk Person {i},Council {i % 9},Officer,"
              for i in range(BULK)]  # fmt: skip
    (project_dir / "recipients" / "bulk.csv").write_text("\n".join(lines) + "\n")


def send_command(project_dir: Path, url: str) -> tuple[list[str], dict[str, str]]:
    """`newsletter send` of the September sample to everyone through SendGrid at ``url``,
    as a subprocess runs it: the command and its environment."""
    command = [sys.executable, "-m", "newsletter_cli", "send", SEPTEMBER, "--list", "everyone",
               "--backend", "sendgrid", "--yes", "--no-link-check"]  # fmt: skip
    env = {**os.environ, "SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": url,
           "PYTHONPATH": str(REPO)}  # fmt: skip
    return command, env


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def suppressed(project_dir: Path, name: str) -> int:
    from newsletter_cli.recipients.roster import load_roster

    return len(load_roster(Project(project_dir)).resolve([name]).suppressed)


def every_file_text(root: Path) -> str:
    chunks = []
    for path in root.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks)


def in_hours(hours: float) -> str:
    """A --at time ``hours`` from now, in Europe/London as a person types it."""
    return (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=hours)).strftime(
        "%Y-%m-%d %H:%M"
    )


def sent_to(project_dir: Path) -> set[str]:
    """The To: address of every message the outbox wrote."""
    found = set()
    for path in (project_dir / "outbox").rglob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        found.update(a.addr_spec.lower() for a in message["To"].addresses)
    return found


def use_smtp(project_dir: Path, port: int) -> None:
    """newsletter.toml's [smtp]: the local sink, no TLS, no login."""
    with open(project_dir / "newsletter.toml", "a", encoding="utf-8") as handle:
        handle.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n')

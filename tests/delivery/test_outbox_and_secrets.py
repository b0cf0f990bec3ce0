"""The outbox backend, and the API key staying secret."""

from __future__ import annotations

import email
import logging
import subprocess
import sys
from collections import Counter
from email import policy

from support.sendgrid import API_KEY
from support.sending import make_email, people

from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.delivery.versions import make_send_id
from newsletter_cli.journal.status import Status
from newsletter_cli.recipients.contact import Contact


def test_outbox_writes_one_personal_message_per_recipient(tmp_path, journal, open_send):
    send = open_send("s-outbox")
    backend = OutboxBackend(tmp_path / "outbox", from_email="team@example.org",
                            from_name="Team, West", reply_to="replies@example.org")  # fmt: skip
    contacts = people(3) + [Contact(email="x@example.org", name="Ann", organisation="A & <B>")]
    result = deliver(journal, backend, SendContext(send_id=send, issue_name="2025-09"),
                     [Variant("all", make_email(), contacts)])  # fmt: skip
    assert result.totals == Counter({Status.ACCEPTED: 4}) and not result.delivers
    files = sorted((tmp_path / "outbox" / send).glob("*.eml"))
    assert len(files) == 4 and not list((tmp_path / "outbox").rglob("*.part"))
    msg = email.message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    assert msg["To"] == "Ann <x@example.org>"
    assert msg["List-Unsubscribe"] == (
        "<mailto:replies@example.org?subject=unsubscribe%20x%40example.org>"
    )
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    assert "A &amp; &lt;B&gt;" in html and "A & <B>" in text
    assert "Dear Ann," in text and "%" not in text.replace("%20", "").replace("%40", "")


def test_send_ids_are_stable_and_distinct_per_mode_and_backend():
    a = make_send_id("2025-09", ["send-network", "dcs"], "live", "sendgrid")
    assert a == make_send_id("2025-09", ["dcs", "send-network"], "live", "sendgrid")
    assert a.startswith("2025-09--dcs+send-network-")
    others = {make_send_id("2025-09", ["dcs", "send-network"], m, b)
              for m in ("live", "sandbox") for b in ("outbox", "sendgrid")}  # fmt: skip
    assert len(others) == 4


def test_key_stays_out_of_debug_logs_and_scrubbed_errors(fake, backend, journal, open_send,
                                                         caplog):  # fmt: skip
    caplog.set_level(logging.DEBUG)
    send = open_send()
    fake.will("500", "500", "500")
    result = deliver(journal, backend, SendContext(send_id=send, issue_name="i"),
                     [Variant("all", make_email(), people(2))])  # fmt: skip
    assert result.stopped is not None
    assert fake.requests[0].authorized  # the key did go where it belongs
    assert API_KEY not in caplog.text and API_KEY not in str(result.stopped)
    assert backend.scrub(f"Bearer {API_KEY} failed") == "Bearer [API key] failed"


def test_cli_start_does_not_import_sendgrid():
    code = ("import sys, newsletter_cli.cli; "
            "bad = [m for m in ('sendgrid', 'python_http_client') if m in sys.modules]; "
            "sys.exit(1 if bad else 0)")  # fmt: skip
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0

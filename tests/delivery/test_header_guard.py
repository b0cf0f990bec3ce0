"""Below the input checks: a backend given a hostile value writes or sends nothing for it.

The contacts reader, the issue loader and newsletter.toml already refuse these values
(tests/delivery/test_header_injection.py); these tests hand them to the backends
directly, as a path that skipped those checks would, and read the bytes that come out.
Outbox files are private to their owner (0600, folders 0700) whatever the umask.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter

import pytest
from support.sending import make_email, people

from newsletter_cli.delivery.backends.base import SendContext, Status
from newsletter_cli.delivery.backends.outbox import OutboxBackend
from newsletter_cli.delivery.backends.smtp import SmtpBackend, SmtpPolicy
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.delivery.message import Letterhead
from newsletter_cli.delivery.sendgrid_body import Envelope, header_refusal, prepare
from newsletter_cli.delivery.smtp_settings import SmtpServer
from newsletter_cli.recipients.contact import Contact

from .smtp_sink import SmtpSink

BCC_NAME = "Fay =?utf-8?q?=0D=0ABcc=3A_evil3=40attacker=2Eexample?="
BODY_NAME = "Fay =?utf-8?q?=0D=0A=0D=0ABcc=3A_evil3=40attacker=2Eexample?="
INJECTED = re.compile(rb"(?im)^(bcc|x-subj-injected)\s*:")
HOSTILE = [
    Contact(email="fay.one@x.example.org", name=BCC_NAME),
    Contact(email="fay.two@x.example.org", name=BODY_NAME),
    Contact(email="fay.three@x.example.org", organisation=BCC_NAME),  # in the subject below
]
LETTERHEAD = Letterhead("regional.team@example.org", "West Midlands Team", "replies@example.org")


def hostile_email():
    return make_email(subject="Update for %organisation%")


def assert_clean(data: bytes) -> None:
    assert not INJECTED.search(data) and b"evil3" not in data and b"attacker" not in data


def test_the_outbox_writes_no_file_for_a_value_that_would_add_a_header(tmp_path, journal,
                                                                        open_send):  # fmt: skip
    send = open_send("s-guard")
    backend = OutboxBackend(tmp_path / "outbox", from_email="team@example.org",
                            from_name="Team", reply_to=None)  # fmt: skip
    result = deliver(journal, backend, SendContext(send_id=send, issue_name="2025-09"),
                     [Variant("all", hostile_email(), people(2) + HOSTILE)])  # fmt: skip
    assert result.totals == Counter({Status.ACCEPTED: 2, Status.FAILED: 3})
    files = sorted((tmp_path / "outbox" / send).glob("*.eml"))
    assert [f.name for f in files] == ["person000000@example.org.eml", "person000001@example.org.eml"]
    for path in files:
        assert_clean(path.read_bytes())
    why = {r.email: r.reason for r in journal.recipients(send) if r.status is Status.FAILED}
    assert why["fay.one@x.example.org"].startswith("not written: the To header holds '=?'")
    assert why["fay.three@x.example.org"].startswith("not written: the Subject header holds")


def test_smtp_sends_nothing_for_a_value_that_would_add_a_header(journal):
    sink = SmtpSink().start()
    try:
        server = SmtpServer("127.0.0.1", sink.port, "none", timeout=5)
        backend = SmtpBackend(server, None, LETTERHEAD, policy=SmtpPolicy(attempts=1),
                              sleep=lambda _: None)  # fmt: skip
        journal.open_send("s-smtp-guard", issue="2025-09", lists=["dcs"], mode="live",
                          backend="smtp", subject="Update", issue_sha="x")  # fmt: skip
        context = SendContext(send_id="s-smtp-guard", issue_name="2025-09")
        try:
            result = deliver(journal, backend, context,
                             [Variant("all", hostile_email(), HOSTILE + people(1))])  # fmt: skip
        finally:
            backend.close()
    finally:
        sink.stop()
    assert result.totals == Counter({Status.ACCEPTED: 1, Status.FAILED: 3})
    assert sink.accepted == ["person000000@example.org"]
    for message in sink.messages:
        assert_clean(message.data)
    why = {r.email: r.reason for r in journal.recipients("s-smtp-guard")}
    assert why["fay.two@x.example.org"].startswith("not sent: the To header holds '=?'")


def test_sendgrid_refuses_the_same_recipients():
    template = prepare(hostile_email())

    envelope = Envelope("regional.team@example.org", "Team", None, 1)
    refusals = [header_refusal(c, template, envelope) for c in HOSTILE + people(1)]
    assert refusals[-1] is None
    assert [r.split(" holds")[0] for r in refusals[:-1]] == [
        "the To header", "the To header", "the Subject header"
    ]
    hostile = Envelope("regional.team@example.org", f"Team {BCC_NAME}", None, 1)
    assert header_refusal(people(1)[0], template, hostile).startswith(
        "the From header holds '=?'"
    )


@pytest.fixture
def no_umask():
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_outbox_files_and_folders_are_private_whatever_the_umask(tmp_path, journal, open_send,
                                                                  no_umask):  # fmt: skip
    send = open_send("s-private")
    backend = OutboxBackend(tmp_path / "project" / "outbox", from_email="team@example.org",
                            from_name="Team", reply_to=None)  # fmt: skip
    deliver(journal, backend, SendContext(send_id=send, issue_name="2025-09"),
            [Variant("all", make_email(), people(2))])  # fmt: skip
    outbox = tmp_path / "project" / "outbox"
    files = list((outbox / send).iterdir())
    assert len(files) == 2 and {mode(f) for f in files} == {0o600}
    assert mode(outbox) == mode(outbox / send) == 0o700


def test_an_outbox_made_by_an_earlier_release_is_narrowed(tmp_path, journal, open_send,
                                                           no_umask):  # fmt: skip
    outbox = tmp_path / "outbox"
    outbox.mkdir(mode=0o777)
    (outbox / "s-old").mkdir(mode=0o777)
    (outbox / "s-old" / "person000000@example.org.eml.part").write_bytes(b"half")
    os.chmod(outbox / "s-old" / "person000000@example.org.eml.part", 0o666)
    send = open_send("s-old")
    backend = OutboxBackend(outbox, from_email="team@example.org", from_name="Team",
                            reply_to=None)  # fmt: skip
    deliver(journal, backend, SendContext(send_id=send, issue_name="2025-09"),
            [Variant("all", make_email(), people(1))])  # fmt: skip
    assert mode(outbox) == mode(outbox / "s-old") == 0o700
    assert mode(outbox / "s-old" / "person000000@example.org.eml") == 0o600

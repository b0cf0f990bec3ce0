"""The SMTP backend against a real SMTP server on 127.0.0.1 (aiosmtpd), faults included."""

from __future__ import annotations

import email
import time
from collections import Counter
from email import policy

import pytest
import trustme
from support.sending import make_email, people

from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.backends.outbox import OutboxBackend, file_name
from newsletter_cli.delivery.backends.smtp import SmtpBackend, SmtpPolicy
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.delivery.message import Letterhead
from newsletter_cli.delivery.smtp_session import queue_id
from newsletter_cli.delivery.smtp_settings import SmtpServer
from newsletter_cli.errors import AuthError, DeliveryError
from newsletter_cli.journal import Journal, Person
from newsletter_cli.journal.status import Status

from .smtp_sink import PASSWORD, USER, SmtpSink

FAST = SmtpPolicy(attempts=3, backoff=0.01, backoff_cap=0.05)
LETTERHEAD = Letterhead("regional.team@example.org", "West Midlands Team", "replies@example.org")


class FakeClock:
    """time.time and time.sleep for the rate limits: sleeping moves the clock on."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_backend(sink: SmtpSink, clock: FakeClock, *, password: str | None = None,
                 security: str = "none", ssl_context=None, policy: SmtpPolicy = FAST,
                 journal: Journal | None = None, **limits) -> SmtpBackend:  # fmt: skip
    server = SmtpServer("127.0.0.1", sink.port, security, USER if password else None,
                        timeout=5, **limits)  # fmt: skip
    sent_since = (lambda since: journal.accepted_since("smtp", since)) if journal else None
    return SmtpBackend(server, password, LETTERHEAD, sent_since=sent_since, policy=policy,
                       ssl_context=ssl_context, sleep=clock.sleep, clock=clock)  # fmt: skip


def open_smtp_send(journal: Journal, send_id: str = "2025-09--dcs-smtp01") -> SendContext:
    journal.open_send(send_id, issue="2025-09", lists=["dcs"], mode="live", backend="smtp",
                      subject="Regional Update", issue_sha="x")  # fmt: skip
    return SendContext(send_id=send_id, issue_name="2025-09")


def run(journal, backend, contacts, context=None):
    context = context or open_smtp_send(journal)
    try:
        return deliver(journal, backend, context, [Variant("all", make_email(), contacts)])
    finally:
        backend.close()


def reasons(journal: Journal, send_id: str = "2025-09--dcs-smtp01") -> dict[str, tuple]:
    return {r.email: (r.status, r.reason) for r in journal.recipients(send_id)}


def test_one_personal_message_per_recipient_over_one_reused_connection(sink, clock, journal):
    contacts = people(25)
    result = run(journal, make_backend(sink, clock), contacts)
    assert result.totals == Counter({Status.ACCEPTED: 25}) and result.stopped is None
    assert sink.accepted == [c.email for c in contacts] and sink.connections == 1
    for received, contact in zip(sink.messages, contacts, strict=True):
        assert received.rcpt_tos == [contact.email]  # nobody sees another address
        assert received.mail_from == "regional.team@example.org"
        msg = received.parsed()
        assert msg["To"].addresses[0].addr_spec == contact.email
        text = msg.get_body(("plain",)).get_content()
        assert f"Dear {contact.first_name}," in text and "%" not in text.replace("%20", "").replace("%40", "")
    ids = {r.message_id for r in journal.recipients("2025-09--dcs-smtp01")}
    assert ids == {f"Q{i:05d}" for i in range(1, 26)}  # the server's queue ids are kept
    assert not clock.sleeps


def test_what_goes_out_is_what_the_outbox_writes(sink, clock, journal, tmp_path):
    contact = people(1)[0]
    run(journal, make_backend(sink, clock), [contact])
    outbox = OutboxBackend(tmp_path / "outbox", from_email=LETTERHEAD.from_email,
                           from_name=LETTERHEAD.from_name, reply_to=LETTERHEAD.reply_to)  # fmt: skip
    context = SendContext(send_id="2025-09--dcs-smtp01", issue_name="2025-09")
    outbox.send_batch(make_email(), [contact], context)
    written = (tmp_path / "outbox" / context.send_id / file_name(contact.email)).read_bytes()
    sent = sink.messages[0].data
    assert max(map(len, sent.split(b"\r\n"))) == max(map(len, written.split(b"\r\n")))
    a, b = (email.message_from_bytes(raw, policy=policy.default) for raw in (sent, written))
    varying = {"date", "message-id", "content-type"}  # per message: time, id, MIME boundary
    assert [(k, v) for k, v in a.items() if k.lower() not in varying] == \
        [(k, v) for k, v in b.items() if k.lower() not in varying]  # fmt: skip
    for kind in ("plain", "html"):
        assert a.get_body((kind,)).get_content() == b.get_body((kind,)).get_content()


def test_a_closed_connection_is_opened_again_and_the_message_sent_once(sink, clock, journal):
    sink.will("cut_before_data")  # the server cuts the connection before the message
    result = run(journal, make_backend(sink, clock), people(3))
    assert result.totals == Counter({Status.ACCEPTED: 3})
    assert Counter(sink.accepted) == Counter(c.email for c in people(3))
    assert sink.connections == 2 and len(clock.sleeps) == 1  # a new connection: a backoff


def test_an_idle_connection_closed_by_the_server_is_reopened_without_waiting(sink, clock, journal):
    backend = make_backend(sink, clock)
    context = open_smtp_send(journal)
    deliver(journal, backend, context, [Variant("all", make_email(), people(2))])
    sink.will("cut_before_data")  # the server timed the idle connection out
    result = deliver(journal, backend, context, [Variant("all", make_email(), people(4))])
    backend.close()
    assert result.totals == Counter({Status.ACCEPTED: 4}) and sink.connections == 2
    assert clock.sleeps == []  # the first retry on a reused connection does not wait


@pytest.mark.parametrize("fault", ["rcpt451", "rcpt452", "mail451", "data451"])
def test_4xx_is_retried_with_backoff_then_accepted(sink, clock, journal, fault):
    sink.will(fault)
    result = run(journal, make_backend(sink, clock), people(2))
    assert result.totals == Counter({Status.ACCEPTED: 2})
    assert sink.accepted == [c.email for c in people(2)]  # each once
    assert len(clock.sleeps) == 1 and 0.005 <= clock.sleeps[0] <= 0.01


def test_4xx_retries_are_bounded_then_that_recipient_failed_and_the_send_goes_on(sink, clock,
                                                                                  journal):  # fmt: skip
    sink.will("rcpt451", "rcpt451", "rcpt451")
    result = run(journal, make_backend(sink, clock), people(3))
    assert result.stopped is None
    status, reason = reasons(journal)[people(1)[0].email]
    assert status is Status.FAILED
    assert reason == ("the server refused the recipient (RCPT TO): 451 4.4.0 Temporary lookup "
                      "failure (gave up after 3 tries)")  # fmt: skip
    assert sink.accepted == [c.email for c in people(3)[1:]]
    assert len(clock.sleeps) == 2 and clock.sleeps[1] > clock.sleeps[0] / 2


def test_550_for_one_recipient_fails_them_with_the_servers_words_and_goes_on(sink, clock,
                                                                              journal):  # fmt: skip
    bad = people(3)[1].email
    sink.refuse[bad] = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
    result = run(journal, make_backend(sink, clock), people(3))
    assert result.stopped is None
    assert result.totals == Counter({Status.ACCEPTED: 2, Status.FAILED: 1})
    assert reasons(journal)[bad] == (Status.FAILED, "the server refused the recipient (RCPT TO): "
                                     "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not "
                                     "found by SMTP address lookup")  # fmt: skip
    assert sink.handler.transactions == 3 and not clock.sleeps  # refused once, not retried
    assert sink.connections == 1  # the connection went on after RSET


def test_a_drop_after_the_message_is_uncertain_and_never_retried(sink, clock, journal):
    sink.will("drop")
    result = run(journal, make_backend(sink, clock), people(3))
    first = people(1)[0].email
    assert reasons(journal)[first][0] is Status.UNCERTAIN
    assert "after the message was sent, before the server answered" in reasons(journal)[first][1]
    assert Counter(sink.accepted) == Counter(c.email for c in people(3))  # the server has it once
    assert result.totals == Counter({Status.ACCEPTED: 2, Status.UNCERTAIN: 1})
    assert sink.handler.transactions == 3


def test_silence_after_three_messages_in_a_row_stops_the_send(sink, clock, journal):
    sink.will("drop", "drop", "drop")
    result = run(journal, make_backend(sink, clock), people(5))
    assert isinstance(result.stopped, DeliveryError)
    assert result.totals == Counter({Status.UNCERTAIN: 3, Status.QUEUED: 2})


def test_421_on_connect_is_retried_then_stops_the_send_resumably(sink, clock, journal):
    sink.will("connect421", "connect421", "connect421")
    backend = make_backend(sink, clock)
    context = open_smtp_send(journal)
    result = run(journal, backend, people(3), context)
    assert isinstance(result.stopped, DeliveryError)
    assert "421 4.3.2 The maximum number of concurrent connections" in str(result.stopped)
    assert result.totals == Counter({Status.FAILED: 1, Status.QUEUED: 2})
    assert sink.accepted == [] and sink.connections == 3
    again = run(journal, make_backend(sink, clock), people(3), context)  # the same send, resumed
    assert again.totals == Counter({Status.ACCEPTED: 3})
    assert Counter(sink.accepted) == Counter(c.email for c in people(3))


def test_421_mid_send_reconnects_and_goes_on(sink, clock, journal):
    sink.will("rcpt421")
    result = run(journal, make_backend(sink, clock), people(3))
    assert result.totals == Counter({Status.ACCEPTED: 3}) and sink.connections == 2


def test_5xx_on_mail_from_stops_the_send(sink, clock, journal):
    sink.will("mail550")
    result = run(journal, make_backend(sink, clock), people(3))
    assert type(result.stopped) is DeliveryError
    assert "550 5.7.1 Sender not allowed to send as this address" in str(result.stopped)
    assert result.totals == Counter({Status.FAILED: 1, Status.QUEUED: 2}) and not sink.accepted


def test_530_on_mail_from_is_an_auth_error(sink, clock, journal):
    sink.will("mail530")
    result = run(journal, make_backend(sink, clock), people(2))
    assert isinstance(result.stopped, AuthError)
    assert "NEWSLETTER_SMTP_PASSWORD" in result.stopped.hint


def test_several_refused_messages_in_a_row_stop_the_send(sink, clock, journal):
    sink.will(*["data554"] * 5)
    result = run(journal, make_backend(sink, clock), people(8))
    assert "5 messages in a row were refused" in str(result.stopped)
    assert "SubmissionQuotaExceededException" in str(result.stopped)
    assert result.totals == Counter({Status.FAILED: 5, Status.QUEUED: 3})


def test_login_with_the_right_password(clock, journal):
    sink = SmtpSink(auth=True).start()
    try:
        result = run(journal, make_backend(sink, clock, password=PASSWORD), people(3))
    finally:
        sink.stop()
    assert result.totals == Counter({Status.ACCEPTED: 3}) and sink.logins == ["PLAIN"]


def test_a_refused_login_stops_with_a_hint_and_never_shows_the_password(clock, journal):
    sink = SmtpSink(auth=True).start()
    try:
        result = run(journal, make_backend(sink, clock, password="wrong-" + PASSWORD), people(3))
    finally:
        sink.stop()
    error = result.stopped
    assert isinstance(error, AuthError) and "535" in str(error)
    assert "NEWSLETTER_SMTP_PASSWORD" in error.hint and "app password" in error.hint
    assert PASSWORD not in str(error) + error.hint
    assert not sink.accepted and result.totals == Counter({Status.FAILED: 1, Status.QUEUED: 2})
    assert all(PASSWORD not in (r.reason or "") for r in journal.recipients("2025-09--dcs-smtp01"))


def test_microsoft_365_without_passwords_says_so(clock, journal):
    sink = SmtpSink(auth=True)
    sink.basic_auth_retired = True
    sink.start()
    try:
        result = run(journal, make_backend(sink, clock, password=PASSWORD), people(2))
    finally:
        sink.stop()
    assert isinstance(result.stopped, AuthError) and "550 5.7.30" in str(result.stopped)
    assert "no longer accepts a password" in result.stopped.hint and not sink.accepted


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def tls_pair(ca: trustme.CA):
    import ssl

    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(server)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return server, client


def test_starttls_with_a_certificate_the_client_trusts_then_login(ca, clock, journal):
    server_ctx, client_ctx = tls_pair(ca)
    sink = SmtpSink(tls_context=server_ctx, auth=True).start()  # login only after STARTTLS
    try:
        backend = make_backend(sink, clock, password=PASSWORD, security="starttls",
                               ssl_context=client_ctx)  # fmt: skip
        result = run(journal, backend, people(2))
    finally:
        sink.stop()
    assert result.totals == Counter({Status.ACCEPTED: 2}) and sink.logins


def test_starttls_refuses_a_certificate_it_cannot_verify(ca, clock, journal):
    server_ctx, _ = tls_pair(ca)
    sink = SmtpSink(tls_context=server_ctx, auth=True).start()
    try:  # the system's trust store does not know the test CA
        result = run(journal, make_backend(sink, clock, password=PASSWORD, security="starttls"),
                     people(2))  # fmt: skip
    finally:
        sink.stop()
    assert "could not be verified (unable to get local issuer certificate)" in str(result.stopped)
    assert "SSL_CERT_FILE" in str(result.stopped) and not sink.logins and not sink.accepted


def test_starttls_missing_from_the_server_stops_before_any_password(sink, clock, journal):
    result = run(journal, make_backend(sink, clock, password=PASSWORD, security="starttls"),
                 people(2))  # fmt: skip
    assert "does not offer STARTTLS" in str(result.stopped) and not sink.accepted


def test_implicit_tls(ca, clock, journal):
    server_ctx, client_ctx = tls_pair(ca)
    sink = SmtpSink(implicit_tls=server_ctx, auth=True).start()
    try:
        backend = make_backend(sink, clock, password=PASSWORD, security="tls",
                               ssl_context=client_ctx)  # fmt: skip
        result = run(journal, backend, people(2))
    finally:
        sink.stop()
    assert result.totals == Counter({Status.ACCEPTED: 2}) and sink.logins


def test_messages_per_minute_are_evenly_spaced(sink, clock, journal):
    result = run(journal, make_backend(sink, clock, messages_per_minute=4), people(5))
    assert result.totals == Counter({Status.ACCEPTED: 5})
    assert clock.sleeps == [15.0, 15.0, 15.0, 15.0]  # 4 a minute: one every 15 s


def test_the_daily_limit_counts_the_last_24_hours_and_stops_cleanly(sink, clock, journal):
    earlier = open_smtp_send(journal, "2025-08--dcs-smtp00")
    journal.enqueue(earlier.send_id, [Person(c.email) for c in people(5, start=100)])
    journal.set_status(earlier.send_id, [c.email for c in people(5, start=100)], Status.ACCEPTED)
    old = [c.email for c in people(2, start=100)]  # two of them went 25 hours ago
    with journal._tx() as cursor:
        cursor.executemany(journal._sql("UPDATE recipients SET updated = ? WHERE email = ?"),
                           [(clock.now - 25 * 3600, e) for e in old])  # fmt: skip
    journal.open_send("sg", issue="x", lists=["dcs"], mode="live", backend="sendgrid",
                      subject="s", issue_sha="x")  # fmt: skip
    journal.enqueue("sg", [Person("other@example.org")])
    journal.set_status("sg", ["other@example.org"], Status.ACCEPTED)  # not SMTP: not counted
    backend = make_backend(sink, clock, journal=journal, recipients_per_day=5)
    result = run(journal, backend, people(4))
    assert result.totals == Counter({Status.ACCEPTED: 2, Status.QUEUED: 2})  # 3 + 2 = 5
    assert "daily limit of 5 recipients" in str(result.stopped)
    assert "(5 in the last 24 hours)" in str(result.stopped)
    assert sink.accepted == [c.email for c in people(2)]
    queued = [r.reason for r in journal.recipients("2025-09--dcs-smtp01")
              if r.status is Status.QUEUED]  # fmt: skip
    assert queued == ["not sent: the daily limit is reached", None]  # the last never tried


def test_queue_ids_from_real_servers_replies():
    assert queue_id("2.0.0 Ok: queued as 4BxQ2m1TZkz9rvN") == "4BxQ2m1TZkz9rvN"
    assert queue_id("OK id=1qAbCd-000Xy9-2Z") == "1qAbCd-000Xy9-2Z"
    assert queue_id("2.0.0 OK <AM9PR01MB1234.eurprd01.prod.exchangelabs.com> "
                    "[Hostname=AM9PR01MB1234]") == "AM9PR01MB1234.eurprd01.prod.exchangelabs.com"  # fmt: skip
    assert queue_id("Ok") == "Ok"


def test_scheduling_and_sandbox_are_refused(sink, clock):
    backend = make_backend(sink, clock)
    with pytest.raises(DeliveryError, match="cannot schedule"):
        backend.schedule()
    context = SendContext(send_id="s", issue_name="i", send_at=int(time.time()) + 3600)
    with pytest.raises(DeliveryError, match="cannot schedule"):
        backend.send_batch(make_email(), people(1), context)


def test_payload_doubles_every_dot_that_starts_a_line_and_ends_with_a_lone_dot():
    import re

    from newsletter_cli.render import RenderedEmail

    rendered = RenderedEmail("S", "pre", "<p>x</p>\n.<p>dot</p>\n..two\n", ".a\n\n.\n..b\n", "i")
    backend = SmtpBackend(SmtpServer("127.0.0.1", 25, "none"), None, LETTERHEAD)
    data = backend.payload(rendered, people(1)[0], SendContext("s-1", "i"))
    assert data.endswith(b"\r\n.\r\n")
    body = data[: -len(b".\r\n")]
    assert not re.search(rb"(?m)^\.(?!\.)", body)  # every line starting with a dot has two
    unstuffed = re.sub(rb"(?m)^\.", b"", body)
    msg = email.message_from_bytes(unstuffed, policy=policy.default)
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == ".a\n\n.\n..b\n"
    assert ".<p>dot</p>\n..two" in msg.get_body(("html",)).get_content().replace("\r\n", "\n")

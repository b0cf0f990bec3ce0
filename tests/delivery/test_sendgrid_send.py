"""Sending through the real ``sendgrid`` client to the fake SendGrid on 127.0.0.1."""

from __future__ import annotations

from collections import Counter

import pytest
from support.sendgrid import API_KEY, FAST, GROUP
from support.sendgrid_fake import FakeSendGrid
from support.sending import SEND, make_email, people, run

from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.backends.sendgrid import RetryPolicy, SendGridBackend
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.delivery.sendgrid_body import UNSUBSCRIBE_TAG
from newsletter_cli.errors import AuthError, DeliveryError
from newsletter_cli.journal.status import Status
from newsletter_cli.recipients.contact import Contact


def test_2500_recipients_in_three_requests_each_exactly_once(fake, backend, journal, open_send):
    open_send(SEND)
    contacts = people(2500)
    result = run(journal, backend, contacts)

    requests = fake.mail_requests
    assert len(requests) == 3 and result.requests == 3
    assert [len(r.body["personalizations"]) for r in requests] == [1000, 1000, 500]
    assert all(r.status == 202 and r.authorized for r in requests)
    assert Counter(fake.accepted) == Counter({c.email: 1 for c in contacts})
    by_email = {c.email: c for c in contacts}
    for request in requests:
        body = request.body
        assert body["asm"] == {"group_id": GROUP}
        assert body["custom_args"] == {"newsletter_issue": "2025-09", "newsletter_send": SEND,
                                       "newsletter_batch": str(requests.index(request) + 1)}
        # the issue's category, the send's own (what `report` asks about), then the config's
        assert body["categories"] == ["2025-09", "send-abc123", "regional-update"]
        assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
        assert UNSUBSCRIBE_TAG in body["content"][1]["value"]
        for p in body["personalizations"]:
            assert len(p["to"]) == 1 and "cc" not in p and "bcc" not in p
            person = by_email[p["to"][0]["email"]]
            assert p["substitutions"]["%first_name%"] == person.first_name
            assert p["substitutions"]["%first_name_html%"] == person.first_name
            assert p["substitutions"]["%organisation%"] == person.organisation
        # what arrived: SendGrid's https one-click pair, its link where the footer's was
        arrived = fake.delivered(body["personalizations"][0]["to"][0]["email"])
        assert arrived.headers["List-Unsubscribe"].startswith(f"<{arrived.unsubscribe_url}>")
        assert arrived.unsubscribe_url.startswith("https://")
        assert arrived.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert f'href="{arrived.unsubscribe_url}"' in arrived.html
        assert arrived.text.count(arrived.unsubscribe_url) == 1
    assert result.totals == Counter({Status.ACCEPTED: 2500})
    ids = {r.message_id for r in journal.recipients(SEND)}
    assert len(ids) == 3 and None not in ids  # SendGrid's X-Message-Id, one per request
    batches = Counter(r.batch for r in journal.recipients(SEND))
    assert batches == {1: 1000, 2: 1000, 3: 500}  # the batch number, journalled per recipient
    assert journal.get_send(SEND).state == "done"


def test_running_again_sends_nothing_twice(fake, backend, journal, open_send):
    open_send(SEND)
    run(journal, backend, people(1200))
    again = run(journal, backend, people(1500))  # three hundred joined the list since
    assert again.this_run == Counter({Status.ACCEPTED: 300})
    assert Counter(fake.accepted).most_common(1)[0][1] == 1
    assert len(fake.accepted) == 1500


def test_variants_go_in_separate_requests_and_a_shared_contact_once(fake, backend, journal,
                                                                    open_send):  # fmt: skip
    open_send(SEND)
    a, b = people(3), people(2, start=100)
    context = SendContext(send_id=SEND, issue_name="2025-09")
    variants = [
        Variant("dcs", make_email("For DCSs"), a),
        Variant("all", make_email("For all"), b + [a[0]]),
    ]
    deliver(journal, backend, context, variants)
    subjects = [r.body["subject"] for r in fake.mail_requests]
    assert subjects == ["For DCSs", "For all"]
    assert sorted(fake.accepted) == sorted(c.email for c in a + b)


def test_invalid_addresses_are_recorded_not_sent(fake, backend, journal, open_send):
    from newsletter_cli.recipients.addresses import address_problem

    open_send(SEND)
    contacts = people(2) + [Contact(email="no-at-sign.example.org")]
    result = run(journal, backend, contacts, address_problem=address_problem)
    assert result.totals[Status.INVALID] == 1 and result.totals[Status.ACCEPTED] == 2
    assert "no-at-sign.example.org" not in fake.accepted
    bad = journal.recipients(SEND, [Status.INVALID])[0]
    assert bad.reason == "has no @"


# -- faults ------------------------------------------------------------------------------------


def test_429_waits_as_the_rate_limit_headers_say_then_goes_on(fake, backend, journal, open_send,
                                                              sleeps):  # fmt: skip
    open_send(SEND)
    fake.will("429", "429")
    result = run(journal, backend, people(1500))
    assert result.stopped is None
    assert [r.status for r in fake.mail_requests] == [429, 429, 202, 202]
    assert len(sleeps) == 2 and all(0 < s <= fake.rate_reset_in + 1 for s in sleeps)
    assert Counter(fake.accepted) == Counter({c.email: 1 for c in people(1500)})


def test_429_wait_is_capped(fake, envelope, journal, open_send, sleeps):
    open_send(SEND)
    fake.rate_reset_in = 3600
    policy = RetryPolicy(attempts=3, backoff=0.01, rate_limit_cap=5.0, timeout=1.0)
    backend = SendGridBackend(API_KEY, envelope, host=fake.url, policy=policy, sleep=sleeps.append)
    fake.will("429")
    run(journal, backend, people(2))
    assert sleeps == [5.0]


@pytest.mark.parametrize("answer", ["500", "502", "503"])
def test_5xx_is_retried_with_backoff_and_jitter(fake, backend, journal, open_send, sleeps, answer):
    open_send(SEND)
    fake.will(answer, answer)
    result = run(journal, backend, people(10))
    assert [r.status for r in fake.mail_requests] == [int(answer), int(answer), 202]
    assert result.totals == Counter({Status.ACCEPTED: 10})
    # equal jitter: the second wait is between half and all of twice the first base
    assert len(sleeps) == 2
    assert FAST.backoff / 2 <= sleeps[0] <= FAST.backoff
    assert FAST.backoff <= sleeps[1] <= 2 * FAST.backoff


def test_5xx_retries_are_bounded_then_the_send_stops_resumably(fake, backend, journal, open_send):
    open_send(SEND)
    fake.will("500", "500", "500")
    result = run(journal, backend, people(1500))
    assert len(fake.mail_requests) == FAST.attempts
    assert isinstance(result.stopped, DeliveryError)
    assert "500" in str(result.stopped) and "3 tries" in str(result.stopped)
    assert result.totals == Counter({Status.FAILED: 1000, Status.QUEUED: 500})
    # the same command again finishes the job: every address exactly once
    again = run(journal, backend, people(1500))
    assert again.totals == Counter({Status.ACCEPTED: 1500})
    assert Counter(fake.accepted) == Counter({c.email: 1 for c in people(1500)})


def test_400_shows_sendgrids_messages_and_stops(fake, backend, journal, open_send):
    open_send(SEND)
    fake.will("400")
    result = run(journal, backend, people(1500))
    assert len(fake.mail_requests) == 1
    message = str(result.stopped)
    assert "from.email: The from email does not contain a valid address." in message
    failed = journal.recipients(SEND, [Status.FAILED])
    assert len(failed) == 1000 and "from.email" in failed[0].reason


def test_400_from_real_validation_names_field_and_reason(fake, backend, journal, open_send):
    open_send(SEND)
    bad = [Contact(email="ok@example.org"), Contact(email="x@example.org", name="a")]
    backend.envelope = backend.envelope.__class__(
        **{**backend.envelope.__dict__, "from_email": "not-an-address"}
    )
    result = run(journal, backend, bad)
    assert "from.email" in str(result.stopped)
    assert fake.accepted == []


@pytest.mark.parametrize("answer", ["401", "403"])
def test_401_403_say_the_key_was_rejected_and_stop(fake, backend, journal, open_send, answer):
    open_send(SEND)
    fake.will(answer)
    result = run(journal, backend, people(1500))
    assert isinstance(result.stopped, AuthError)
    assert str(result.stopped).startswith("SendGrid rejected the API key")
    assert len(fake.mail_requests) == 1  # no retry with a bad key


def test_wrong_key_is_rejected_by_the_server(fake, envelope, journal, open_send):
    open_send(SEND)
    wrong = SendGridBackend("SG.wrong", envelope, host=fake.url, policy=FAST, sleep=lambda s: None)
    result = run(journal, wrong, people(3))
    assert isinstance(result.stopped, AuthError)
    assert fake.requests[0].authorized is False and fake.accepted == []


def test_413_splits_the_batch(fake, backend, journal, open_send):
    open_send(SEND)
    fake.too_large_over = 300
    result = run(journal, backend, people(1000))
    sizes = [len(r.body["personalizations"]) for r in fake.mail_requests]
    assert sizes[0] == 1000 and sizes[1] == 500 and max(s for s in sizes if s <= 300) == 250
    assert result.totals == Counter({Status.ACCEPTED: 1000})
    assert Counter(fake.accepted) == Counter({c.email: 1 for c in people(1000)})


def test_dropped_connection_is_uncertain_and_never_retried(fake, backend, journal, open_send):
    open_send(SEND)
    fake.will("drop")
    result = run(journal, backend, people(1500))
    assert [r.status for r in fake.mail_requests] == [None, 202]  # the batch was not re-sent
    assert result.totals == Counter({Status.UNCERTAIN: 1000, Status.ACCEPTED: 500})
    assert "may or may not" in journal.recipients(SEND, [Status.UNCERTAIN])[0].reason
    # a plain re-run leaves them alone...
    again = run(journal, backend, people(1500))
    assert again.this_run == Counter() and len(fake.mail_requests) == 2
    # ...--resend-uncertain sends them (the operator checked SendGrid's activity first)
    last = run(journal, backend, people(1500), resend_uncertain=True)
    assert last.this_run == Counter({Status.ACCEPTED: 1000})
    assert last.totals == Counter({Status.ACCEPTED: 1500})


def test_hang_times_out_as_uncertain(fake, envelope, journal, open_send):
    open_send(SEND)
    policy = RetryPolicy(attempts=3, backoff=0.01, timeout=0.3)
    backend = SendGridBackend(API_KEY, envelope, host=fake.url, policy=policy, sleep=lambda s: None)
    fake.will("hang")
    result = run(journal, backend, people(5))
    assert result.totals == Counter({Status.UNCERTAIN: 5})
    assert len(fake.mail_requests) == 1
    assert "no answer in time" in journal.recipients(SEND)[0].reason


def test_504_is_uncertain_not_retried(fake, backend, journal, open_send):
    open_send(SEND)
    fake.will("504")
    result = run(journal, backend, people(5))
    assert result.totals == Counter({Status.UNCERTAIN: 5}) and len(fake.mail_requests) == 1


def test_repeated_silence_stops_the_send(fake, backend, journal, open_send):
    open_send(SEND)
    fake.will("drop", "drop", "drop")
    result = run(journal, backend, people(20), batch_size=5)
    assert isinstance(result.stopped, DeliveryError) and "in a row" in str(result.stopped)
    assert result.totals == Counter({Status.UNCERTAIN: 15, Status.QUEUED: 5})


def test_connection_refused_is_retried_because_nothing_left(envelope, journal, open_send):
    """Nothing listens at first; the server comes up during the backoff wait."""
    open_send(SEND)
    probe = FakeSendGrid(API_KEY).start()
    port = probe.port
    probe.stop()
    late = FakeSendGrid(API_KEY)
    waits: list[float] = []

    def sleep_then_start(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            late.start(port)

    backend = SendGridBackend(API_KEY, envelope, host=f"http://127.0.0.1:{port}", policy=FAST,
                              sleep=sleep_then_start)  # fmt: skip
    try:
        result = run(journal, backend, people(4))
    finally:
        late.stop()
    assert len(waits) == 1
    assert result.totals == Counter({Status.ACCEPTED: 4})
    assert sorted(late.accepted) == sorted(c.email for c in people(4))


def test_unreachable_service_fails_safely_after_bounded_tries(envelope, journal, open_send):
    open_send(SEND)
    probe = FakeSendGrid(API_KEY).start()
    port = probe.port
    probe.stop()
    waits: list[float] = []
    backend = SendGridBackend(API_KEY, envelope, host=f"http://127.0.0.1:{port}", policy=FAST,
                              sleep=waits.append)  # fmt: skip
    result = run(journal, backend, people(4))
    assert len(waits) == FAST.attempts - 1
    assert result.totals == Counter({Status.FAILED: 4})  # FAILED: provably not sent, so resendable
    assert "could not reach SendGrid" in str(result.stopped)


def test_sandbox_mode_answers_200_and_delivers_nothing(fake, backend, journal, open_send):
    open_send(SEND)
    context = SendContext(send_id=SEND, issue_name="2025-09", sandbox=True)
    result = deliver(journal, backend, context, [Variant("all", make_email(), people(3))])
    assert [r.status for r in fake.mail_requests] == [200]
    assert fake.mail_requests[0].body["mail_settings"] == {"sandbox_mode": {"enable": True}}
    assert fake.accepted == [] and result.totals == Counter({Status.ACCEPTED: 3})


def test_scheduled_send_carries_send_at_and_a_batch_id_and_can_be_cancelled(fake, backend,
                                                                           journal, open_send):  # fmt: skip
    import time

    open_send(SEND)
    batch_id = backend.schedule()
    assert batch_id in fake.batches
    send_at = int(time.time()) + 3600
    context = SendContext(send_id=SEND, issue_name="2025-09", send_at=send_at, batch_id=batch_id)
    deliver(journal, backend, context, [Variant("all", make_email(), people(3))])
    body = fake.mail_requests[0].body
    assert body["send_at"] == send_at and body["batch_id"] == batch_id
    backend.cancel(batch_id)
    assert fake.cancelled == [batch_id]

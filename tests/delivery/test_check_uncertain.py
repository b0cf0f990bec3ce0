"""`send --check-uncertain`: SendGrid's Email Activity (the fake, real client) settles them."""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from support.issues import SEPTEMBER, members, ready
from support.sendgrid import API_KEY
from support.sending import SEND, make_email, people, run

from newsletter_cli.delivery import sendgrid_activity
from newsletter_cli.delivery.backends.base import SendContext
from newsletter_cli.delivery.deliver import Variant, deliver
from newsletter_cli.delivery.uncertain import ACTIVITY_DELAY, resolve_uncertain
from newsletter_cli.errors import DeliveryError
from newsletter_cli.journal.status import Status


@pytest.fixture
def find(fake, sleeps):
    api = sendgrid_activity.client(API_KEY, fake.url)
    return lambda query: sendgrid_activity.messages(api, query, sleep=sleeps.append)


def activity_queries(fake) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(r.path).query) for r in fake.requests if r.method == "GET"]


def two_uncertain_batches(fake, journal, backend, open_send):
    """Batch 1 taken by SendGrid but its answer lost; batch 2 never taken (no answer)."""
    open_send(SEND)
    fake.hang_seconds = 2.0
    fake.will("lost", "hang")
    result = run(journal, backend, people(10), batch_size=5)
    assert result.totals == Counter({Status.UNCERTAIN: 10})
    return people(10)[:5], people(10)[5:]


def test_found_become_accepted_the_rest_wait_for_the_activity_delay(fake, backend, journal,
                                                                    open_send, find):  # fmt: skip
    taken, lost = two_uncertain_batches(fake, journal, backend, open_send)
    soon = resolve_uncertain(journal, SEND, find)
    assert sorted(soon.found) == sorted(c.email for c in taken)
    assert sorted(soon.waiting) == sorted(c.email for c in lost) and not soon.cleared
    accepted = journal.recipients(SEND, [Status.ACCEPTED])
    assert all(r.message_id and "Email Activity (delivered)" in r.reason for r in accepted)
    # each batch was asked about on its own custom args, with SendGrid's largest limit
    queries = activity_queries(fake)
    assert queries[0]["query"] == [
        f"unique_args['newsletter_send']=\"{SEND}\" AND unique_args['newsletter_batch']=\"1\""]
    assert queries[0]["limit"] == ["1000"] and len(queries) == 2

    later = resolve_uncertain(journal, SEND, find,
                              now=time.time() + ACTIVITY_DELAY.total_seconds() + 60)  # fmt: skip
    assert sorted(later.cleared) == sorted(c.email for c in lost)
    failed = journal.recipients(SEND, [Status.FAILED])
    assert len(failed) == 5 and "safe to send again" in failed[0].reason
    # the next run sends the cleared ones; nobody gets two copies
    again = run(journal, backend, people(10), batch_size=5)
    assert again.this_run == Counter({Status.ACCEPTED: 5})
    assert Counter(fake.accepted) == Counter({c.email: 1 for c in people(10)})


def test_a_message_sendgrid_has_not_listed_yet_is_never_cleared(fake, backend, journal,
                                                                open_send, find):  # fmt: skip
    open_send(SEND)
    fake.will("lost")
    run(journal, backend, people(3))
    fake.activity_lag = 3600  # SendGrid took it; Email Activity does not show it yet
    found = resolve_uncertain(journal, SEND, find)
    assert len(found.waiting) == 3 and not found.cleared and not found.found
    assert found.recheck_after and found.recheck_after > time.time()
    assert journal.counts(SEND) == Counter({Status.UNCERTAIN: 3})


@pytest.mark.parametrize("answer", ["403", "404"])
def test_no_email_activity_add_on_keeps_them_uncertain(fake, backend, journal, open_send, find,
                                                       answer):  # fmt: skip
    open_send(SEND)
    fake.will("lost")
    run(journal, backend, people(3))
    fake.will_activity(answer)
    found = resolve_uncertain(journal, SEND, find, now=time.time() + 86400)
    assert found.unavailable == sendgrid_activity.UNAVAILABLE
    assert journal.counts(SEND) == Counter({Status.UNCERTAIN: 3})


def test_429_is_waited_out(fake, backend, journal, open_send, find, sleeps):
    open_send(SEND)
    fake.will("lost")
    run(journal, backend, people(2))
    fake.will_activity("429", "429")
    found = resolve_uncertain(journal, SEND, find)
    assert len(found.found) == 2 and len(sleeps) == 2
    assert all(0 <= s <= fake.rate_reset_in + 1 for s in sleeps)


def test_the_activity_client_reports_sendgrids_own_errors(fake):
    api = sendgrid_activity.client(API_KEY, fake.url)
    with pytest.raises(DeliveryError, match="'bad_field' is not a known field"):
        sendgrid_activity.messages(api, 'bad_field="x"')
    with pytest.raises(DeliveryError, match="less than or equal to 1000"):
        sendgrid_activity.messages(api, 'to_email="a@example.org"', limit=5000)
    wrong = sendgrid_activity.client("SG.wrong", fake.url)
    with pytest.raises(DeliveryError, match="rejected the API key"):
        sendgrid_activity.messages(wrong, 'to_email="a@example.org"')


def test_messages_are_found_by_address_too(fake, backend, journal, open_send):
    open_send(SEND)
    deliver(journal, backend, SendContext(send_id=SEND, issue_name="2025-09"),
            [Variant("all", make_email(), people(3))])  # fmt: skip
    api = sendgrid_activity.client(API_KEY, fake.url)
    found = sendgrid_activity.messages(api, f'to_email="{people(3)[1].email}"')
    assert [m.to_email for m in found] == [people(3)[1].email]
    assert found[0].status == "delivered" and found[0].msg_id


def test_cli_check_uncertain(invoke, project_dir, fake):
    ready(project_dir)
    env = {"SENDGRID_API_KEY": API_KEY, "SENDGRID_API_HOST": fake.url}
    args = ("send", SEPTEMBER, "--list", "dcs", "--backend", "sendgrid")
    fake.will("lost")
    assert invoke(*args, "--yes", env=env).exit_code == 0
    fake.will_activity("403")
    refused = invoke(*args, "--check-uncertain", env=env)
    assert refused.exit_code == 1
    assert "Email Activity is not available to this account" in refused.output
    assert "14 stay uncertain" in refused.output
    checked = invoke(*args, "--check-uncertain", env=env)
    assert checked.exit_code == 0, checked.output
    assert "14 found: SendGrid has them; now accepted." in checked.output
    assert len(fake.mail_requests) == 1  # checking sends nothing
    again = invoke(*args, "--yes", env=env)
    assert "Nothing to send: everyone on the list(s) already has it." in again.output
    assert Counter(fake.accepted) == Counter({e: 1 for e in members(project_dir, "dcs")})
    none = invoke(*args, "--check-uncertain", env=env)
    assert "has no uncertain recipients" in none.output

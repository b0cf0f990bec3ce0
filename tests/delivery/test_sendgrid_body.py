"""The SendGrid request body, built without the network."""

from __future__ import annotations

import json

import pytest
from support.sendgrid import GROUP
from support.sendgrid_fake import validate_mail
from support.sending import people

from newsletter_cli.delivery.sendgrid_body import (
    UNSUBSCRIBE_TAG,
    Envelope,
    build_body,
    display_name,
    prepare,
)
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail


def test_one_personalization_per_recipient_with_their_own_fields(email, envelope):
    contacts = people(3)
    body = build_body(prepare(email), contacts, envelope)
    assert [p["to"] for p in body["personalizations"]] == [
        [{"email": c.email, "name": c.name}] for c in contacts
    ]
    first = body["personalizations"][0]["substitutions"]
    assert first["%first_name%"] == "Person0"
    assert first["%first_name_html%"] == "Person0"
    assert first["%organisation%"] == "Council 0"
    assert validate_mail(body, set(), 0) == []


def test_text_comes_before_html_and_unsubscribe_tag_replaces_the_slot(email, envelope):
    body = build_body(prepare(email), people(1), envelope)
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    text, html = (c["value"] for c in body["content"])
    assert UNSUBSCRIBE_TAG in text and UNSUBSCRIBE_TAG in html
    assert f'href="{UNSUBSCRIBE_TAG}"' in html
    assert "%unsubscribe_url%" not in text + html
    assert body["asm"] == {"group_id": GROUP}


def test_html_gets_escaped_values_and_text_gets_raw_ones(email, envelope):
    contact = Contact(email="a@example.org", name="Ann", organisation="Smith & <Sons>")
    body = build_body(prepare(email), [contact], envelope)
    subs = body["personalizations"][0]["substitutions"]
    html = body["content"][1]["value"]
    assert "%organisation_html%" in html and "%organisation%" not in html
    assert subs["%organisation_html%"] == "Smith &amp; &lt;Sons&gt;"
    assert subs["%organisation%"] == "Smith & <Sons>"


def test_only_tokens_in_use_are_substituted(envelope):
    email = RenderedEmail("Hello", "", "<p>Hi %first_name%</p>", "Hi", "x")
    subs = build_body(prepare(email), people(1), envelope)["personalizations"][0]["substitutions"]
    assert subs == {"%first_name_html%": "Person0"}


def test_one_click_unsubscribe_is_sendgrids_subscription_tracking_in_the_footer_link(
    email, envelope
):
    body = build_body(prepare(email), people(2), envelope)
    # SendGrid's subscription tracking, its URL put where the email shows "unsubscribe"
    assert body["tracking_settings"] == {
        "subscription_tracking": {"enable": True, "substitution_tag": UNSUBSCRIBE_TAG},
        "open_tracking": {"enable": False},  # newsletter.toml's choice, sent every time
        "click_tracking": {"enable": False, "enable_text": False},
    }
    assert body["asm"] == {"group_id": GROUP}  # ... recorded in the newsletter's group
    text, html = (c["value"] for c in body["content"])
    assert text.count(UNSUBSCRIBE_TAG) == 1 and html.count(UNSUBSCRIBE_TAG) == 1
    assert f'href="{UNSUBSCRIBE_TAG}"' in html
    # no List-Unsubscribe of our own: it would stand in the way of SendGrid's one-click pair
    for p in body["personalizations"]:
        assert "headers" not in p
    assert "headers" not in body
    assert validate_mail(body, set(), 0) == []


def test_send_wide_fields(email, envelope):
    scheduled = Envelope(**{
        **envelope.__dict__,
        "categories": ("regional-update", "2025-09", "regional-update"),
        "custom_args": (("newsletter_send", "s1"),),
        "send_at": 1_900_000_000,
        "batch_id": "B1",
        "sandbox": True,
    })  # fmt: skip
    body = build_body(prepare(email), people(1), scheduled)
    assert body["categories"] == ["regional-update", "2025-09"]
    assert body["custom_args"] == {"newsletter_send": "s1"}
    assert body["send_at"] == 1_900_000_000 and body["batch_id"] == "B1"
    assert body["mail_settings"] == {"sandbox_mode": {"enable": True}}
    assert body["from"] == {"email": "regional.team@example.org",
                            "name": "West Midlands Regional Team"}  # fmt: skip
    assert body["reply_to"] == {"email": "replies@example.org"}
    json.dumps(body)  # serialisable as is


def test_refuses_batches_sendgrid_would_refuse(email, envelope):
    template = prepare(email)
    with pytest.raises(ValueError, match="1,000"):
        build_body(template, people(1001), envelope)
    twice = people(2) + [Contact(email="PERSON000000@example.org")]
    with pytest.raises(ValueError, match="twice"):
        build_body(template, twice, envelope)
    with pytest.raises(ValueError):
        build_body(template, [], envelope)
    assert len(build_body(template, people(1000), envelope)["personalizations"]) == 1000


def test_display_names_lose_characters_sendgrid_refuses():
    assert display_name('Smith, "Jo"; Head\r\nof <x>') == "Smith Jo Head of x"


@pytest.mark.parametrize("opens, clicks", [(False, False), (True, False), (False, True)])
def test_open_and_click_tracking_are_always_sent_as_chosen(email, envelope, opens, clicks):
    from dataclasses import replace

    chosen = replace(envelope, track_opens=opens, track_clicks=clicks)
    body = build_body(prepare(email), people(2), chosen)
    tracking = body["tracking_settings"]
    assert tracking["open_tracking"] == {"enable": opens}
    assert tracking["click_tracking"] == {"enable": clicks, "enable_text": clicks}
    assert tracking["subscription_tracking"]["enable"] is True
    assert validate_mail(body, set(), 0) == []


def test_the_sendgrid_backend_takes_tracking_from_newsletter_toml(project, monkeypatch):
    from newsletter_cli.config import load_config
    from newsletter_cli.delivery.backends.registry import make_backend

    monkeypatch.setenv("SENDGRID_API_KEY", "SG.test-key-not-real")
    config = load_config(project)
    assert not config.sendgrid.track_opens and not config.sendgrid.track_clicks
    backend = make_backend("sendgrid", project, config)
    assert backend.envelope.track_opens is False and backend.envelope.track_clicks is False
    on = config.model_copy(update={"sendgrid": config.sendgrid.model_copy(
        update={"track_opens": True, "track_clicks": True})})  # fmt: skip
    backend = make_backend("sendgrid", project, on)
    assert backend.envelope.track_opens is True and backend.envelope.track_clicks is True

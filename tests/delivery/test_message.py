"""One recipient's message: the bytes the outbox writes and SMTP sends, parsed back."""

from __future__ import annotations

import email
from email import policy

from newsletter_cli.build import build_issue
from newsletter_cli.delivery.message import Letterhead, personal_message
from newsletter_cli.mime import MAX_LINE
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

LONG_HTML = (
    '<html><body><p style="font-family:Arial,sans-serif;color:#0b0c0c">Dear %first_name%,</p>'
    + "<p>" + "Regional news and events for children's services – " * 40 + "</p>"
    + '<p><a href="%unsubscribe_url%">Unsubscribe</a></p>\n<p>.a line starting with a dot</p>'
    + "</body></html>"
)  # fmt: skip
TEXT = "Dear %first_name%,\n\n" + "word " * 300 + "\n\nUnsubscribe: %unsubscribe_url%\n"
CONTACT = Contact(email="ann.o-brien@dudley.example.org", name="O'Brien, Ann",
                  organisation="Dudley <Council> & Partners")  # fmt: skip
LETTERHEAD = Letterhead("regional.team@example.org", "West Midlands Team", "replies@example.org")


def wire(letterhead: Letterhead = LETTERHEAD) -> bytes:
    rendered = RenderedEmail("Regional Update – September 2025", "pre", LONG_HTML, TEXT, "2025-09")
    msg = personal_message(rendered, CONTACT, letterhead, issue_name="2025-09", send_id="s-1")
    return msg.as_bytes()


def lines_of_body_parts(raw: bytes) -> list[bytes]:
    _, _, body = raw.partition(b"\r\n\r\n")
    return body.split(b"\r\n")


def test_every_body_line_is_at_most_76_characters_and_7bit():
    raw = wire()
    assert max(len(line) for line in lines_of_body_parts(raw)) <= MAX_LINE
    assert raw.isascii() and b"\n" not in raw.replace(b"\r\n", b"")
    msg = email.message_from_bytes(raw, policy=policy.default)
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p["Content-Transfer-Encoding"] == "quoted-printable" for p in parts)


def test_parsed_back_it_is_the_personal_message():
    msg = email.message_from_bytes(wire(), policy=policy.default)
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")  # CRLF on the wire
    assert text.startswith("Dear Ann,\n") and "word " * 300 in text
    phrase = "Regional news and events for children's services – "
    assert phrase * 40 in html  # non-ASCII survives the encoding
    assert ".a line starting with a dot" in html
    mailto = "mailto:replies@example.org?subject=unsubscribe%20ann.o-brien%40dudley.example.org"
    assert f"Unsubscribe: {mailto}" in text and f'href="{mailto}"' in html
    assert msg["To"].addresses[0].addr_spec == CONTACT.email
    assert msg["To"].addresses[0].display_name == "O'Brien Ann"  # no comma to split the address on
    assert msg["Subject"] == "Regional Update – September 2025"
    assert msg["X-Newsletter-Send"] == "s-1" and msg["Reply-To"] == "replies@example.org"


def test_list_unsubscribe_is_mailto_only_and_never_encoded():
    raw = wire()
    header = next(line for line in raw.split(b"\r\n") if line.startswith(b"List-Unsubscribe"))
    assert header == (b"List-Unsubscribe: <mailto:replies@example.org?subject=unsubscribe"
                      b"%20ann.o-brien%40dudley.example.org>")  # fmt: skip
    assert b"List-Unsubscribe-Post" not in raw and b"=?utf-8?" not in header


def test_one_click_url_adds_https_first_and_the_post_header():
    letterhead = Letterhead("regional.team@example.org", "Team", None,
                            "https://updates.example.org/unsubscribe?e={email}&list=regional")  # fmt: skip
    raw = wire(letterhead)
    msg = email.message_from_bytes(raw, policy=policy.default)
    link = "https://updates.example.org/unsubscribe?e=ann.o-brien%40dudley.example.org&list=regional"
    assert str(msg["List-Unsubscribe"]) == (
        f"<{link}>, <mailto:regional.team@example.org?subject=unsubscribe%20"
        "ann.o-brien%40dudley.example.org>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.replace("&", "&amp;") in msg.get_body(("html",)).get_content()
    # folded between the two URLs, each kept whole on its own line
    assert f"List-Unsubscribe: <{link}>,\r\n <mailto:".encode() in raw


def test_build_preview_eml_is_wrapped_too(project):
    build_issue(project.root / "issues/2025-09-regional-update.yaml", project)
    raw = (project.root / "build/2025-09-regional-update/preview.eml").read_bytes()
    assert max(len(line) for line in lines_of_body_parts(raw)) <= MAX_LINE
    html = email.message_from_bytes(raw, policy=policy.default).get_body(("html",)).get_content()
    assert "</html>" in html and len(html) > 10_000

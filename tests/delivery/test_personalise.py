"""The fast path: a version built once and filled in per recipient equals a message built anew."""

from __future__ import annotations

import email
import re
from email import policy
from email.headerregistry import Address

import pytest

from newsletter_cli.delivery.message import Letterhead, personal_message
from newsletter_cli.delivery.personalise import MessageTemplate, PersonalMessages
from newsletter_cli.headertext import UnsafeHeader
from newsletter_cli.mime import MAX_LINE, POLICY, folded_header, wire_bytes
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import RenderedEmail

HTML = (
    '<html><body><p style="font-family:Arial">Dear %first_name%,</p>\n'
    + "<p>" + "Regional news for children's services – café " * 40 + "</p>\n\n"
    + "<p>For %organisation% (%role%), %name% &lt;%email%&gt;</p>   \n"
    + '<p><a href="%unsubscribe_url%">Unsubscribe</a></p>\n.a line starting with a dot\n'
    + "trailing space \n\n\n" + "x" * 75 + "=\n" + "</body></html>"
)  # fmt: skip
TEXT = (
    "Dear %first_name%,\n\n" + "word =? " * 200 + "\n\nFor %organisation%.\t\n"
    "Unsubscribe: %unsubscribe_url%\n\n"
)
LETTERHEAD = Letterhead("regional.team@example.org", "West Midlands Team", "replies@example.org")
ONE_CLICK = Letterhead("team@example.org", "Team", None, "https://u.example.org/x?e={email}")
PEOPLE = [
    Contact("ann@example.org", "Ann Smith", "Dudley Council", "Head of Service"),
    Contact("ann.o-brien@dudley.example.org", "O'Brien, Ann", "Dudley <Council> & Partners"),
    Contact("zoe@example.org", "Zoë Ñúñez-Łukasz 山田", "Ünïon “Council” – café", "Rôle"),
    Contact("x@example.org", "%unsubscribe_url% %first_name%", "%name%", "a\nb"),
    Contact("long@example.org", "Anne-Marie " * 12 + "Smith", "=3D=20 =?x?=", "<b>&amp;</b>"),
    Contact("plain@example.org", "", "", ""),
]
SUBJECTS = ["Regional Update – September 2025", "%first_name%, your September update"]


def parsed(raw: bytes) -> tuple:
    """Everything a reader's program sees, but the Date, Message-ID and MIME boundary."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    headers = [(k, str(v)) for k, v in msg.items() if k not in ("Date", "Message-ID")]
    headers = [(k, v.split(";")[0] if k == "Content-Type" else v) for k, v in headers]
    parts = [
        (p.get_content_type(), p["Content-Transfer-Encoding"], p.get_content_charset(),
         p.get_content())
        for p in msg.iter_parts()
    ]  # fmt: skip
    return headers, msg.get_content_type(), parts


def from_scratch(rendered: RenderedEmail, contact: Contact, letterhead: Letterhead) -> bytes:
    return wire_bytes(
        personal_message(rendered, contact, letterhead, issue_name="2025-09", send_id="s-1")
    )


@pytest.mark.parametrize("letterhead", [LETTERHEAD, ONE_CLICK], ids=["mailto", "one-click"])
@pytest.mark.parametrize("subject", SUBJECTS, ids=["fixed", "personal"])
@pytest.mark.parametrize("contact", PEOPLE, ids=lambda c: c.email)
def test_filled_in_equals_built_from_scratch(contact, subject, letterhead):
    rendered = RenderedEmail(subject, "pre", HTML, TEXT, "2025-09")
    fast = PersonalMessages(letterhead, "2025-09", "s-1").wire(rendered, contact)
    assert parsed(fast) == parsed(from_scratch(rendered, contact, letterhead))
    head, _, body = fast.partition(b"\r\n\r\n")
    assert fast.isascii() and b"\n" not in fast.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= MAX_LINE
    msg = email.message_from_bytes(fast, policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == contact.email
    assert len(msg.get_all("To")) == 1 and len(msg.get_all("Message-ID")) == 1


def test_one_template_serves_every_recipient_with_fresh_ids():
    rendered = RenderedEmail(SUBJECTS[1], "pre", HTML, TEXT, "2025-09")
    messages = PersonalMessages(LETTERHEAD, "2025-09", "s-1")
    raws = [messages.wire(rendered, contact) for contact in PEOPLE]
    assert len(messages._templates) == 1
    for raw, contact in zip(raws, PEOPLE, strict=True):
        assert parsed(raw) == parsed(from_scratch(rendered, contact, LETTERHEAD))
    ids = {email.message_from_bytes(raw, policy=policy.default)["Message-ID"] for raw in raws}
    assert len(ids) == len(PEOPLE)


def test_a_carriage_return_falls_back_to_building_from_scratch():
    rendered = RenderedEmail("S", "pre", "<p>Dear %name%</p>\r\n<p>x</p>", "Dear %name%\r", "i")
    contact = Contact("cr@example.org", "Ann", "Org\r", "")
    fast = PersonalMessages(LETTERHEAD, "i", "s").wire(rendered, contact)
    assert parsed(fast) == parsed(
        wire_bytes(personal_message(rendered, contact, LETTERHEAD, issue_name="i", send_id="s"))
    )


@pytest.mark.parametrize("subject", ["Hi %first_name%", "Hi %name%"], ids=["first-name", "name"])
def test_a_name_that_would_add_a_header_is_refused_per_message(subject):
    rendered = RenderedEmail(subject, "pre", HTML, TEXT, "2025-09")
    messages = PersonalMessages(LETTERHEAD, "2025-09", "s-1")
    messages.wire(rendered, PEOPLE[0])
    hostile = [
        Contact("h@example.org", "Eve\x1bBcc: all@example.org", "", ""),
        Contact("e@example.org", "=?utf-8?q?Eve=0ABcc:_x@example.org?=", "", ""),
        Contact("a@b.org>, c@d.org", "Ann", "", ""),
    ]
    for contact in hostile:  # refused both ways, every time
        with pytest.raises(UnsafeHeader):
            messages.wire(rendered, contact)
        with pytest.raises(UnsafeHeader):
            from_scratch(rendered, contact, LETTERHEAD)


def test_a_template_refuses_headers_it_was_not_built_with():
    rendered = RenderedEmail("S", "pre", HTML, TEXT, "i")
    template = MessageTemplate(rendered, from_email="a@example.org", from_name="A",
                               reply_to=None, headers={"X-One": "1"})  # fmt: skip
    with pytest.raises(ValueError):
        template.fill(to="b@example.org", to_name="B", fields={}, unsubscribe_url="u",
                      headers={"X-Two": "2"})  # fmt: skip


@pytest.mark.parametrize(
    "name",
    ["", "Ann", "O'Brien Ann", "Anne-Marie Smith_Jones", "A" * 30, "A" * 31, "A" * 32,
     "Ann " * 12, "Dr. Ann Smith", "Zoë Smith", "Smith (Council)", "Ann  Smith", " Ann"],
)  # fmt: skip
@pytest.mark.parametrize("address", ["ann@example.org", "a.b+c@mail.council.example.org"])
def test_a_plain_to_header_is_written_as_the_email_package_writes_it(name, address):
    value = Address(name, addr_spec=address)
    expected = POLICY.fold_binary("To", POLICY.header_store_parse("To", value)[1])
    assert folded_header("To", value) == expected


@pytest.mark.parametrize("urls", [1, 2, 6])
def test_a_url_header_is_written_as_the_email_package_writes_it(urls):
    value = ", ".join(f"<https://u.example.org/unsubscribe/{i}?e=ann%40example.org>"
                      for i in range(urls))  # fmt: skip
    stored = POLICY.header_store_parse("List-Unsubscribe", value)[1]
    assert folded_header("List-Unsubscribe", value) == POLICY.fold_binary(
        "List-Unsubscribe", stored
    )


#: One long line with tokens at every offset around a 76-character encoded line, "=" and
#: non-ASCII letters (encoded as 3 and 6 characters) close to where a soft break falls.
LONG_LINE = "".join(
    f'<td style="a:b">{"é" * (i % 4)}{"x" * i}=%first_name%.{"y=" * (i % 7)}{"z" * (80 - i)}'
    f" %organisation% </td>"
    for i in range(60, 92)
) + "".join(  # runs between fields whose last encoded line is 70 to 81 characters long
    f"%name%{'x' * n}%role%{'x' * (n - 1)}={'é' * (n % 3)}%organisation%{'x' * (n + 76)}"
    for n in range(70, 82)
)
DOTTED = [
    Contact(".dot@example.org", ".Dot Smith", ".Org", ".role"),
    Contact("eq@example.org", "=== é ===", "Org " * 30, "x" * 74),
    *PEOPLE,
]


@pytest.mark.parametrize("contact", DOTTED, ids=lambda c: c.email)
def test_long_lines_with_fields_equal_built_from_scratch(contact):
    rendered = RenderedEmail("S", "pre", LONG_LINE + "\n<p>%name%</p>\n", LONG_LINE[:4000], "i")
    fast = PersonalMessages(LETTERHEAD, "2025-09", "s-1").wire(rendered, contact)
    assert parsed(fast) == parsed(from_scratch(rendered, contact, LETTERHEAD))
    _, _, body = fast.partition(b"\r\n\r\n")
    assert max(len(line) for line in body.split(b"\r\n")) <= MAX_LINE


@pytest.mark.parametrize("contact", DOTTED, ids=lambda c: c.email)
def test_the_smtp_form_doubles_each_dot_that_starts_a_line(contact):
    html = ".starts\n" + LONG_LINE + "\n.%name%\n..two %first_name%\n"
    rendered = RenderedEmail("S", "pre", html, ".%role%\n.\n" + LONG_LINE[:3000], "i")
    messages = PersonalMessages(LETTERHEAD, "2025-09", "s-1")
    data = messages.wire(rendered, contact, stuffed=True)
    assert not re.search(rb"(?m)^\.(?!\.)", data)  # every line starting with a dot has two
    unstuffed = re.sub(rb"(?m)^\.", b"", data)
    assert unstuffed.count(b"\r\n") == data.count(b"\r\n")
    assert parsed(unstuffed) == parsed(from_scratch(rendered, contact, LETTERHEAD))
    plain = messages.wire(rendered, contact)
    assert len(data) - len(unstuffed) == len(re.findall(rb"(?m)^\.", plain))

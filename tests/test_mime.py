"""Headers built so that no Python version can fold a value into new header lines.

CVE-2024-6923: Python 3.11.7 and 3.12.1 (among others) decode an encoded word in a
value and write its line breaks out raw. The tests below run on whatever Python runs
them and read the bytes.
"""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from newsletter_cli.headertext import UnsafeHeader, header_problem
from newsletter_cli.mime import build_message, wire_bytes
from newsletter_cli.render import RenderedEmail

EMAIL = RenderedEmail("Update", "", "<p>Hello</p>", "Hello", "2025-09")
ENCODED = "=?utf-8?q?=0D=0ABcc=3A_evil3=40attacker=2Eexample?="


def message(**changes):
    values = {"from_email": "team@example.org", "from_name": "Team", "to": "ann@example.org",
              "to_name": "Ann", "reply_to": "replies@example.org"}  # fmt: skip
    values.update(changes)
    return build_message(values.pop("email", EMAIL), **values)


@pytest.mark.parametrize(
    "changes",
    [
        {"to_name": f"Fay {ENCODED}"},
        {"from_name": f"Team {ENCODED}"},
        {"from_name": "Team\r\nBcc: evil3@attacker.example"},
        {"to_name": "Fay\u2028Bcc: evil3@attacker.example"},
        {"email": RenderedEmail(f"Hi {ENCODED}", "", "<p/>", "", "x")},
        {"email": RenderedEmail("Hi\nX-Subj-Injected: yes", "", "<p/>", "", "x")},
        {"to": "fay@x.example.org>, evil3@attacker.example"},
        {"reply_to": "=?utf-8?q?x?=@example.org"},
        {"headers": {"X-Newsletter-Issue": f"a {ENCODED}"}},
        {"headers": {"X-Bad\r\nBcc": "x"}},
    ],
)
def test_a_value_that_could_add_a_header_is_refused_before_the_email_package_sees_it(changes):
    with pytest.raises(UnsafeHeader):
        message(**changes)


def test_the_written_header_block_must_be_the_one_given():
    msg = message()
    msg.set_raw("X-Note", "a\r\nBcc: evil3@attacker.example")  # stored and written as is
    with pytest.raises(UnsafeHeader, match="the X-Note header .*a stray line: 'Bcc'"):
        wire_bytes(msg)
    msg = message()
    msg.set_raw("X-Note", "a\r\n\r\nnew body")
    with pytest.raises(UnsafeHeader):
        wire_bytes(msg)


def test_names_in_any_script_and_with_punctuation_still_go_out_on_their_own_line():
    name = " ".join(['Zoë "Zo" O\'Neil, Ph.D. (SEND) 김민준'] * 3)
    data = wire_bytes(message(to_name=name, from_name="Équipe = ? régionale"))
    head = data.split(b"\r\n\r\n", 1)[0]
    names = [line.split(b":")[0] for line in head.split(b"\r\n") if not line[:1].isspace()]
    assert names == [b"From", b"To", b"Subject", b"Reply-To", b"Date", b"Message-ID",
                     b"MIME-Version", b"Content-Type"]  # fmt: skip
    parsed = email.message_from_bytes(data, policy=policy.default)
    assert parsed["To"].addresses[0].display_name == name
    assert parsed["From"].addresses[0].display_name == "Équipe = ? régionale"
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))


@pytest.mark.parametrize("char", ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
                                  "\u2029", "\x00", "\x1b", "\x7f"])  # fmt: skip
def test_every_line_break_and_control_character_is_named(char):
    problem = header_problem(f"a{char}b")
    assert problem is not None and f"(U+{ord(char):04X})" in problem
    assert re.match(r"holds a (line break|control character)", problem)
    assert header_problem("a\tb = ? c") is None

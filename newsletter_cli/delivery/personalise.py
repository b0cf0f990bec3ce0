"""Each version's message built once, filled in per recipient: the fast path of SMTP and outbox.

:func:`~newsletter_cli.delivery.message.personal_message` builds every message from
scratch with the email package (most of a send's time). Here the MIME skeleton, the
headers that are the same for everyone and every line of the body parts that holds no
recipient token are built and encoded once per version; for each recipient only the
lines holding a token are filled in (as :meth:`RenderedEmail.personalise` does) and
quoted-printable encoded, and only the headers whose value differs (To, the
unsubscribe links, the Subject if it names the reader, Date, Message-ID) are folded.

The same checks run for every message: each header value is refused if it could add
a line (:func:`~newsletter_cli.headertext.header_value`), each header is folded by the
email package and must be written as one logical line (:func:`~newsletter_cli.mime.one_line`),
and the header block is exactly those headers. Parsed back with the email package, a
message from here equals the one :func:`personal_message` builds (tests compare them).
"""

from __future__ import annotations

import binascii
import html as _html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate, make_msgid

from newsletter_cli.delivery.message import (
    Letterhead,
    display_name,
    one_click_link,
    personal_message,
    unsubscribe_headers,
    unsubscribe_mailto,
)
from newsletter_cli.headertext import header_value
from newsletter_cli.mime import build_message, folded_header, mailbox, one_line, wire_bytes
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import TOKENS, UNSUBSCRIBE_SLOT, RenderedEmail

#: Stand-ins for the two body parts in the skeleton (plain ASCII: quoted-printable keeps them).
_TEXT_MARK = b"NEWSLETTERxTEXTxPARTx7f3c1e"
_HTML_MARK = b"NEWSLETTERxHTMLxPARTx7f3c1e"
_ALL_TOKENS = (*TOKENS.values(), UNSUBSCRIBE_SLOT)
#: A line break as the email package splits a body part's text (bytes.splitlines()).
_LINE = re.compile(r"\r\n|\r|\n")
_TOKEN_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in _ALL_TOKENS) + ")")
#: A soft line break, and the longest last line of an encoded run that one may follow.
_SOFT_BREAK = b"=\r\n"
_RUN_LINE = 75


def qp_lines(lines: list[str]) -> bytes:
    """Whole lines as the email package writes a quoted-printable part: utf-8, CRLF, <= 76."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")


def qp_run(text: str) -> bytes:
    """A run of text within one line, quoted-printable, for a soft line break to follow.

    Its lines are joined by soft breaks; the last one is at most 75 characters, so a
    soft break (``=``) may end it and the line stays within 76.
    """
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")
    start = encoded.rfind(b"\n") + 1
    if len(encoded) - start > _RUN_LINE:
        # 76 long: b2a_qp let a last plain character make it so (an =XX escape never
        # does), so a soft break before that character is never inside an escape.
        encoded = encoded[:-1] + _SOFT_BREAK + encoded[-1:]
    return encoded


def dot_stuffed(data: bytes) -> bytes:
    """Bytes starting at a line start, with a dot that starts a line doubled (RFC 5321)."""
    stuffed = data.replace(b"\n.", b"\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


class _Line:
    """A line holding recipient tokens: its runs between tokens encoded once."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.runs: list[bytes | str] = []  # encoded text, or the token to fill in there
        for piece in _TOKEN_SPLIT.split(line):
            if piece in _ALL_TOKENS:
                self.runs.append(piece)
            elif piece:
                self.runs.append(qp_run(piece))

    def fill(self, values: dict[str, str], odd: bool) -> bytes:
        """The line with ``values`` (token: value, escaped already) put in, encoded;
        ``odd``: a value adds a line or holds a token."""
        if odd:  # filled in turn, as RenderedEmail.personalise does
            line = self.line
            for token, value in values.items():
                line = line.replace(token, value)
            return qp_lines(_LINE.split(line))
        runs = []
        for run in self.runs:
            if isinstance(run, bytes):
                runs.append(run)
            elif values.get(run, ""):
                runs.append(qp_run(values[run]))
        return _SOFT_BREAK.join(runs) + b"\r\n"


def _odd(values: list[tuple[str, str]]) -> bool:
    """Whether a value adds a line, or holds a token (filled in turn, as a message built
    from scratch has it): then each line is filled and encoded whole. HTML escaping
    neither adds nor takes away either."""
    return any("\n" in v or any(t in v for t in _ALL_TOKENS) for _, v in values)


class _Part:
    """One body part: encoded runs of token-free lines, and the lines to fill per recipient."""

    def __init__(self, text: str, escape: bool) -> None:
        self.escape = escape
        self.pieces: list[bytes | _Line] = []
        static: list[str] = []
        lines = _LINE.split(text)
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()  # a last line break ends the last line (as bytes.splitlines() sees it)
        for line in lines:
            if any(token in line for token in _ALL_TOKENS):
                self._flush(static)
                self.pieces.append(_Line(line))
            else:
                static.append(line)
        self._flush(static)
        self.stuffed = [dot_stuffed(p) if isinstance(p, bytes) else p for p in self.pieces]

    def _flush(self, static: list[str]) -> None:
        if static:
            self.pieces.append(qp_lines(static))
            static.clear()

    def fill(self, values: list[tuple[str, str]], *, stuffed: bool = False) -> bytes:
        """The part's encoded body with ``values`` (token, value) put in; dot-stuffed for
        SMTP's DATA if ``stuffed``."""
        given = {t: _html.escape(v) if self.escape else v for t, v in values}
        odd = _odd(values)
        out = []
        for piece in self.stuffed if stuffed else self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
            else:
                line = piece.fill(given, odd)
                out.append(dot_stuffed(line) if stuffed else line)
        return b"".join(out)


class MessageTemplate:
    """One rendered version (with recipient tokens) as a message skeleton, filled per person."""

    def __init__(
        self,
        email: RenderedEmail,
        *,
        from_email: str,
        from_name: str,
        reply_to: str | None,
        headers: Mapping[str, str],
    ) -> None:
        self.email = email
        self.from_email = from_email
        skeleton = build_message(
            RenderedEmail(email.subject, email.preheader, _HTML_MARK.decode(),
                          _TEXT_MARK.decode(), email.issue_name),
            from_email=from_email, from_name=from_name, to=from_email,
            reply_to=reply_to, headers=headers,
        )  # fmt: skip
        raw = wire_bytes(skeleton)  # every header of the template checked once
        self.names = tuple(headers)
        self._folded: dict[str, tuple[object, bytes]] = {}
        for name, value in skeleton.raw_items():
            self._folded[name] = (headers.get(name, value), folded_header(name, value))
        # One MIME boundary for every message of the version: it holds "==", which no
        # quoted-printable body can (an "=" there is always followed by hex digits or CRLF).
        _, body = raw.split(b"\r\n\r\n", 1)
        self._mime_head = b"".join(
            self._folded[name][1] for name in ("MIME-Version", "Content-Type")
        )
        before, rest = body.split(_TEXT_MARK + b"\r\n")
        between, after = rest.split(_HTML_MARK + b"\r\n")
        self._body = (b"\r\n" + before, between, after)
        self._stuffed_body = tuple(dot_stuffed(piece) for piece in self._body)
        #: A carriage return in the text or a value could join two line breaks into one:
        #: then only a message built from scratch is sure to be right.
        self.exact = "\r" not in email.text and "\r" not in email.html
        self._text = _Part(email.text, escape=False)
        self._html = _Part(email.html, escape=True)

    def fill(
        self,
        *,
        to: str,
        to_name: str,
        fields: Mapping[str, str],
        unsubscribe_url: str,
        headers: Mapping[str, str],
        stuffed: bool = False,
    ) -> bytes:
        """The wire bytes (CRLF) of the message to one person, as ``wire_bytes`` would give
        (dot-stuffed for SMTP's DATA if ``stuffed``)."""
        if tuple(headers) != self.names:
            raise ValueError("a message template is filled with the headers it was built with")
        values = [(token, fields.get(name, "")) for name, token in TOKENS.items()]
        subject = self.email.subject
        for token, value in values:
            subject = subject.replace(token, value)
        block = [
            self._header("From"),
            folded_header("To", mailbox("To", to_name, to)),
            self._header("Subject", header_value("Subject", subject)),
        ]
        if "Reply-To" in self._folded:
            block.append(self._header("Reply-To"))
        block.append(one_line("Date", b"Date: %s\r\n" % formatdate(localtime=True).encode()))
        msgid = make_msgid(domain=self.from_email.rsplit("@", 1)[-1])
        block.append(one_line("Message-ID", b"Message-ID: %s\r\n" % msgid.encode("ascii")))
        block.extend(self._header(name, header_value(name, v)) for name, v in headers.items())
        block.append(self._mime_head)
        values.append((UNSUBSCRIBE_SLOT, unsubscribe_url))
        before, between, after = self._stuffed_body if stuffed else self._body
        text = self._text.fill(values, stuffed=stuffed)
        html = self._html.fill(values, stuffed=stuffed)
        head = b"".join(block)
        return b"".join((dot_stuffed(head) if stuffed else head, before, text, between, html,
                         after))  # fmt: skip

    def _header(self, name: str, value: str | None = None) -> bytes:
        """The template's folded header, or ``value`` folded when it differs."""
        kept, folded = self._folded[name]
        if value is None or value == kept:
            return folded
        return folded_header(name, value)


@dataclass
class PersonalMessages:
    """The wire bytes of each recipient's message, one template per version (the fast path)."""

    letterhead: Letterhead
    issue_name: str
    send_id: str

    def __post_init__(self) -> None:
        self._templates: dict[int, MessageTemplate] = {}

    def wire(self, email: RenderedEmail, contact: Contact, *, stuffed: bool = False) -> bytes:
        """What :func:`personal_message` + :func:`wire_bytes` give, without rebuilding;
        dot-stuffed for SMTP's DATA if ``stuffed`` (each line starting with "." doubled)."""
        letterhead = self.letterhead
        if letterhead.one_click_url:
            link = one_click_link(letterhead.one_click_url, contact.email)
        else:
            link = unsubscribe_mailto(letterhead.mailbox, contact.email)
        headers = unsubscribe_headers(contact.email, letterhead.mailbox, letterhead.one_click_url)
        headers["X-Newsletter-Issue"] = self.issue_name
        headers["X-Newsletter-Send"] = self.send_id
        template = self._template(email, headers)
        fields = contact.fields()
        if not template.exact or any("\r" in value for value in fields.values()):
            raw = wire_bytes(personal_message(
                email, contact, letterhead, issue_name=self.issue_name, send_id=self.send_id
            ))  # fmt: skip
            return dot_stuffed(raw) if stuffed else raw
        return template.fill(
            to=contact.email, to_name=display_name(contact.name), fields=fields,
            unsubscribe_url=link, headers=headers, stuffed=stuffed,
        )  # fmt: skip

    def _template(self, email: RenderedEmail, headers: Mapping[str, str]) -> MessageTemplate:
        template = self._templates.get(id(email))
        if template is None or template.email is not email:
            if len(self._templates) > 64:
                self._templates.clear()
            template = MessageTemplate(
                email, from_email=self.letterhead.from_email,
                from_name=display_name(self.letterhead.from_name),
                reply_to=self.letterhead.mailbox, headers=headers,
            )  # fmt: skip
            self._templates[id(email)] = template
        return template

"""The body of one SendGrid v3 ``/v3/mail/send`` request, built without the network.

One rendered email serves the whole batch: each recipient gets their own
personalization (so nobody sees another address) carrying substitutions for
their name, organisation and so on. Text is HTML-escaped for the HTML part by
giving the HTML its own tokens (``%first_name_html%``), so a name such as
``Smith & <Co>`` cannot break the markup.

Unsubscribing needs no human: every request turns on SendGrid's subscription tracking
with a substitution tag standing where the email shows its unsubscribe link, and names
the unsubscribe group (``asm.group_id``). SendGrid then puts its own https unsubscribe
URL at the tag (no second footer), and adds to every message an https
``List-Unsubscribe`` (with a mailto it also processes) and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` (RFC 8058). A click, a one-click POST and a reply to the
mailto all record the reader in that group. The request carries no List-Unsubscribe
header of its own: a message has one such header, and ours (a mailto to the team)
would at best be dropped and at worst stand in for SendGrid's, leaving no one-click.

Open and click tracking are sent on or off as newsletter.toml says ([sendgrid]
track_opens, track_clicks), never left to the account's defaults.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsletter_cli.delivery.message import display_name
from newsletter_cli.headertext import header_problem
from newsletter_cli.recipients.contact import Contact
from newsletter_cli.render import TOKENS, UNSUBSCRIBE_SLOT, RenderedEmail

#: SendGrid's limits for one request.
MAX_PERSONALIZATIONS = 1000
MAX_CATEGORIES = 10
MAX_CATEGORY_LENGTH = 255
MAX_SUBSTITUTION_BYTES = 10_000
#: SendGrid's subscription tracking puts each recipient's unsubscribe URL where this stands.
UNSUBSCRIBE_TAG = "[sendgrid_unsubscribe_url]"


def html_token(name: str) -> str:
    """The token standing for ``name`` in the HTML part (escaped value)."""
    return f"%{name}_html%"


@dataclass(frozen=True)
class Envelope:
    """What is the same for every request of a send."""

    from_email: str
    from_name: str
    reply_to: str | None
    unsubscribe_group: int | None
    categories: tuple[str, ...] = ()
    custom_args: tuple[tuple[str, str], ...] = ()
    send_at: int | None = None
    batch_id: str | None = None
    sandbox: bool = False
    #: Open and click tracking ([sendgrid] track_opens, track_clicks): always sent, on or
    #: off, so the account's defaults never decide.
    track_opens: bool = False
    track_clicks: bool = False


@dataclass(frozen=True)
class Template:
    """A rendered email prepared for SendGrid: HTML tokens split, unsubscribe tag placed."""

    subject: str
    text: str
    html: str
    text_fields: tuple[str, ...]  # personal fields used in subject or text
    html_fields: tuple[str, ...]  # personal fields used in the HTML

    # Worked out once from the above, not for each of 100,000 recipients: the fields to
    # read, and (token, field) for the text, the HTML and the subject.
    used: tuple[str, ...] = field(init=False, repr=False, compare=False)
    text_tokens: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    html_tokens: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    subject_tokens: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = tuple((TOKENS[n], n) for n in self.text_fields)
        derived = {
            "used": tuple(dict.fromkeys((*self.text_fields, *self.html_fields))),
            "text_tokens": text,
            "html_tokens": tuple((html_token(n), n) for n in self.html_fields),
            "subject_tokens": tuple((t, n) for t, n in text if t in self.subject),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def prepare(email: RenderedEmail) -> Template:
    """Turn a rendered email (tokens and unsubscribe slot in it) into a SendGrid template."""
    text = email.text.replace(UNSUBSCRIBE_SLOT, UNSUBSCRIBE_TAG)
    body = email.html.replace(UNSUBSCRIBE_SLOT, UNSUBSCRIBE_TAG)
    html_fields = []
    for name, token in TOKENS.items():
        if token in body:
            body = body.replace(token, html_token(name))
            html_fields.append(name)
    text_fields = [n for n, t in TOKENS.items() if t in email.subject or t in text]
    return Template(email.subject, text, body, tuple(text_fields), tuple(html_fields))


def header_refusal(contact: Contact, template: Template, envelope: Envelope) -> str | None:
    """Why SendGrid must not get this recipient's message (a header could be added), or None.

    The same rule as every other backend (:mod:`newsletter_cli.headertext`): names,
    addresses, the subject with its filled-in fields, and the sender, each on one line
    without ``=?``.
    """
    subject = template.subject
    if template.subject_tokens:  # filled in turn, as SendGrid does
        for token, name in template.text_tokens:
            if token in subject:
                subject = subject.replace(token, getattr(contact, name))
    problem = header_problem(display_name(contact.name) + " " + contact.email)
    if problem:
        return f"the To header {problem}"
    problem = _subject_problem(subject)
    if problem:
        return f"the Subject header {problem}"
    return _sender_refusal(envelope.from_name, envelope.from_email, envelope.reply_to)


@lru_cache(maxsize=64)
def _subject_problem(subject: str) -> str | None:
    """Why the subject cannot be written (mostly the same for every recipient), or None."""
    return header_problem(subject)


@lru_cache(maxsize=16)
def _sender_refusal(from_name: str, from_email: str, reply_to: str | None) -> str | None:
    """Why the sender's headers cannot be written (the same for every recipient), or None."""
    values = {"From": display_name(from_name) + " " + from_email, "Reply-To": reply_to or ""}
    for header, value in values.items():
        problem = header_problem(value)
        if problem:
            return f"the {header} header {problem}"
    return None


def personalization(contact: Contact, template: Template, envelope: Envelope) -> dict:
    """One recipient's envelope: their address and substitutions."""
    to = {"email": contact.email}
    name = display_name(contact.name)
    if name:
        to["name"] = name
    value = {n: getattr(contact, n) for n in template.used}
    substitutions = {token: value[n] for token, n in template.text_tokens}
    for token, n in template.html_tokens:
        substitutions[token] = html.escape(value[n], quote=True)
    entry: dict = {"to": [to]}
    if substitutions:
        entry["substitutions"] = substitutions
    return entry


def substitution_bytes(entry: dict) -> int:
    """How many bytes SendGrid counts against its 10,000-byte substitutions limit."""
    subs = entry.get("substitutions", {})
    return sum(len(k.encode()) + len(v.encode()) for k, v in subs.items())


def build_body(
    template: Template, contacts: Sequence[Contact], envelope: Envelope
) -> dict:
    """The JSON body for one ``/v3/mail/send`` request to ``contacts`` (at most 1,000, unique).

    Raises ValueError for a batch SendGrid would refuse (too many, an address twice):
    that is a bug in the caller, never a user's mistake.
    """
    if not contacts:
        raise ValueError("a request needs at least one recipient")
    if len(contacts) > MAX_PERSONALIZATIONS:
        raise ValueError(f"{len(contacts)} recipients in one request; the limit is 1,000")
    seen: set[str] = set()
    for contact in contacts:
        key = contact.email.lower()
        if key in seen:
            raise ValueError(f"{contact.email} twice in one request")
        seen.add(key)
    body: dict = {
        "personalizations": [personalization(c, template, envelope) for c in contacts],
        "from": _address(envelope.from_email, envelope.from_name),
        "subject": template.subject,
        # SendGrid requires text/plain before text/html.
        "content": [
            {"type": "text/plain", "value": template.text},
            {"type": "text/html", "value": template.html},
        ],
    }
    if envelope.reply_to:
        body["reply_to"] = {"email": envelope.reply_to}
    if envelope.unsubscribe_group is not None:
        body["asm"] = {"group_id": envelope.unsubscribe_group}
    body["tracking_settings"] = {
        "subscription_tracking": {"enable": True, "substitution_tag": UNSUBSCRIBE_TAG},
        "open_tracking": {"enable": envelope.track_opens},
        "click_tracking": {
            "enable": envelope.track_clicks,
            "enable_text": envelope.track_clicks,
        },
    }
    categories = list(dict.fromkeys(c[:MAX_CATEGORY_LENGTH] for c in envelope.categories))
    if categories:
        body["categories"] = categories[:MAX_CATEGORIES]
    if envelope.custom_args:
        body["custom_args"] = dict(envelope.custom_args)
    if envelope.send_at is not None:
        body["send_at"] = envelope.send_at
    if envelope.batch_id:
        body["batch_id"] = envelope.batch_id
    if envelope.sandbox:
        body["mail_settings"] = {"sandbox_mode": {"enable": True}}
    return body


def _address(email: str, name: str | None) -> dict:
    entry = {"email": email}
    if name and display_name(name):
        entry["name"] = display_name(name)
    return entry

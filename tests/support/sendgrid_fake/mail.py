"""Mail send for the fake SendGrid: what SendGrid checks in a request, and what it delivers.

:func:`validate_mail` answers as SendGrid would about a ``/v3/mail/send`` body.
:func:`delivered` rebuilds the message SendGrid would deliver to one personalization:
substitutions filled in, and, when the request turns on subscription tracking, the
headers SendGrid adds. Its documentation says that with subscription tracking on,
SendGrid "will automatically insert the List-Unsubscribe header ... placing an HTTPS
unsubscribe link" and "a List-Unsubscribe-Post header with List-Unsubscribe=One-Click",
puts the unsubscribe URL at the ``substitution_tag`` "with no additional formatting",
and otherwise appends its own footer. It does not say what happens when the request
brings its own List-Unsubscribe: the fake takes the cautious reading (the request's
header is kept and SendGrid adds neither of its own), so a test shows the tool never
sends one. SendGrid's header also carries a mailto whose replies it processes; the
unsubscribe goes to the request's ``asm.group_id`` (else the global list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
RESERVED_HEADERS = {
    "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
    "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc",
}  # fmt: skip
#: Where the fake's unsubscribe links point (made up: nothing is there but the fake's paths).
LINK_HOST = "https://u4242.ct.sendgrid.test"
MAILTO_HOST = "unsubscribe.sendgrid.test"
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class Delivered:
    """One message as it reached its recipient."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    unsubscribe_url: str | None  # SendGrid's https unsubscribe URL for this message


def error(message: str, field_name: str | None = None, help_text: str | None = None) -> dict:
    """One of SendGrid's error objects (``help`` only when there is some)."""
    found = {"message": message, "field": field_name}
    if help_text is not None:
        found["help"] = help_text
    return found


def validate_mail(body: Any, batches: set[str], now: float) -> list[dict]:
    """What SendGrid would say about a /v3/mail/send body: a list of its error objects."""
    if not isinstance(body, dict):
        return [error("Bad Request", None)]
    errors: list[dict] = []
    ps = body.get("personalizations")
    if not isinstance(ps, list) or not ps:
        return [error("The personalizations field is required and must have at least one "
                      "personalization.", "personalizations")]  # fmt: skip
    if len(ps) > 1000:
        errors.append(error("The personalizations field can have at most 1000 items.",
                            "personalizations"))  # fmt: skip
    seen: dict[str, int] = {}
    total = 0
    top_subject = body.get("subject")
    for i, p in enumerate(ps):
        where = f"personalizations.{i}"
        if not isinstance(p, dict) or not isinstance(p.get("to"), list) or not p["to"]:
            errors.append(error("The to array is required for all personalization objects, "
                                "and must have at least one email object with a valid email "
                                "address.", f"{where}.to"))  # fmt: skip
            continue
        for kind in ("to", "cc", "bcc"):
            for j, person in enumerate(p.get(kind) or []):
                address = person.get("email") if isinstance(person, dict) else None
                total += 1
                if not isinstance(address, str) or not EMAIL.match(address):
                    errors.append(error("Does not contain a valid address.",
                                        f"{where}.{kind}.{j}.email"))  # fmt: skip
                    continue
                key = address.lower()
                if key in seen:
                    errors.append(error(
                        "Each email address in the personalization block should be unique "
                        "between to, cc, and bcc. We found the first duplicate instance of "
                        f"[{address}] in the {where}.{kind} field.", f"{where}.{kind}",
                    ))  # fmt: skip
                seen[key] = i
                name = person.get("name")
                if name is not None and (not isinstance(name, str) or re.search(r"[;,]", name)):
                    errors.append(error("The name cannot contain ';' or ','.",
                                        f"{where}.{kind}.{j}.name"))  # fmt: skip
        if not (p.get("subject") or top_subject):
            errors.append(error("The subject is required. You can get around this requirement "
                                "if you use a template with a subject defined or if every single "
                                "personalization has a subject defined.", "subject"))  # fmt: skip
        subs = p.get("substitutions", {})
        if not isinstance(subs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in subs.items()
        ):
            errors.append(error("Substitutions must be strings.", f"{where}.substitutions"))
        elif sum(len(k.encode()) + len(v.encode()) for k, v in subs.items()) > 10_000:
            errors.append(error("The total size of substitutions must be under 10,000 bytes.",
                                f"{where}.substitutions"))  # fmt: skip
        headers = p.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(v, str) for v in headers.values()
        ):
            errors.append(error("Headers must be strings.", f"{where}.headers"))
        elif RESERVED_HEADERS & {k.lower() for k in headers}:
            errors.append(error("You may not override reserved headers.", f"{where}.headers"))
    if total > 1000:
        errors.append(error("The total number of recipients must be no more than 1000.",
                            "personalizations"))  # fmt: skip
    sender = body.get("from")
    if not isinstance(sender, dict) or not EMAIL.match(str(sender.get("email", ""))):
        errors.append(error("The from object must be provided for every email send. It is an "
                            "object that requires an email parameter, but may also contain a "
                            "name parameter.", "from.email"))  # fmt: skip
    reply = body.get("reply_to")
    if reply is not None and not EMAIL.match(str(reply.get("email", ""))):
        errors.append(error("The reply_to email does not contain a valid address.",
                            "reply_to.email"))  # fmt: skip
    content = body.get("content")
    if not isinstance(content, list) or not content:
        errors.append(error("Unless a valid template_id is provided, the content parameter is "
                            "required.", "content"))  # fmt: skip
    else:
        types = [c.get("type") for c in content if isinstance(c, dict)]
        if any(not (isinstance(c, dict) and c.get("type") and c.get("value")) for c in content):
            errors.append(error("The content value must be a string at least one character in "
                                "length.", "content.0.value"))  # fmt: skip
        if "text/plain" in types and "text/html" in types and (
            types.index("text/plain") > types.index("text/html")
        ):
            errors.append(error("If present, text/plain and text/x-amp-html content should "
                                "come before text/html content.", "content"))  # fmt: skip
    categories = body.get("categories", [])
    if (
        not isinstance(categories, list)
        or len(categories) > 10
        or len(set(categories)) != len(categories)
        or any(not isinstance(c, str) or len(c) > 255 for c in categories)
    ):
        errors.append(error("Categories must be at most 10 unique strings of at most 255 "
                            "characters.", "categories"))  # fmt: skip
    if "custom_args" in body and not isinstance(body["custom_args"], dict):
        errors.append(error("Invalid type. Expected: object.", "custom_args"))
    asm = body.get("asm")
    if asm is not None and not (isinstance(asm, dict) and type(asm.get("group_id")) is int):
        errors.append(error("The asm.group_id must be an integer.", "asm.group_id"))
    send_at = body.get("send_at")
    if send_at is not None and (type(send_at) is not int or send_at > now + 72 * 3600):
        errors.append(error("The send_at parameter must be a unix timestamp no more than 72 "
                            "hours in the future.", "send_at"))  # fmt: skip
    batch_id = body.get("batch_id")
    if batch_id is not None and batch_id not in batches:
        errors.append(error("The batch id is not valid.", "batch_id"))
    tracking = body.get("tracking_settings", {})
    subscription = tracking.get("subscription_tracking") if isinstance(tracking, dict) else None
    if subscription is not None and not (
        isinstance(subscription, dict)
        and isinstance(subscription.get("enable", False), bool)
        and all(isinstance(subscription.get(k, ""), str) for k in ("text", "html",
                                                                      "substitution_tag"))
    ):
        errors.append(error("Invalid type. Expected: boolean or string.",
                            "tracking_settings.subscription_tracking"))  # fmt: skip
    return errors


def unsubscribe_url(token: str) -> str:
    """SendGrid's https unsubscribe URL for one message (the link, the header, the POST)."""
    return f"{LINK_HOST}/lu/unsubscribe?oc={token}"


def unsubscribe_mailto(token: str) -> str:
    return f"mailto:{MAILTO_HOST}?subject=unsubscribe-{token}"


def _custom_unsubscribe(body: dict, p: dict) -> str | None:
    for headers in (p.get("headers") or {}, body.get("headers") or {}):
        for name, value in headers.items():
            if name.lower() == "list-unsubscribe":
                return value
    return None


def delivered(body: dict, index: int, token: str) -> Delivered:
    """The message SendGrid delivers for ``body``'s personalization ``index``."""
    p = body["personalizations"][index]
    subs = p.get("substitutions") or {}
    parts = {c["type"]: c["value"] for c in body.get("content", [])}
    text, html = parts.get("text/plain", ""), parts.get("text/html", "")
    subject = p.get("subject") or body.get("subject", "")
    for key, value in subs.items():
        text, html, subject = (x.replace(key, value) for x in (text, html, subject))
    subscription = (body.get("tracking_settings") or {}).get("subscription_tracking") or {}
    custom = _custom_unsubscribe(body, p)
    headers: dict[str, str] = {}
    url = None
    if subscription.get("enable"):
        url = unsubscribe_url(token)
        tag = subscription.get("substitution_tag")
        if tag:
            text, html = text.replace(tag, url), html.replace(tag, url)
        else:  # SendGrid appends its own footer
            text += f"\n\nUnsubscribe: {url}\n"
            html += f'<p><a href="{url}">Unsubscribe</a></p>'
        if custom is None:
            headers["List-Unsubscribe"] = f"<{url}>, <{unsubscribe_mailto(token)}>"
            headers["List-Unsubscribe-Post"] = ONE_CLICK
    if custom is not None:
        headers["List-Unsubscribe"] = custom
    for key, value in ((p.get("headers") or {}) | (body.get("headers") or {})).items():
        headers.setdefault(key, value)
    group_url = f"{LINK_HOST}/asm/unsubscribe?group={(body.get('asm') or {}).get('group_id')}"
    text = text.replace("<%asm_group_unsubscribe_raw_url%>", group_url)
    html = html.replace("<%asm_group_unsubscribe_raw_url%>", group_url)
    to = p["to"][0]["email"]
    return Delivered(to, subject, text, html, headers, url)


def token_of(url_or_mailto: str) -> str | None:
    """The message token in an unsubscribe URL or mailto from :func:`delivered`."""
    found = re.search(r"(?:oc=|subject=unsubscribe-)([0-9a-f]+)", url_or_mailto)
    return found.group(1) if found else None


def addresses(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    return [to["email"] for p in body.get("personalizations", []) for to in p.get("to", [])]

"""Email addresses: normalise, and say in plain words what is wrong with a bad one."""

from __future__ import annotations

import re

# Characters Excel and copy-paste leave around values: no-break and zero-width spaces, BOMs.
_INVISIBLE = "\u00a0\u200b\u200c\u200d\u2060\ufeff"
_STRIP = " \t\r\n" + _INVISIBLE
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_VALID = re.compile(
    rf"{_ATOM}(?:\.{_ATOM})*@(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
)
_SPACE = re.compile(r"[\s" + _INVISIBLE + "]")


def clean(value: str) -> str:
    """A cell value without surrounding spaces and invisible characters."""
    return value.strip(_STRIP)


def normalise(address: str) -> str:
    """The address as stored: stripped and lower-cased (addresses match case-insensitively)."""
    return clean(address).lower()


def address_problem(address: str) -> str | None:
    """Why a normalised address cannot be used, or None when it looks deliverable.

    Checks the shape only (syntax, no spaces, a real domain shape such as
    ``name.example.org``); it does not look the domain up.
    """
    if _VALID.fullmatch(address) and address.index("@") <= 64 and len(address) <= 254:
        return None  # the common case, in one regex; the checks below explain failures
    if not address:
        return "no email address"
    if address.count("@") > 1 and re.search(r"[,;\s]", address):
        return "holds more than one address (write one address per row)"
    if _SPACE.search(address):
        return "contains a space"
    if address.startswith("mailto:"):
        return "starts with 'mailto:' (write the address only)"
    if "<" in address or ">" in address:
        return "contains < or > (write the address only, without a name)"
    count = address.count("@")
    if count == 0:
        return "has no @"
    if count > 1:
        return "has more than one @"
    local, domain = address.split("@")
    if not local:
        return "nothing before the @"
    if not domain:
        return "no domain after the @"
    if len(local) > 64:
        return "the part before the @ is longer than 64 characters"
    if not _LOCAL.match(local):
        return "the part before the @ contains a character addresses cannot have"
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return "misplaced dot before the @"
    if len(domain) > 253:
        return "the domain is too long"
    if not domain.isascii():
        return "the domain has non-ASCII letters (use its xn-- form)"
    labels = domain.split(".")
    if len(labels) < 2:
        return f"the domain {domain!r} has no dot (e.g. council.example.org)"
    if any(not label for label in labels):
        return f"misplaced dot in the domain {domain!r}"
    for label in labels:
        if not _LABEL.match(label):
            return f"the domain {domain!r} has an invalid part {label!r}"
    if not _TLD.match(labels[-1]):
        return f"the domain {domain!r} does not end in a real top-level domain"
    return "not a valid email address"

"""Address cells as people paste them: `Ben <ben@…>`, `"Bellamy, Ben" <ben@…>`, `mailto:ben@…`.

:func:`parse_address_cell` gives the address (normalised) and any display name; the
caller then checks the address with :func:`~newsletter_cli.recipients.addresses.address_problem`.
The name and address syntax is read by the standard library (``email.utils``).
"""

from __future__ import annotations

import re
from email.utils import parseaddr, unquote
from urllib.parse import unquote as url_unquote

from newsletter_cli.recipients.addresses import clean, normalise

# 'mailto:' (any case) at the start or just inside '<', up to an optional '?query'.
_MAILTO = re.compile(r"(?i)(^|<)\s*mailto:([^?<>\s]*)(?:\?[^<>]*)?")
# 'Display Name <address>': everything before the last '<…>' is the name.
_ANGLE = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>$")


def _display_name(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = unquote(text)  # '"Bellamy, Ben"' -> 'Bellamy, Ben' (and \" -> ")
    return " ".join(text.split())


def parse_address_cell(raw: str) -> tuple[str, str]:
    """``(address, name)`` in a cell: the address lower-cased, the name written beside it.

    ``ben@x.org``, ``Ben Bellamy <ben@x.org>``, ``"Bellamy, Ben" <ben@x.org>``,
    ``mailto:ben@x.org``, ``<MAILTO:ben@x.org>`` and ``mailto:ben@x.org?subject=Hi`` all
    give ``ben@x.org``. Anything else is returned as it is, for the caller to reject.
    """
    address = clean(raw).lower()
    if not ("<" in address or '"' in address or "(" in address or "mailto:" in address):
        return address, ""  # the common case, kept fast: just an address
    text = _MAILTO.sub(lambda m: m[1] + url_unquote(m[2]), clean(raw)).strip()
    match = _ANGLE.match(text)
    if match:
        return normalise(match["address"]), _display_name(match["name"])
    name, found = parseaddr(text)  # 'ben@x.org (Ben Bellamy)'
    if found and "@" in found and text.count("@") == 1:
        return normalise(found), " ".join(name.split())
    return normalise(text), ""


def shown_cell(raw: str, width: int = 60) -> str:
    """A cell as a message quotes it: its first line, cut to ``width`` characters."""
    text = clean(raw)
    first = text.splitlines()[0] if text else ""
    if len(first) > width or first != text:
        first = first[:width].rstrip() + "…"
    return repr(first)

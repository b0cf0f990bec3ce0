"""Which addresses may go into an email as an image or a page link.

Only ``https://`` and ``http://`` (and, where a file of the project makes sense, a
relative path such as ``images/photo.jpg``). ``javascript:``, ``data:`` and every other
scheme are refused, however they are spelled (``JavaScript:``, ``java&#9;script:``
after the tabs a browser would drop).
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")  # dropped when a browser reads a URL
_WEB_ADDRESS = re.compile(r"^https?://\S", re.IGNORECASE)
WEB = ("http", "https")


def url_problem(url: str, *, relative_ok: bool = False) -> str | None:
    """Why ``url`` may not be used as an image or web address, or None when it may."""
    full = "write a full address starting with https://"
    match = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url))
    if match is None:
        return None if relative_ok else full
    if match[1].lower() in WEB:
        return None if _WEB_ADDRESS.match(url.strip()) else full
    allowed = "https:// or http://"
    if relative_ok:
        allowed += " (or a file in the project, e.g. images/photo.jpg)"
    return f"a {match[1].lower()}: address is not allowed here; use {allowed}"

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
WEB = ("http", "https")


def url_problem(url: str, *, relative_ok: bool = False) -> str | None:
    """Why ``url`` may not be used as an image or web address, or None when it may."""
    match = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url))
    if match is None:
        if relative_ok:
            return None
        return "write a full address starting with https://"
    scheme = match[1].lower()
    if scheme in WEB:
        return None if re.match(r"^https?://\S", url.strip(), re.IGNORECASE) else (
            "write a full address starting with https://"
        )
    allowed = "https:// or http://" + (" (or a file in the project, e.g. images/photo.jpg)"
                                       if relative_ok else "")
    return f"a {scheme}: address is not allowed here; use {allowed}"

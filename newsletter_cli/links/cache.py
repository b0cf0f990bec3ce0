"""A day's memory of good link answers: ``.newsletter/links.json``, readable by its owner only.

Only answers that will not change by themselves are kept (a page that answered,
a permanent move); a failure is always tried again, so a site that comes back is
seen at once. A cache that cannot be read is ignored, never an error.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from newsletter_cli.links.probe import LinkResult

FILE_NAME = "links.json"
MAX_AGE = 24 * 60 * 60  # seconds


class LinkCache:
    """Results by address, each with the time it was found."""

    def __init__(self, path: Path, now: float) -> None:
        self.path = path
        self.now = now
        self.entries: dict[str, dict] = {}
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self.entries = {k: v for k, v in data.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            pass

    def get(self, url: str) -> LinkResult | None:
        """A result found less than a day ago, marked as coming from the cache."""
        entry = self.entries.get(url)
        if not entry or not 0 <= self.now - float(entry.get("checked", 0)) < MAX_AGE:
            return None
        try:
            fields = dict(entry["result"])
            fields["redirects"] = tuple(tuple(hop) for hop in fields.get("redirects", ()))
            fields["how"] = "cache"
            return LinkResult(**fields)
        except (KeyError, TypeError):
            return None

    def put(self, result: LinkResult) -> None:
        if result.cacheable:
            self.entries[result.url] = {"checked": self.now, "result": asdict(result)}
            self.changed = True

    def save(self) -> None:
        """Write the file (mode 0600, its folder 0700) if anything was added; old entries go."""
        if not self.changed:
            return
        fresh = {
            url: entry
            for url, entry in sorted(self.entries.items())
            if 0 <= self.now - float(entry.get("checked", 0)) < MAX_AGE
        }
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(fresh, handle, indent=1)
        os.chmod(temporary, 0o600)  # a leftover .tmp kept its mode; a no-op on Windows
        temporary.replace(self.path)

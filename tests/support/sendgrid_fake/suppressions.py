"""Suppressions for the fake SendGrid, as ``sendgrid_suppressions_v3.json`` describes them.

- ``GET /v3/suppression/{bounces,blocks,spam_reports,invalid_emails,unsubscribes}``:
  arrays of ``{created, email, ...}``, newest first, paged with ``limit`` (1..500) and
  ``offset``, filtered by ``start_time``/``end_time`` (unix, inclusive) and ``email``
  (a prefix). The spec gives these lists no total and no ``Link`` header: a short page
  is the last.
- ``GET /v3/asm/groups/{group_id}/suppressions``: a plain array of addresses (no paging,
  no dates: that is the spec's shape).
- ``GET /v3/asm/suppressions``: every group's suppressions with ``group_id``,
  ``group_name`` and ``created_at``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

SPEC = Path("/work/shared/reference/sendgrid/sendgrid_suppressions_v3.json")
#: The paged lists, by the last part of their path.
LISTS = ("bounces", "blocks", "spam_reports", "invalid_emails", "unsubscribes")
#: What one entry of each list carries besides ``created`` and ``email``.
EXTRA = {
    "bounces": {"reason": "550 5.1.1 The email account that you tried to reach does not exist.",
                "status": "5.1.1"},
    "blocks": {"reason": "554 5.7.1 Message rejected by the receiving server's policy",
               "status": "5.7.1"},
    "spam_reports": {"ip": "10.63.202.100"},
    "invalid_emails": {"reason": "Mail domain mentioned in email address is unknown"},
    "unsubscribes": {},
}  # fmt: skip


class Store:
    """Every address the fake SendGrid holds back: the five lists and the groups."""

    def __init__(self) -> None:
        self.lists: dict[str, dict[str, dict]] = {name: {} for name in LISTS}
        self.groups: dict[int, str] = {}  # id -> name
        self.group_members: dict[int, dict[str, int]] = {}  # id -> email -> created
        self._sorted: dict[str, list[dict]] = {}  # each list newest first, until it changes

    def add(self, kind: str, email: str, created: float | None = None, **extra: Any) -> None:
        """Hold ``email`` back: ``kind`` is one of LISTS, or "group" (``group=ID``)."""
        when = int(created if created is not None else time.time())
        if kind == "group":
            group = int(extra.pop("group"))
            self.groups.setdefault(group, f"Group {group}")
            self.group_members.setdefault(group, {}).setdefault(email, when)
            return
        entry = {"created": when, "email": email, **EXTRA[kind], **extra}
        self.lists[kind].setdefault(email.lower(), entry)
        self._sorted.pop(kind, None)

    def newest_first(self, kind: str) -> list[dict]:
        entries = self.lists[kind]
        cached = self._sorted.get(kind)
        if cached is None or len(cached) != len(entries):
            cached = sorted(entries.values(), key=lambda e: (-e["created"], e["email"]))
            self._sorted[kind] = cached
        return cached

    def load_examples(self) -> None:
        """Fill the lists with the example bodies of SendGrid's own OpenAPI file."""
        spec = json.loads(SPEC.read_text(encoding="utf-8"))
        for kind in LISTS:
            operation = spec["paths"][f"/v3/suppression/{kind}"]["get"]
            content = operation["responses"]["200"]["content"]["application/json"]
            for i, item in enumerate(content["examples"]["response"]["value"]):
                key = item["email"].lower()  # the bounces example lists one address twice
                self.lists[kind][key if key not in self.lists[kind] else f"{key}#{i}"] = dict(item)
        groups = spec["paths"]["/v3/asm/suppressions"]["get"]["responses"]["200"]
        for item in groups["content"]["application/json"]["examples"]["response"]["value"]:
            self.groups[item["group_id"]] = item["group_name"]
            members = self.group_members.setdefault(item["group_id"], {})
            members.setdefault(item["email"], item["created_at"])

    def count(self) -> int:
        return sum(map(len, self.lists.values())) + sum(map(len, self.group_members.values()))


def _int(params: dict[str, list[str]], name: str) -> int | None:
    values = params.get(name)
    if not values:
        return None
    return int(values[0])


def answer(store: Store, path: str, params: dict[str, list[str]]) -> tuple[int, Any]:
    """One GET under /v3/suppression/ or /v3/asm/: (status, body)."""
    parts = path.strip("/").split("/")  # v3 suppression bounces | v3 asm groups 1 suppressions
    try:
        if parts[1] == "suppression" and len(parts) == 3 and parts[2] in LISTS:
            return _paged(store.newest_first(parts[2]), params)
        if parts[1:] == ["asm", "suppressions"]:
            return 200, [
                {"email": email, "group_id": group, "group_name": store.groups[group],
                 "created_at": created}
                for group, members in sorted(store.group_members.items())
                for email, created in members.items()
            ]  # fmt: skip
        if len(parts) == 5 and parts[1:3] == ["asm", "groups"] and parts[4] == "suppressions":
            group = int(parts[3])
            if group not in store.groups:
                return 404, {"errors": [{"field": None, "message": "Group not found"}]}
            return 200, list(store.group_members.get(group, {}))
    except ValueError:
        return 400, {"errors": [{"field": None, "message": "invalid parameter"}]}
    return 404, {"errors": [{"field": None, "message": "not found"}]}


def _paged(entries: list[dict], params: dict[str, list[str]]) -> tuple[int, Any]:
    limit, offset = _int(params, "limit"), _int(params, "offset") or 0
    if limit is not None and not 1 <= limit <= 500:
        return 400, {"errors": [{"field": "limit", "message": "limit must be between 1 and 500"}]}
    if offset < 0:
        return 400, {"errors": [{"field": "offset", "message": "offset must be 0 or more"}]}
    start, end = _int(params, "start_time"), _int(params, "end_time")
    prefix = (params.get("email") or [""])[0].lower()
    found = entries
    if start is not None or end is not None or prefix:
        found = [
            e for e in entries
            if (start is None or e["created"] >= start) and (end is None or e["created"] <= end)
            and e["email"].lower().startswith(prefix)
        ]  # fmt: skip
    size = limit if limit is not None else 500
    return 200, found[offset : offset + size]

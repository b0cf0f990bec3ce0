"""Email Activity for the fake SendGrid: ``GET /v3/messages`` as its OpenAPI file says.

Its query language (the parts the fake understands: ``unique_args['key']="value"``
and ``field="value"`` clauses joined by AND), ``limit`` 1..1000, newest first, each
message with its status and its open and click counts; errors as the spec shapes them.
"""

from __future__ import annotations

import re
import time
from typing import Any

#: Email Activity's query language, the parts the fake understands.
ARG_CLAUSE = re.compile(r"""^unique_args\['(?P<key>[^']+)'\]\s*=\s*"(?P<value>[^"]*)"$""")
FIELD_CLAUSE = re.compile(r"""^(?P<field>[a-z_]+)\s*=\s*"(?P<value>[^"]*)"$""")
MESSAGE_FIELDS = {"to_email", "from_email", "msg_id", "subject", "status"}


def parse_activity_query(query: str) -> tuple[list, str | None]:
    """Email Activity's query language (clauses joined by AND): tests, or the 400 message."""
    text = query.strip()
    if not text:
        return [], "invalid syntax: query is required"
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    tests = []
    for clause in re.split(r"\s+AND\s+", text, flags=re.IGNORECASE):
        clause = clause.strip()
        arg = ARG_CLAUSE.match(clause)
        if arg:
            key, value = arg["key"], arg["value"]
            tests.append(lambda m, k=key, v=value: m["custom_args"].get(k) == v)
            continue
        field_match = FIELD_CLAUSE.match(clause)
        if field_match and field_match["field"] in MESSAGE_FIELDS:
            name, value = field_match["field"], field_match["value"]
            tests.append(lambda m, n=name, v=value: str(m[n]).lower() == v.lower())
            continue
        word = re.match(r"[A-Za-z_\[\]']+", clause)
        return [], f"invalid syntax: '{word.group(0) if word else clause}' is not a known field"
    return tests, None


def listed(message: dict) -> dict[str, Any]:
    """One message as Email Activity lists it (the spec's "Abbv. Message")."""
    events = message["events"]
    last = max([message["at"], *(at for _, at in events)])
    bounced = any(kind in ("bounce", "block") for kind, _ in events)
    return {
        "from_email": message["from_email"],
        "msg_id": message["msg_id"],
        "subject": message["subject"],
        "to_email": message["to_email"],
        "status": "not_delivered" if bounced else "delivered",
        "opens_count": sum(1 for kind, _ in events if kind == "open"),
        "clicks_count": sum(1 for kind, _ in events if kind == "click"),
        "last_event_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(last)),
    }


def answer(fake: Any, params: dict[str, list[str]]) -> tuple[int, Any]:
    """GET /v3/messages: 200 {messages}, or the spec's 400."""
    limit_text = (params.get("limit") or ["10"])[0]
    try:
        limit = int(float(limit_text))
    except ValueError:
        limit = 0
    if not 1 <= limit <= 1000:
        return 400, {"errors": [{
            "message": "limit must be greater than 0 and less than or equal to 1000"}]}
    query = (params.get("query") or [""])[0]
    wanted, problem = parse_activity_query(query)
    if problem:
        return 400, {"errors": [{"message": problem}]}
    shown_before = time.time() - fake.activity_lag
    with fake.lock:
        found = [m for m in reversed(fake.messages)
                 if m["at"] <= shown_before and all(test(m) for test in wanted)]  # fmt: skip
        return 200, {"messages": [listed(m) for m in found[:limit]]}

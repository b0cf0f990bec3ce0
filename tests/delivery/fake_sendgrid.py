"""A local stand-in for SendGrid's v3 API on 127.0.0.1, for the real ``sendgrid`` client.

It checks what SendGrid checks (Bearer key, body shape and limits, unique addresses
per request), answers 202 with an ``X-Message-Id``, and can be told what to do
with the next requests: ``server.will("429", "500", "ok", "hang", "drop", ...)`` ("drop":
the connection closes before the mail is taken; "lost": taken, then no answer).
Every request is recorded; ``server.accepted`` lists every address SendGrid would
have delivered to, in order, duplicates kept (so a test can count copies).

Also: POST /v3/mail/batch (a batch id), POST /v3/user/scheduled_sends (cancel), and
GET /v3/messages (Email Activity: the messages it accepted, found by a query on their
custom args, to_email, msg_id...; ``activity_addon = False`` answers 403 as an account
without the add-on does; ``will_activity("429", "404", ...)`` scripts its answers).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
RESERVED_HEADERS = {
    "x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type",
    "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc",
}  # fmt: skip
ANSWERS = {"ok", "429", "500", "502", "503", "504", "400", "401", "403", "413", "hang", "drop",
           "lost"}
ACTIVITY_ANSWERS = {"ok", "400", "403", "404", "429", "500"}
#: Email Activity's query language, the parts the fake understands.
ARG_CLAUSE = re.compile(r"""^unique_args\['(?P<key>[^']+)'\]\s*=\s*"(?P<value>[^"]*)"$""")
FIELD_CLAUSE = re.compile(r"""^(?P<field>[a-z_]+)\s*=\s*"(?P<value>[^"]*)"$""")
MESSAGE_FIELDS = {"to_email", "from_email", "msg_id", "subject", "status"}


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    status: int | None  # None: no answer (hang, drop)
    body: Any
    authorized: bool
    at: float = field(default_factory=time.time)

    @property
    def addresses(self) -> list[str]:
        if not isinstance(self.body, dict):
            return []
        return [
            to["email"] for p in self.body.get("personalizations", []) for to in p.get("to", [])
        ]


def error(message: str, field_name: str | None = None, help_text: str | None = None) -> dict:
    return {"message": message, "field": field_name, "help": help_text}


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
    return errors


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


class FakeSendGrid:
    """The server. ``with FakeSendGrid(key) as sg: ... sg.url ...``."""

    def __init__(self, api_key: str, *, delay: float = 0.0, rate_reset_in: int = 1) -> None:
        self.api_key = api_key
        self.delay = delay  # seconds before each 202 (after the mail is taken)
        self.rate_reset_in = rate_reset_in
        self.hang_seconds = 30.0
        self.too_large_over: int | None = None  # answer 413 above this many personalizations
        self.requests: list[Recorded] = []
        self.accepted: list[str] = []
        self.batches: set[str] = set()
        self.cancelled: list[str] = []
        #: Every message taken, as Email Activity lists it (plus its custom args).
        self.messages: list[dict] = []
        self.activity_addon = True
        self.activity_lag = 0.0  # seconds before a taken message shows in Email Activity
        self._activity_script: deque[str] = deque()
        self._script: deque[str] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------

    def will(self, *answers: str) -> None:
        """Queue what the next /v3/mail/send requests get (then "ok" again)."""
        unknown = set(answers) - ANSWERS
        if unknown:
            raise ValueError(f"unknown answers {unknown}")
        with self._lock:
            self._script.extend(answers)

    def will_activity(self, *answers: str) -> None:
        """Queue what the next GET /v3/messages requests get (then "ok" again)."""
        unknown = set(answers) - ACTIVITY_ANSWERS
        if unknown:
            raise ValueError(f"unknown answers {unknown}")
        with self._lock:
            self._activity_script.extend(answers)

    def start(self, port: int = 0) -> FakeSendGrid:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeSendGrid:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mail_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v3/mail/send"]

    # -- behaviour ---------------------------------------------------------------------------

    def _next(self) -> str:
        with self._lock:
            return self._script.popleft() if self._script else "ok"

    def _record(self, entry: Recorded) -> None:
        with self._lock:
            self.requests.append(entry)

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> tuple | None:
        """(status, headers, body) to answer, or None to answer nothing."""
        authorized = headers.get("Authorization") == f"Bearer {self.api_key}"
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        entry = Recorded(method, path, None, body, authorized)
        self._record(entry)
        if not authorized:
            return self._answer(entry, 401, {"errors": [error(
                "The provided authorization grant is invalid, expired, or revoked")]})
        if method == "POST" and path == "/v3/mail/batch":
            batch_id = uuid.uuid4().hex
            with self._lock:
                self.batches.add(batch_id)
            return self._answer(entry, 201, {"batch_id": batch_id})
        if method == "POST" and path == "/v3/user/scheduled_sends":
            if not isinstance(body, dict) or body.get("batch_id") not in self.batches:
                return self._answer(entry, 400, {"errors": [error("invalid batch id",
                                                                  "batch_id")]})
            with self._lock:
                self.cancelled.append(body["batch_id"])
            return self._answer(entry, 201, body)
        if method == "GET" and urlsplit(path).path == "/v3/messages":
            return self._activity(entry, urlsplit(path).query)
        if method != "POST" or path != "/v3/mail/send":
            return self._answer(entry, 404, {"errors": [error("not found")]})
        return self._mail_send(entry, body)

    def _mail_send(self, entry: Recorded, body: Any) -> tuple | None:
        action = self._next()
        if action == "hang":
            self._stopping.wait(self.hang_seconds)
            return None
        if action == "drop":
            return None
        if action == "429":
            reset = int(time.time()) + self.rate_reset_in
            return self._answer(
                entry, 429, {"errors": [error("too many requests")]},
                {"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0",
                 "X-RateLimit-Reset": str(reset)},
            )  # fmt: skip
        if action in {"500", "502", "503", "504"}:
            return self._answer(entry, int(action), {"errors": [error("internal error")]})
        if action in {"401", "403"}:
            return self._answer(entry, int(action), {"errors": [error(
                "The provided authorization grant is invalid, expired, or revoked")]})
        if action == "413":
            return self._answer(entry, 413, {"errors": [error("payload too large")]})
        if action == "400":
            return self._answer(entry, 400, {"errors": [error(
                "The from email does not contain a valid address.", "from.email",
                "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html")]})
        errors = validate_mail(body, self.batches, time.time())
        if errors:
            return self._answer(entry, 400, {"errors": errors})
        if self.too_large_over is not None and len(body["personalizations"]) > self.too_large_over:
            return self._answer(entry, 413, {"errors": [error("payload too large")]})
        if (body.get("mail_settings") or {}).get("sandbox_mode", {}).get("enable"):
            return self._answer(entry, 200, None)
        message_id = uuid.uuid4().hex[:22]
        with self._lock:
            self.accepted.extend(entry.addresses)  # taken: delivered even if the answer is lost
            self._keep_messages(body, message_id)
        if action == "lost":
            return None
        if self.delay:
            time.sleep(self.delay)
        return self._answer(entry, 202, None, {"X-Message-Id": message_id})

    def _keep_messages(self, body: dict, message_id: str) -> None:
        """One message per personalization, as Email Activity will list them."""
        now = time.time()
        for i, p in enumerate(body["personalizations"]):
            args = {**(body.get("custom_args") or {}), **(p.get("custom_args") or {})}
            for to in p["to"]:
                self.messages.append({
                    "from_email": body["from"]["email"],
                    "msg_id": f"{message_id}.filter{i:04d}.{int(now)}.0",
                    "subject": p.get("subject") or body.get("subject", ""),
                    "to_email": to["email"],
                    "status": "delivered",
                    "opens_count": 0,
                    "clicks_count": 0,
                    "last_event_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                    "at": now,
                    "custom_args": args,
                })  # fmt: skip

    def _activity(self, entry: Recorded, query_string: str) -> tuple:
        """GET /v3/messages as the Email Activity spec says: 200 {messages}, or its errors."""
        with self._lock:
            action = self._activity_script.popleft() if self._activity_script else "ok"
        if action == "ok" and not self.activity_addon:
            action = "403"
        if action == "429":
            reset = int(time.time()) + self.rate_reset_in
            return self._answer(entry, 429, {"errors": [{"message": "too many requests"}]},
                                {"X-RateLimit-Limit": "6", "X-RateLimit-Remaining": "0",
                                 "X-RateLimit-Reset": str(reset)})  # fmt: skip
        if action == "403":
            return self._answer(entry, 403, {"errors": [{"field": None,
                                                         "message": "access forbidden"}]})  # fmt: skip
        if action == "404":
            return self._answer(entry, 404, {"errors": [{"message": "not found", "field": ""}]})
        if action in ("400", "500"):
            return self._answer(entry, int(action), {"errors": [{"message": "internal error"}]})
        params = parse_qs(query_string)
        limit_text = (params.get("limit") or ["10"])[0]
        try:
            limit = int(float(limit_text))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 1000:
            return self._answer(entry, 400, {"errors": [{
                "message": "limit must be greater than 0 and less than or equal to 1000"}]})
        query = (params.get("query") or [""])[0]
        wanted, problem = parse_activity_query(query)
        if problem:
            return self._answer(entry, 400, {"errors": [{"message": problem}]})
        shown_before = time.time() - self.activity_lag
        with self._lock:
            found = [m for m in reversed(self.messages)
                     if m["at"] <= shown_before and all(test(m) for test in wanted)]  # fmt: skip
        listed = [{k: v for k, v in m.items() if k not in ("at", "custom_args")}
                  for m in found[:limit]]  # fmt: skip
        return self._answer(entry, 200, {"messages": listed})

    @staticmethod
    def _answer(entry: Recorded, status: int, body: Any, headers: dict | None = None) -> tuple:
        entry.status = status
        return status, headers or {}, body


def _handler(fake: FakeSendGrid) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            answer = fake.handle(self.command, self.path, self.headers, raw)
            if answer is None:
                self.close_connection = True
                return
            status, headers, body = answer
            data = json.dumps(body).encode() if body is not None else b""
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client went away (killed, or gave up waiting)

        do_POST = do_GET = do_DELETE = do_PATCH = do_PUT = _serve

    return Handler

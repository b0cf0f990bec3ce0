"""The fake SendGrid server: one HTTP server on 127.0.0.1, the state, and the dispatch."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import activity, mail, stats, suppressions
from .mail import error

ANSWERS = {"ok", "429", "500", "502", "503", "504", "400", "401", "403", "413", "hang", "drop",
           "lost"}  # fmt: skip
API_ANSWERS = {"ok", "400", "401", "403", "404", "429", "500", "503"}
#: The API key permission (scope) each endpoint needs, by path prefix.
SCOPES = (
    ("POST", "/v3/mail/send", "mail.send"),
    ("POST", "/v3/mail/batch", "mail.batch.create"),
    ("POST", "/v3/user/scheduled_sends", "user.scheduled_sends.create"),
    ("GET", "/v3/messages", "messages.read"),
    ("GET", "/v3/suppression/bounces", "suppression.bounces.read"),
    ("GET", "/v3/suppression/blocks", "suppression.blocks.read"),
    ("GET", "/v3/suppression/spam_reports", "suppression.spam_reports.read"),
    ("GET", "/v3/suppression/invalid_emails", "suppression.invalid_emails.read"),
    ("GET", "/v3/suppression/unsubscribes", "suppression.unsubscribes.read"),
    ("GET", "/v3/asm/", "asm.groups.suppressions.read"),
    ("GET", "/v3/categories/stats", "categories.stats.read"),
)
AUTH_FAILED = "The provided authorization grant is invalid, expired, or revoked"
#: What ``fake.act`` puts on a suppression list.
EVENT_LIST = {"bounce": "bounces", "block": "blocks", "spamreport": "spam_reports"}


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
        return mail.addresses(self.body)


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
        #: Every message taken: what Email Activity and the statistics are made from.
        self.messages: list[dict] = []
        self.activity_addon = True
        self.activity_lag = 0.0  # seconds before a taken message shows in Email Activity
        #: The key's permissions; None: every permission (a full-access key).
        self.scopes: set[str] | None = None
        self.held = suppressions.Store()
        self.lock = threading.Lock()
        #: The clock ``send_at`` is judged by (72 hours ahead of it); a test may set its own.
        self.clock: Callable[[], float] = time.time
        self._script: deque[str] = deque()
        self._api_script: dict[str, deque[str]] = {}
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------

    def will(self, *answers: str) -> None:
        """Queue what the next /v3/mail/send requests get (then "ok" again)."""
        unknown = set(answers) - ANSWERS
        if unknown:
            raise ValueError(f"unknown answers {unknown}")
        with self.lock:
            self._script.extend(answers)

    def will_api(self, prefix: str, *answers: str) -> None:
        """Queue what the next GETs under ``prefix`` get ("429", "403"...; then "ok")."""
        unknown = set(answers) - API_ANSWERS
        if unknown:
            raise ValueError(f"unknown answers {unknown}")
        with self.lock:
            self._api_script.setdefault(prefix, deque()).extend(answers)

    def will_activity(self, *answers: str) -> None:
        """Queue what the next GET /v3/messages requests get (then "ok" again)."""
        self.will_api("/v3/messages", *answers)

    def hold(self, kind: str, email: str, created: float | None = None, **extra: Any) -> None:
        """Put ``email`` on a suppression list (bounces, blocks, spam_reports,
        invalid_emails, unsubscribes) or in a group (``hold("group", e, group=ID)``)."""
        with self.lock:
            self.held.add(kind, email, created, **extra)

    def add_group(self, group: int, name: str = "Regional Update") -> None:
        """An unsubscribe group the account has (a send naming one creates it too)."""
        with self.lock:
            self.held.groups[group] = name

    def act(self, email: str, *events: str, at: float | None = None) -> None:
        """What the recipient of the latest message to ``email`` did: "open", "click",
        "bounce", "block", "spamreport", "unsubscribe" (into the message's group)."""
        when = at if at is not None else time.time()
        with self.lock:
            message = self._latest(email)
            for kind in events:
                message["events"].append((kind, when))
                if kind in EVENT_LIST:
                    self.held.add(EVENT_LIST[kind], email, when)
                if kind in ("bounce", "block"):
                    message["status"] = "not_delivered"
                if kind == "unsubscribe":
                    self._unsubscribe(message, when)

    def delivered(self, email: str) -> mail.Delivered:
        """The latest message to ``email`` as it reached them (headers SendGrid adds too)."""
        with self.lock:
            message = self._latest(email)
        return mail.delivered(message["body"], message["index"], message["token"])

    def mailto_reply(self, mailto: str) -> None:
        """A reply to the mailto of SendGrid's List-Unsubscribe header."""
        self._by_token(mail.token_of(mailto) or "", time.time())

    def load_examples(self) -> None:
        """Hold back the addresses of the suppression spec's example bodies."""
        with self.lock:
            self.held.load_examples()

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

    # -- state -------------------------------------------------------------------------------

    def _latest(self, email: str) -> dict:
        for message in reversed(self.messages):
            if message["to_email"].lower() == email.lower():
                return message
        raise KeyError(f"no message to {email}")

    def _unsubscribe(self, message: dict, when: float) -> None:
        group = message["group"]
        if group is None:
            self.held.add("unsubscribes", message["to_email"], when)
        else:
            self.held.add("group", message["to_email"], when, group=group)

    def _by_token(self, token: str, when: float) -> bool:
        with self.lock:
            try:
                message = self.messages[int(token, 16)]
            except (ValueError, IndexError):
                return False
            message["events"].append(("unsubscribe", when))
            self._unsubscribe(message, when)
            return True

    def _keep_messages(self, body: dict, message_id: str) -> None:
        """One message per personalization: for Email Activity, statistics, delivery."""
        now = time.time()
        group = (body.get("asm") or {}).get("group_id")
        if group is not None:
            self.held.groups.setdefault(group, f"Group {group}")
        categories = frozenset(body.get("categories") or ())
        for i, p in enumerate(body["personalizations"]):
            args = {**(body.get("custom_args") or {}), **(p.get("custom_args") or {})}
            for to in p["to"]:
                self.messages.append({
                    "from_email": body["from"]["email"],
                    "msg_id": f"{message_id}.filter{i:04d}.{int(now)}.0",
                    "subject": p.get("subject") or body.get("subject", ""),
                    "to_email": to["email"], "status": "delivered", "at": now,
                    "custom_args": args, "categories": categories, "group": group,
                    "events": [], "body": body, "index": i,
                    "token": format(len(self.messages), "x"),
                })  # fmt: skip

    # -- answers -----------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> tuple | None:
        """(status, headers, body) to answer, or None to answer nothing."""
        authorized = headers.get("Authorization") == f"Bearer {self.api_key}"
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        entry = Recorded(method, path, None, body, authorized)
        with self.lock:
            self.requests.append(entry)
        where = urlsplit(path)
        if where.path == "/lu/unsubscribe":  # SendGrid's unsubscribe link: no key needed
            return self._one_click(entry, method, where.query, raw)
        if not authorized:
            return self._answer(entry, 401, {"errors": [error(AUTH_FAILED)]})
        scope = next((s for m, prefix, s in SCOPES
                      if m == method and where.path.startswith(prefix)), None)  # fmt: skip
        if self.scopes is not None and scope not in self.scopes:
            return self._answer(entry, 403, {"errors": [{"field": None,
                                                         "message": "access forbidden"}]})
        if method == "POST" and path == "/v3/mail/batch":
            batch_id = uuid.uuid4().hex
            with self.lock:
                self.batches.add(batch_id)
            return self._answer(entry, 201, {"batch_id": batch_id})
        if method == "POST" and path == "/v3/user/scheduled_sends":
            if not isinstance(body, dict) or body.get("batch_id") not in self.batches:
                return self._answer(entry, 400, {"errors": [error("invalid batch id",
                                                                  "batch_id")]})
            with self.lock:
                self.cancelled.append(body["batch_id"])
            return self._answer(entry, 201, body)
        if method == "POST" and path == "/v3/mail/send":
            return self._mail_send(entry, body)
        if method == "GET":
            return self._get(entry, where.path, parse_qs(where.query))
        return self._answer(entry, 404, {"errors": [error("not found")]})

    def _get(self, entry: Recorded, path: str, params: dict[str, list[str]]) -> tuple:
        with self.lock:
            prefix = next((p for p in self._api_script if path.startswith(p)
                           and self._api_script[p]), None)  # fmt: skip
            action = self._api_script[prefix].popleft() if prefix else "ok"
        activity_call = path == "/v3/messages"
        if action == "ok" and activity_call and not self.activity_addon:
            action = "403"
        if action == "429":
            return self._answer(entry, 429, {"errors": [{"field": None,
                                                         "message": "too many requests"}]},
                                remaining=0)  # fmt: skip
        if action in ("401", "403"):
            message = AUTH_FAILED if action == "401" else "access forbidden"
            return self._answer(entry, int(action), {"errors": [{"field": None,
                                                                 "message": message}]})
        if action == "404":
            return self._answer(entry, 404, {"errors": [{"message": "not found", "field": ""}]})
        if action in ("400", "500", "503"):
            return self._answer(entry, int(action), {"errors": [{"message": "internal error"}]})
        if activity_call:
            status, body = activity.answer(self, params)
        elif path == "/v3/categories/stats":
            status, body = stats.answer(self, params)
        elif path.startswith(("/v3/suppression/", "/v3/asm/")):
            with self.lock:
                status, body = suppressions.answer(self.held, path, params)
        else:
            status, body = 404, {"errors": [error("not found")]}
        return self._answer(entry, status, body)

    def _mail_send(self, entry: Recorded, body: Any) -> tuple | None:
        with self.lock:
            action = self._script.popleft() if self._script else "ok"
        if action == "hang":
            self._stopping.wait(self.hang_seconds)
            return None
        if action == "drop":
            return None
        if action == "429":
            return self._answer(entry, 429, {"errors": [error("too many requests")]}, remaining=0)
        if action in {"500", "502", "503", "504"}:
            return self._answer(entry, int(action), {"errors": [error("internal error")]})
        if action in {"401", "403"}:
            return self._answer(entry, int(action), {"errors": [error(AUTH_FAILED)]})
        if action == "413":
            return self._answer(entry, 413, {"errors": [error("payload too large")]})
        if action == "400":
            return self._answer(entry, 400, {"errors": [error(
                "The from email does not contain a valid address.", "from.email",
                "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html")]})
        errors = mail.validate_mail(body, self.batches, self.clock())
        if errors:
            return self._answer(entry, 400, {"errors": errors})
        if self.too_large_over is not None and len(body["personalizations"]) > self.too_large_over:
            return self._answer(entry, 413, {"errors": [error("payload too large")]})
        if (body.get("mail_settings") or {}).get("sandbox_mode", {}).get("enable"):
            return self._answer(entry, 200, None)
        message_id = uuid.uuid4().hex[:22]
        with self.lock:
            self.accepted.extend(entry.addresses)  # taken: delivered even if the answer is lost
            self._keep_messages(body, message_id)
        if action == "lost":
            return None
        if self.delay:
            time.sleep(self.delay)
        return self._answer(entry, 202, None, {"X-Message-Id": message_id})

    def _one_click(self, entry: Recorded, method: str, query: str, raw: bytes) -> tuple:
        """SendGrid's unsubscribe URL: a browser's GET (the link) or RFC 8058's POST."""
        if method == "POST" and raw.decode("utf-8", "replace").strip() != mail.ONE_CLICK:
            return self._answer(entry, 400, None)
        token = (parse_qs(query).get("oc") or [""])[0]
        done = self._by_token(token, time.time())
        return self._answer(entry, 200 if done else 404, None)

    def _answer(self, entry: Recorded, status: int, body: Any, headers: dict | None = None,
                remaining: int | None = None) -> tuple:  # fmt: skip
        """The answer, with the rate-limit headers SendGrid puts on every v3 response."""
        entry.status = status
        limit = 6 if entry.path.startswith("/v3/messages") else 600
        rate = {"X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(limit - 1 if remaining is None else remaining),
                "X-RateLimit-Reset": str(int(time.time()) + self.rate_reset_in)}  # fmt: skip
        return status, {**rate, **(headers or {})}, body


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

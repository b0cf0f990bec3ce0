"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message and can misbehave.

``sink.will("rcpt451", "data554", ...)`` queues faults for the next transactions, one
per attempt, in order; ``sink.refuse[address] = "550 5.1.1 ..."`` refuses one recipient
every time. Faults:

- ``connect421``: the greeting is 421 and the connection closes (a busy server);
- ``mail451``, ``mail550``, ``mail530``: the answer to MAIL FROM;
- ``rcpt421``, ``rcpt451``, ``rcpt452``: the answer to RCPT TO;
- ``data451``, ``data554``: the answer after the message was received;
- ``drop``: the message is received whole (and kept: the server has it), then the
  connection is cut before any answer;
- ``cut_before_data``: the connection is cut after RCPT TO, before the message.

``sink.accepted`` lists every address a message was received for, duplicates kept,
so a test can count copies. ``sink.hold_after = n`` keeps message n+1 waiting for its
answer (after receiving it) until ``release()``: a send to kill while in flight.
"""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import threading
import warnings
from collections import deque
from dataclasses import dataclass, field
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

USER = "regional.team@example.org"
PASSWORD = "pw-Zx9!never-print-me-4471"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    peer: object = None

    def parsed(self):
        return email.message_from_bytes(self.data, policy=policy.default)


@dataclass
class SinkHandler:
    """The aiosmtpd handler: records, refuses and drops as told."""

    faults: deque = field(default_factory=deque)
    refuse: dict[str, str] = field(default_factory=dict)
    messages: list[Received] = field(default_factory=list)
    transactions: int = 0
    hold_after: int | None = None
    held: threading.Event = field(default_factory=threading.Event)
    _release: asyncio.Event | None = None
    counter: int = 0

    def take(self, prefix: str) -> str | None:
        if self.faults and self.faults[0].startswith(prefix):
            return self.faults.popleft()
        return None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.transactions += 1
        fault = self.take("mail")
        if fault:
            return {"mail451": "451 4.3.0 Temporary server error, try again later",
                    "mail550": "550 5.7.1 Sender not allowed to send as this address",
                    "mail530": "530 5.7.0 Authentication required"}[fault]  # fmt: skip
        envelope.mail_from = address
        return "250 2.1.0 Sender OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        fault = self.take("rcpt") or self.take("cut_before_data")
        if fault == "cut_before_data":
            server.transport.abort()
            return "250 2.1.5 Recipient OK"
        if fault:
            return {"rcpt421": "421 4.3.2 Service shutting down, closing channel",
                    "rcpt451": "451 4.4.0 Temporary lookup failure",
                    "rcpt452": "452 4.5.3 Too many recipients for now"}[fault]  # fmt: skip
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(self, server, session, envelope):
        fault = self.take("data") or self.take("drop")
        if fault == "data451":
            return "451 4.3.0 Mail server temporarily rejected message"
        if fault == "data554":
            return "554 5.2.0 STOREDRV.Submission.Exception: SubmissionQuotaExceededException"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content,
                                      session.peer))  # fmt: skip
        if fault == "drop":
            server.transport.abort()
            return "250 never seen"
        if self.hold_after is not None and len(self.messages) > self.hold_after:
            self._release = asyncio.Event()
            self.held.set()
            await self._release.wait()
        self.counter += 1
        return f"250 2.0.0 Ok: queued as Q{self.counter:05d}"


class _FaultySMTP(SMTP):
    """aiosmtpd's server, able to answer the greeting with 421."""

    def __init__(self, handler: SinkHandler, sink: SmtpSink, **kwargs) -> None:
        with warnings.catch_warnings():  # AUTH without TLS: only ever on 127.0.0.1 here
            warnings.simplefilter("ignore")
            super().__init__(handler, **kwargs)
        self._sink = sink
        self._greeted = False

    async def push(self, status: str) -> None:
        if not self._greeted and status.startswith("220 "):
            self._greeted = True
            self._sink.connections += 1
            if self.event_handler.take("connect421"):
                await super().push("421 4.3.2 The maximum number of concurrent connections "
                                   "has exceeded a limit, closing transmission channel")
                self.transport.close()
                return
        await super().push(status)


class _Controller(Controller):
    def __init__(self, sink: SmtpSink, **kwargs) -> None:
        self._sink = sink
        super().__init__(sink.handler, **kwargs)

    def factory(self):
        return _FaultySMTP(self.handler, self._sink, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Start with ``.start()``; ``port``, ``accepted``, ``messages``; ``stop()`` at the end."""

    def __init__(
        self,
        *,
        tls_context: ssl.SSLContext | None = None,
        implicit_tls: ssl.SSLContext | None = None,
        auth: bool = False,
    ) -> None:
        self.handler = SinkHandler()
        self.connections = 0
        self.logins: list[str] = []
        self.basic_auth_retired = False  # answer as Microsoft 365 does without passwords
        self.port = free_port()
        kwargs: dict = {"hostname": "127.0.0.1", "port": self.port,
                        "server_hostname": "sink.test", "ident": "sink"}  # fmt: skip
        if tls_context is not None:
            kwargs.update(tls_context=tls_context, require_starttls=True)
        if implicit_tls is not None:
            kwargs["ssl_context"] = implicit_tls
        if auth:
            # PLAIN only: aiosmtpd's LOGIN challenges end in a NUL that smtplib mishandles
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_exclude_mechanism=["LOGIN"],
                          auth_require_tls=tls_context is not None)  # fmt: skip
            # (with implicit TLS aiosmtpd cannot tell the connection is encrypted)
        self.controller = _Controller(self, **kwargs)

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() == PASSWORD)  # fmt: skip
        if ok and self.basic_auth_retired:
            return AuthResult(success=False, handled=False, message="550 5.7.30 Basic "
                              "authentication is not supported for Client Submission.")  # fmt: skip
        if ok:
            self.logins.append(mechanism)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    def start(self) -> SmtpSink:
        self.controller.start()
        self.connections = 0  # the controller's own readiness probe does not count
        return self

    def stop(self) -> None:
        self.release()
        self.controller.stop()

    def will(self, *faults: str) -> None:
        self.handler.faults.extend(faults)

    @property
    def refuse(self) -> dict[str, str]:
        return self.handler.refuse

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    @property
    def accepted(self) -> list[str]:
        """Every address a message was received for, in order, duplicates kept."""
        return [to.lower() for m in self.handler.messages for to in m.rcpt_tos]

    @property
    def hold_after(self) -> int | None:
        return self.handler.hold_after

    @hold_after.setter
    def hold_after(self, value: int | None) -> None:
        self.handler.hold_after = value

    def release(self) -> None:
        """Let a held message have its answer."""
        self.handler.hold_after = None
        event = self.handler._release
        if event is not None:
            self.controller.loop.call_soon_threadsafe(event.set)

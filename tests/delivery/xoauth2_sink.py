"""The SMTP sink (tests/delivery/smtp_sink.py) taking only ``AUTH XOAUTH2``, as Exchange
Online does for OAuth: the initial response is base64 of
``user=<address>^Aauth=Bearer <token>^A^A``; a bad one gets a 334 with a base64 JSON
status, then (after the client's empty line) ``535 5.7.3 Authentication unsuccessful``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from aiosmtpd.smtp import AuthResult

from .smtp_sink import SinkHandler, SmtpSink, _Controller, free_port

REFUSED = "535 5.7.3 Authentication unsuccessful [SN4PR0601CA0001.namprd06.prod.outlook.com]"


@dataclass
class XOAuth2Handler(SinkHandler):
    """Accepts the user with any token ``valid(token)`` says yes to."""

    user: str = ""
    valid: Callable[[str], bool] = lambda token: False
    tokens: list[str] = field(default_factory=list)  # every token presented, in order
    mechanisms: list[str] = field(default_factory=list)

    async def auth_XOAUTH2(self, server, args):
        self.mechanisms.append("XOAUTH2")
        try:
            raw = base64.b64decode(args[1], validate=True).decode() if len(args) > 1 else ""
        except (binascii.Error, UnicodeDecodeError):
            raw = ""
        fields = dict(part.split("=", 1) for part in raw.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        self.tokens.append(token)
        ok = raw.endswith("\x01\x01") and fields.get("user") == self.user and self.valid(token)
        if ok:
            return AuthResult(success=True, auth_data=self.user)
        status = {"status": "401", "schemes": "bearer", "scope": "https://outlook.office.com/"}
        await server.challenge_auth(json.dumps(status))  # the client answers with an empty line
        return AuthResult(success=False, handled=False, message=REFUSED)


class XOAuth2Sink(SmtpSink):
    """An SMTP sink on 127.0.0.1 that requires AUTH XOAUTH2 (and offers nothing else)."""

    def __init__(self, user: str, valid: Callable[[str], bool]) -> None:
        self.handler = XOAuth2Handler(user=user, valid=valid)
        self.connections = 0
        self.logins: list[str] = []
        self.basic_auth_retired = False
        self.port = free_port()
        self.controller = _Controller(
            self, hostname="127.0.0.1", port=self.port, server_hostname="sink.test",
            ident="sink", auth_required=True, auth_require_tls=False,
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
        )  # fmt: skip

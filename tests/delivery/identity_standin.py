"""A stand-in for Microsoft's identity platform on 127.0.0.1 (HTTPS with a trustme CA).

It answers what MSAL asks during the OAuth 2.0 device authorization grant (RFC 8628) as
the Microsoft identity platform documents it:

- ``GET /{tenant}/v2.0/.well-known/openid-configuration``: the OpenID discovery document;
- ``POST /{tenant}/oauth2/v2.0/devicecode``: device_code, user_code, verification_uri,
  expires_in, interval, message;
- ``POST /{tenant}/oauth2/v2.0/token``: for the device code, ``authorization_pending``
  (400) ``pending`` times, then access_token, refresh_token, id_token, client_info,
  expires_in; for ``grant_type=refresh_token``, a new access token.

``issued`` lists every access token handed out, ``grants`` every token request's grant
type, so a test can tell a silent refresh from a cached token.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TENANT = "contoso.onmicrosoft.com"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_ID = "3f1c2a9e-5b7d-4e21-9c0a-6d8e7f6a5b4c"
USER_CODE = "KQ7XW2PLM"
DEVICE_CODE = "DAQABAAEAAAD--device-code-never-print-me"
SMTP_SCOPE = "https://outlook.office365.com/SMTP.Send"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class IdentityStandIn:
    """Start with ``.start()``; ``base`` is ``https://127.0.0.1:PORT``; ``stop()`` at the end."""

    def __init__(self, tls: ssl.SSLContext, user: str, *, pending: int = 1) -> None:
        self.user = user
        self.pending = pending
        self.expires_in = 3599
        self.issued: list[str] = []
        self.refresh_tokens: list[str] = []
        self.grants: list[str] = []
        self.scopes: list[str] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> IdentityStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- answers -----------------------------------------------------------------------

    def discovery(self, tenant: str) -> dict:
        root = f"{self.base}/{tenant}"
        return {
            "issuer": f"{self.base}/{TENANT_ID}/v2.0",
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
            "response_types_supported": ["code", "id_token", "code id_token"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
        }

    def device_code(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != CLIENT_ID:
            return 400, {"error": "unauthorized_client",
                         "error_description": "AADSTS700016: Application not found"}  # fmt: skip
        self.scopes.append(form.get("scope", ""))
        return 200, {
            "device_code": DEVICE_CODE,
            "user_code": USER_CODE,
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900,
            "interval": 1,
            "message": "To sign in, use a web browser to open the page "
            f"https://microsoft.com/devicelogin and enter the code {USER_CODE} to authenticate.",
        }

    def token(self, form: dict) -> tuple[int, dict]:
        grant = form.get("grant_type", "")
        self.grants.append(grant)
        if form.get("client_id") != CLIENT_ID:
            return 400, {"error": "invalid_client", "error_description": "AADSTS700016"}
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if form.get("device_code") != DEVICE_CODE:
                return 400, {"error": "invalid_grant", "error_description": "bad device code"}
            if self.pending > 0:
                self.pending -= 1
                return 400, {"error": "authorization_pending", "error_description":
                             "AADSTS70016: OAuth 2.0 device flow error. Authorization is "
                             "pending. Continue polling."}  # fmt: skip
            return 200, self._tokens(form)
        if grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant", "error_description": "AADSTS70000"}
            return 200, self._tokens(form)
        return 400, {"error": "unsupported_grant_type"}

    def _tokens(self, form: dict) -> dict:
        with self._lock:
            number = len(self.issued) + 1
            access = f"EwBwA8l6BAAU-access-token-{number}-never-print-me"
            refresh = f"M.C5-refresh-token-{number}-never-print-me"
            self.issued.append(access)
            self.refresh_tokens.append(refresh)
        now = int(time.time())
        claims = {"aud": CLIENT_ID, "iss": f"{self.base}/{TENANT_ID}/v2.0", "iat": now,
                  "nbf": now, "exp": now + 3600, "name": "Regional Team",
                  "oid": "00000000-0000-0000-66f3-3332eca7ea81", "preferred_username": self.user,
                  "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "tid": TENANT_ID,
                  "ver": "2.0"}  # fmt: skip
        header = _b64url(json.dumps({"typ": "JWT", "alg": "RS256", "kid": "test"}).encode())
        id_token = f"{header}.{_b64url(json.dumps(claims).encode())}.{_b64url(b'signature')}"
        info = {"uid": claims["oid"], "utid": TENANT_ID}
        return {
            "token_type": "Bearer",
            "scope": f"{SMTP_SCOPE} openid profile offline_access",
            "expires_in": self.expires_in,
            "ext_expires_in": self.expires_in,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": _b64url(json.dumps(info).encode()),
        }

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                    self._json(200, standin.discovery(parts[0]))
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = self.path.split("?")[0]
                if path.endswith("/oauth2/v2.0/devicecode"):
                    self._json(*standin.device_code(form))
                elif path.endswith("/oauth2/v2.0/token"):
                    self._json(*standin.token(form))
                else:
                    self._json(404, {"error": "not_found"})

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

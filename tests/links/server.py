"""A web server on 127.0.0.1 whose paths give every answer the link check must handle."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: path -> (status for HEAD, status for GET, Location or None)
ROUTES: dict[str, tuple[int, int, str | None]] = {
    "/ok": (200, 200, None),
    "/moved": (301, 301, "/ok"),
    "/found": (302, 302, "/ok"),
    "/see-other": (303, 303, "/ok"),
    "/temporary": (307, 307, "/ok"),
    "/permanent": (308, 308, "/ok"),
    "/chain": (302, 302, "/moved"),  # temporary, then permanent, then 200
    "/moved-to-missing": (301, 301, "/missing"),
    "/loop": (302, 302, "/loop"),
    "/missing": (404, 404, None),
    "/gone": (410, 410, None),
    "/forbidden": (403, 403, None),
    "/unauthorised": (401, 401, None),
    "/busy": (429, 429, None),
    "/error": (500, 500, None),
    "/unavailable": (503, 503, None),
    "/no-head": (405, 200, None),  # HEAD not allowed, GET fine
    "/head-forbidden": (403, 200, None),  # bot protection that blocks HEAD only
    "/not-implemented": (501, 200, None),
    "/teapot": (418, 418, None),
}
SLOW = 1.5  # seconds /slow waits before answering


class LinkServer:
    """Counts every request by (method, path); /flaky fails once, then works; /site/ serves files."""

    def __init__(self, site: Path | None = None) -> None:
        self.hits: Counter[tuple[str, str]] = Counter()
        self.site = site
        #: Every connection accepted, a request in it or not (an ftp: client sends none).
        self.connections = 0
        #: This server's own routes (redirects to another server's port), before ROUTES.
        self.routes: dict[str, tuple[int, int, str | None]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def _answer(self) -> None:
                path = self.path.split("?", 1)[0]
                server.hits[(self.command, path)] += 1
                if path == "/slow":
                    time.sleep(SLOW)
                    return self._reply(200)
                if path == "/flaky":
                    calls = sum(n for (_m, p), n in server.hits.items() if p == "/flaky")
                    return self._reply(503 if calls == 1 else 200)
                if path.startswith("/site/") and server.site is not None:
                    rel = path.removeprefix("/site/") or "index.html"
                    if rel.endswith("/"):
                        rel += "index.html"
                    file = server.site / rel
                    return self._reply(200 if file.is_file() else 404)
                head, get, location = server.routes.get(path) or ROUTES.get(path, (404, 404, None))
                return self._reply(head if self.command == "HEAD" else get, location)

            def _reply(self, status: int, location: str | None = None) -> None:
                body = b"" if self.command == "HEAD" else f"{status}\n".encode()
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET = _answer

        class Counting(ThreadingHTTPServer):
            def verify_request(self, request: object, client_address: object) -> bool:
                server.connections += 1
                return True

        self.httpd = Counting(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LinkServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, path: str) -> int:
        return sum(n for (_m, p), n in self.hits.items() if p == path)

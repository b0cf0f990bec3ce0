"""The local preview server: stdlib ``ThreadingHTTPServer`` on 127.0.0.1 only.

Routes: ``/`` the preview page (``?list=NAME`` for one audience), ``/email.html``
the bare email, ``/version`` the live-reload counter the page polls. Pages are
built from the files on each change (cached per version and list), so a broken
save shows its message and the next good save recovers.
"""

from __future__ import annotations

import errno
import mimetypes
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from newsletter_cli.errors import InputError, NewsletterError, Refused
from newsletter_cli.preview.content import IMAGES_ROUTE, PreviewContent, Problem, gather
from newsletter_cli.preview.page import render_page, version_json
from newsletter_cli.preview.watch import Watcher

if TYPE_CHECKING:
    from newsletter_cli.project import Project

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 8642


def watched(issue_path: Path, project: Project) -> Watcher:
    """A watcher over the issue file, newsletter.toml, templates/, recipients/ and images/."""
    return Watcher(
        files=(issue_path, project.config_path),
        folders=(project.templates_dir, project.recipients_dir, project.images_dir),
    )


class PreviewServer:
    """A running (or ready) preview of one issue. Use :meth:`start` or :meth:`serve_forever`."""

    def __init__(
        self,
        issue_path: str | Path,
        project: Project,
        *,
        list_name: str | None = None,
        host: str = LOCALHOST,
        port: int | None = None,
    ) -> None:
        if host != LOCALHOST:
            raise Refused(
                f"the preview only listens on {LOCALHOST} (asked for {host}): "
                "it shows recipients' names and must not be reachable from other machines"
            )
        self.issue_path = Path(issue_path)
        if not self.issue_path.is_file():
            raise InputError("no such file", path=self.issue_path)
        self.project = project
        self.list_name = list_name or None
        self.watcher = watched(self.issue_path, project)
        self._boot = secrets.token_hex(4)
        self._cache: dict[tuple[int, str | None], PreviewContent] = {}
        self._build_lock = threading.Lock()
        self._serving = threading.Event()
        self._thread: threading.Thread | None = None
        self._httpd = _bind(host, port)
        self._httpd.preview = self  # type: ignore[attr-defined]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}/"

    def version(self) -> str:
        """Changes whenever a watched file does (and between server runs)."""
        return f"{self._boot}-{self.watcher.poll()}"

    def content(self, list_name: str | None) -> tuple[str, PreviewContent]:
        """The current version and what the page shows for ``list_name`` (built once each)."""
        with self._build_lock:
            version = self.version()
            key = (self.watcher.version, list_name)
            if key not in self._cache:
                self._cache = {k: v for k, v in self._cache.items() if k[0] == key[0]}
                try:
                    self._cache[key] = gather(self.issue_path, self.project, list_name)
                except Exception as exc:  # noqa: BLE001 - shown on the page; keep serving
                    failed = PreviewContent(self.issue_path, self.issue_path.name, list_name)
                    failed.problems.append(Problem.of(exc))
                    self._cache[key] = failed
            return version, self._cache[key]

    def serve_forever(self) -> None:
        """Serve until :meth:`stop` (from another thread) or Ctrl-C (KeyboardInterrupt)."""
        self._serving.set()
        try:
            self._httpd.serve_forever(poll_interval=0.1)
        finally:
            self._serving.clear()

    def start(self) -> PreviewServer:
        """Serve from a background thread (for tests and tools); returns self."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="newsletter-preview", daemon=True
        )
        self._thread.start()
        self._serving.wait(5)
        return self

    def stop(self) -> None:
        """Stop serving and free the port. Safe to call more than once."""
        if self._serving.is_set():
            self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """No tracebacks on the terminal: a browser that hangs up mid-reload is normal."""


def _bind(host: str, port: int | None) -> _HTTPServer:
    """Listen on ``port``; ``None`` tries the default port, then any free one."""
    try:
        return _HTTPServer((host, DEFAULT_PORT if port is None else port), _Handler)
    except OSError as exc:
        if port is None and exc.errno == errno.EADDRINUSE:
            return _bind(host, 0)
        raise NewsletterError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="choose another --port, or --port 0 for any free one",
        ) from None


class _Handler(BaseHTTPRequestHandler):
    server_version = "newsletter-preview"
    protocol_version = "HTTP/1.1"

    @property
    def preview(self) -> PreviewServer:
        return self.server.preview  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the page polls twice a second."""

    def _send(self, status: int, body: str, content_type: str = "text/html") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Connection", "close")  # no idle connections outlive stop()
        self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _image(self, name: str) -> None:
        """A local image as publish will write it (resized, metadata stripped)."""
        _, content = self.preview.content(self.preview.list_name)
        image = content.images.get(name)
        if image is None:
            self._send(HTTPStatus.NOT_FOUND, "Not found.\n", "text/plain")
            return
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(image.data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(image.data)

    def _host_allowed(self) -> bool:
        """Refuse other names for this server (DNS rebinding could read recipients' names)."""
        port = self.preview.port
        return self.headers.get("Host", "") in {f"{LOCALHOST}:{port}", f"localhost:{port}"}

    def _list_name(self, query: dict[str, list[str]]) -> str | None:
        if "list" in query:
            return query["list"][0].strip() or None
        return self.preview.list_name

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page reloaded or closed while we answered
        except Exception as exc:  # noqa: BLE001 - one line on the page, never a traceback
            text = f"internal error: {type(exc).__name__}: {exc} (please report it)\n"
            try:
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, text, "text/plain")
            except OSError:
                pass

    do_HEAD = do_GET

    def _route(self) -> None:
        if not self._host_allowed():
            self._send(HTTPStatus.FORBIDDEN, "Only http://127.0.0.1 may use this preview.\n",
                       "text/plain")
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/version":
            self._send(HTTPStatus.OK, version_json(self.preview.version()), "application/json")
        elif url.path in ("/", "/index.html"):
            version, content = self.preview.content(self._list_name(query))
            self._send(HTTPStatus.OK, render_page(content, version))
        elif url.path == "/email.html":
            _, content = self.preview.content(self._list_name(query))
            if content.email is None:
                text = "\n".join(p.text for p in content.problems) + "\n"
                self._send(HTTPStatus.UNPROCESSABLE_ENTITY, text, "text/plain")
            else:
                self._send(HTTPStatus.OK, content.email.html)
        elif url.path.startswith(IMAGES_ROUTE):
            self._image(url.path.removeprefix(IMAGES_ROUTE))
        elif url.path == "/favicon.ico":
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
        else:
            self._send(HTTPStatus.NOT_FOUND, "Not found.\n", "text/plain")

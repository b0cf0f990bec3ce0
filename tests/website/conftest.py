"""Fixtures for the web edition: the samples with their links filled in, and a local web server."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.issues import APRIL, SEPTEMBER

from newsletter_cli.project import Project


def fill_links(project_dir: Path, url: str = "https://example.org/book") -> None:
    """Give every 'TODO' link in the sample issues a real-looking address, as a finished issue has."""
    for name in (SEPTEMBER, APRIL):
        path = project_dir / name
        text = path.read_text(encoding="utf-8")
        text = text.replace("url: TODO", f"url: {url}").replace("](TODO)", f"]({url})")
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def finished(project_dir: Path) -> Project:
    """The sample project with its placeholder links filled in."""
    fill_links(project_dir)
    return Project(project_dir)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class StaticServer:
    """A folder served on 127.0.0.1, as a web host would serve site/."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve() -> Iterator:
    """serve(folder) -> a running StaticServer, stopped after the test."""
    servers: list[StaticServer] = []

    def start(folder: Path) -> StaticServer:
        server = StaticServer(folder).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()

"""Every outcome of trying one address, against a local server (never the internet)."""

from __future__ import annotations

import socket
import time
import urllib.error

import pytest

from newsletter_cli.links.probe import _failure, try_url

from .server import SLOW

#: No retry wait; a timeout roomy enough for a loaded machine.
FAST = {"timeout": 10.0, "retry_delay": 0}
#: For /slow only: shorter than the server's wait.
SHORT = {"timeout": 1.0, "retry_delay": 0}


@pytest.mark.parametrize(
    ("path", "level", "kind", "words"),
    [
        ("/ok", "ok", "ok", ""),
        ("/found", "ok", "ok", ""),
        ("/see-other", "ok", "ok", ""),
        ("/temporary", "ok", "ok", ""),
        ("/missing", "error", "missing", "404 Not Found: the page is not there"),
        ("/gone", "error", "missing", "410 Gone: the page is not there"),
        ("/forbidden", "warning", "blocked", "answered 403 (may be a site's bot protection) (tried twice)"),
        ("/unauthorised", "warning", "blocked", "answered 401"),
        ("/busy", "warning", "blocked", "answered 429"),
        ("/error", "warning", "server", "answered 500, a server error (tried twice)"),
        ("/unavailable", "warning", "server", "answered 503"),
        ("/no-head", "ok", "ok", ""),
        ("/head-forbidden", "ok", "ok", ""),
        ("/not-implemented", "ok", "ok", ""),
        ("/teapot", "warning", "other", "answered 418"),
        ("/loop", "warning", "redirects", "more than 10 redirects"),
    ],
)
def test_outcomes(server, path, level, kind, words):
    result = try_url(server.url + path, **FAST)
    assert (result.level, result.kind) == (level, kind)
    assert words in result.message


def test_temporary_redirects_are_followed_and_reported(server):
    result = try_url(server.url + "/found", **FAST)
    assert result.redirects == ((302, server.url + "/ok"),)
    assert result.final_url == server.url + "/ok" and result.status == 200


@pytest.mark.parametrize(("path", "code"), [("/moved", 301), ("/permanent", 308), ("/chain", 301)])
def test_a_permanent_redirect_is_a_warning_naming_the_new_address(server, path, code):
    result = try_url(server.url + path, **FAST)
    assert result.level == "warning" and result.kind == "moved"
    assert result.message == f"has moved permanently ({code}): link to {server.url}/ok instead"


def test_a_redirect_to_a_missing_page_is_an_error_naming_both(server):
    result = try_url(server.url + "/moved-to-missing", **FAST)
    assert result.level == "error"
    assert result.message == f"404 Not Found (redirected to {server.url}/missing): the page is not there"


def test_head_refused_falls_back_to_get(server):
    for path in ("/no-head", "/head-forbidden", "/not-implemented"):
        try_url(server.url + path, **FAST)
        assert server.hits[("HEAD", path)] == 1 and server.hits[("GET", path)] == 1
    try_url(server.url + "/ok", **FAST)
    assert server.hits[("HEAD", "/ok")] == 1 and server.hits[("GET", "/ok")] == 0


def test_warnings_are_tried_once_more_and_errors_are_not(server):
    try_url(server.url + "/busy", **FAST)
    assert server.hits[("HEAD", "/busy")] == 2
    try_url(server.url + "/missing", **FAST)
    assert server.count("/missing") == 1


def test_a_second_try_that_works_is_ok(server):
    result = try_url(server.url + "/flaky", **FAST)
    assert result.level == "ok" and result.attempts == 2


def test_a_timeout_is_a_warning_after_one_retry(server):
    start = time.monotonic()
    result = try_url(server.url + "/slow", **SHORT)
    # two tries of 1 s each; waiting out /slow twice would give "ok", not a timeout, and a
    # hang would take far longer than this roomy bound (the test's timeout stops it too)
    assert time.monotonic() - start < 4 * SLOW + 4
    assert result.level == "warning" and result.kind == "timeout"
    assert result.message == "no answer within 1 s (tried twice)"
    assert server.hits[("HEAD", "/slow")] == 2


def no_such_name(asked: list[str]):
    """A resolver that knows no name, as DNS answers NXDOMAIN (no network involved)."""

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return resolve


def test_a_name_that_does_not_exist_is_an_error_tried_once():
    asked: list[str] = []
    result = try_url("https://booking.nowhere.test/events", resolve=no_such_name(asked), **FAST)
    assert result.level == "error" and result.kind == "dns" and result.attempts == 1
    assert result.message == "the name does not exist (DNS): booking.nowhere.test"
    assert asked == ["booking.nowhere.test"]


def test_an_invalid_name_fails_without_asking_any_resolver():
    # RFC 6761: .invalid never resolves, so the check says so without a lookup
    asked: list[str] = []
    result = try_url("https://booking.nothing-here.invalid/events",
                     resolve=no_such_name(asked), **FAST)  # fmt: skip
    assert result.level == "error" and result.kind == "dns"
    assert result.message == "the name does not exist (DNS): booking.nothing-here.invalid"
    assert asked == []


def test_a_redirect_to_a_name_that_does_not_exist(server):
    # A Location pointing at a dead host: the hop is followed and the DNS failure reported.
    from .server import ROUTES

    ROUTES["/to-nowhere"] = (301, 301, "https://gone.invalid/page")
    try:
        result = try_url(server.url + "/to-nowhere", **FAST)
    finally:
        del ROUTES["/to-nowhere"]
    assert result.level == "error" and "gone.invalid" in result.message


def test_a_refused_connection_is_a_warning():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once closed
    result = try_url(f"http://127.0.0.1:{port}/", **FAST)
    assert result.level == "warning" and result.kind == "connect"
    assert "the connection was refused" in result.message


def test_resolver_failures_are_told_apart():
    no_name = urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    assert _failure(no_name, 1)[0] == "dns"
    temporary = urllib.error.URLError(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"))
    assert _failure(temporary, 1)[0] == "dns-temporary"

"""Redirects lead only to the web: never to file:, ftp:, data:, nor into another host's
internal network. Names are looked up by a resolver the test gives (no DNS): site.test is
the link's own host, on 127.0.0.1; ``internal`` stands for an admin page on the office
network and must see no connection at all."""

from __future__ import annotations

import socket

import pytest

from newsletter_cli.links.hops import Refused, addresses_for, is_internal
from newsletter_cli.links.probe import try_url

#: Short: a refused hop needs no time, and an old tool that did connect must not hang long.
QUICK = {"timeout": 3.0, "retry_delay": 0}


def resolver(names: dict[str, list[str]]):
    """A resolver that knows only ``names`` and says at once that others do not exist."""

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return names[host]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return resolve


SITE = resolver({"site.test": ["127.0.0.1"]})


def site_url(server, path: str) -> str:
    return f"http://site.test:{server.port}{path}"


def redirect(server, path: str, location: str) -> str:
    """Make ``path`` on ``server`` answer 302 to ``location``; return the link (on site.test)."""
    server.routes[path] = (302, 302, location)
    return site_url(server, path)


@pytest.mark.parametrize(
    ("location", "scheme"),
    [
        ("file:///etc/shadow", "file"),
        ("file:///nonexistent/path", "file"),
        ("data:text/html,<script>alert(1)</script>", "data"),
        ("javascript:alert(1)", "javascript"),
    ],
)
def test_a_redirect_off_the_web_is_an_error_and_nothing_is_opened(server, location, scheme):
    link = redirect(server, "/away", location)
    result = try_url(link, resolve=SITE, **QUICK)
    assert (result.level, result.kind) == ("error", "refused")
    assert result.message == (
        f"redirected (302) to {location}: not a web address "
        f"(only http: and https: are followed, not {scheme}:); not followed"
    )
    assert "No such file" not in result.message and "Errno" not in result.message
    assert result.attempts == 1 and server.count("/away") == 1


def test_a_redirect_to_ftp_connects_nowhere(server, internal):
    link = redirect(server, "/to-ftp", f"ftp://127.0.0.1:{internal.port}/pub/file.txt")
    result = try_url(link, resolve=SITE, **QUICK)
    assert (result.level, result.kind) == ("error", "refused")
    assert f"redirected (302) to ftp://127.0.0.1:{internal.port}/pub/file.txt" in result.message
    assert internal.connections == 0


@pytest.mark.parametrize(
    "location",
    ["http://127.0.0.1:{port}/admin/", "//127.0.0.1:{port}/admin/", "https://127.0.0.1:{port}/admin/",
     "http://intranet.test:{port}/admin/"],
)  # fmt: skip
def test_a_redirect_into_another_hosts_network_requests_nothing(server, internal, location):
    where = location.format(port=internal.port)
    link = redirect(server, "/to-admin", where)
    names = resolver({"site.test": ["127.0.0.1"], "intranet.test": ["127.0.0.1"]})
    result = try_url(link, resolve=names, **QUICK)
    assert (result.level, result.kind) == ("error", "refused")
    shown = f"http:{where}" if where.startswith("//") else where
    assert result.message == (
        f"redirected (302) to {shown}: an internal address (127.0.0.1) of another host "
        "than the link's; not followed"
    )
    assert internal.connections == 0 and internal.hits == {}


def test_a_redirect_on_the_links_own_host_is_followed(server):
    result = try_url(site_url(server, "/chain"), resolve=SITE, **QUICK)
    assert (result.level, result.kind) == ("warning", "moved")
    assert result.final_url == site_url(server, "/ok")
    assert server.hits[("HEAD", "/ok")] == 1  # reached through the address the resolver gave


def test_a_link_the_author_wrote_to_an_internal_address_is_tried(internal):
    result = try_url(f"http://127.0.0.1:{internal.port}/ok", resolve=SITE, **QUICK)
    assert result.level == "ok" and internal.hits[("HEAD", "/ok")] == 1
    named = try_url(f"http://intranet.test:{internal.port}/found",
                    resolve=resolver({"intranet.test": ["127.0.0.1"]}), **QUICK)  # fmt: skip
    assert named.level == "ok" and internal.hits[("HEAD", "/ok")] == 2


def test_a_name_the_resolver_does_not_know_is_a_dns_error_at_once(server):
    link = redirect(server, "/to-unknown", "http://unknown.test/page")
    result = try_url(link, resolve=SITE, **QUICK)
    assert (result.level, result.kind) == ("error", "dns")
    assert result.message == "the name does not exist (DNS): unknown.test"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
     "0.0.0.0", "::1", "fe80::1", "fc00::5", "::ffff:127.0.0.1", "::ffff:10.0.0.1"],
)  # fmt: skip
def test_internal_addresses(address):
    assert is_internal(address)
    with pytest.raises(Refused, match="an internal address"):
        addresses_for("http://elsewhere.test/x", "site.test", resolver({"elsewhere.test": [address]}))


def test_public_addresses_and_the_links_own_host_are_allowed():
    public = resolver({"elsewhere.test": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
                       "mixed.test": ["93.184.215.14", "10.0.0.7"],
                       "site.test": ["192.168.1.20"]})  # fmt: skip
    assert not is_internal("93.184.215.14")
    assert addresses_for("https://elsewhere.test/x", "site.test", public)[0] == "93.184.215.14"
    assert addresses_for("http://site.test:8080/x", "site.test", public) == ["192.168.1.20"]
    with pytest.raises(Refused, match=r"\(10\.0\.0\.7\)"):  # one internal address is enough
        addresses_for("http://mixed.test/x", "site.test", public)


def test_through_a_proxy_a_name_only_the_proxy_knows_is_still_tried(server, monkeypatch):
    # Offices often reach the web through a proxy and cannot look names up themselves.
    for name in ("no_proxy", "NO_PROXY", "http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", server.url)
    result = try_url("http://outside.test/page", resolve=SITE, **QUICK)
    assert server.hits[("HEAD", "http://outside.test/page")] == 1  # asked the proxy for it
    assert (result.level, result.kind) == ("error", "missing")
    server.routes["http://outside.test/away"] = (302, 302, "http://10.0.0.1/admin/")
    refused = try_url("http://outside.test/away", resolve=SITE, **QUICK)
    assert (refused.level, refused.kind) == ("error", "refused")
    assert "(10.0.0.1)" in refused.message

"""Where the link check may go: the web only, and never into another host's network.

A link, and every redirect it answers with, is opened only when it is an ``http:`` or
``https:`` address; ``file:``, ``ftp:``, ``data:`` and the like are refused before
anything is opened. A redirect from the link's own host to *another* host whose address
is loopback, private or link-local (127.0.0.1, 10.x, 192.168.x, 169.254.x, ::1, fe80::...)
is refused before anything is requested: a page on the internet must not make the tool
probe the office network. A link the author wrote to an intranet address is still tried
(the host is the link's own).

Names are looked up once, by a resolver the caller may give (tests map ``.test`` names
to 127.0.0.1), and the connection goes to exactly the address that was checked, so a
name that answers differently the second time (DNS rebinding) cannot slip past. Through
an HTTP proxy (``https_proxy`` and the like) the proxy connects, as before; a name this
machine cannot look up is then left to the proxy (only its address literal is checked).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Callable, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

#: host, port -> the addresses to connect to (raises socket.gaierror when there are none).
Resolver = Callable[[str, int], Sequence[str]]
WEB_SCHEMES = ("http", "https")


class Refused(Exception):
    """An address the link check will not open or request; the text says why."""


def system_resolver(host: str, port: int) -> list[str]:
    """The system's addresses for ``host`` (DNS, /etc/hosts), in its order of preference."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def is_internal(address: str) -> bool:
    """True for a loopback, private, link-local or unspecified address (IPv4 or IPv6)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def host_of(url: str) -> str:
    """The host name of ``url``, lower case, without a final dot."""
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def addresses_for(url: str, origin: str, resolve: Resolver) -> list[str]:
    """Where to connect for ``url``, reached from a link whose host is ``origin``.

    Raises :class:`Refused` for an address that is not http(s), or for another host
    whose addresses include an internal one; socket.gaierror when the name does not resolve.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise Refused(f"not a web address (only http: and https: are followed, not {scheme}:)")
    host = host_of(url)
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = list(resolve(host, port))
        except socket.gaierror:
            if not through_proxy(url):
                raise
            addresses = []  # only the proxy can look it up: it connects, not us
    inside = [a for a in addresses if is_internal(a)]
    if host != origin and inside:
        raise Refused(f"an internal address ({inside[0]}) of another host than the link's")
    return addresses


def through_proxy(url: str) -> bool:
    """True when the environment sends ``url`` through a proxy (``https_proxy``...)."""
    scheme = urlsplit(url).scheme.lower()
    proxies = urllib.request.getproxies()
    return scheme in proxies and not urllib.request.proxy_bypass(host_of(url))


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers, so each hop is checked and followed by hand."""

    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


def opener(host: str, addresses: Sequence[str]) -> urllib.request.OpenerDirector:
    """An opener for http(s) only, connecting to ``addresses`` for ``host`` (or a proxy)."""
    director = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), NoRedirects(),
        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
        _PinnedHTTPHandler(host, addresses), _PinnedHTTPSHandler(host, addresses),
    ):  # fmt: skip
        director.add_handler(handler)
    return director


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def _connect(addresses: Sequence[str], port: int, timeout: float | None) -> socket.socket:
    """A connection to the first of ``addresses`` that answers."""
    last: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            last = exc
    raise last


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, *, pinned: Sequence[str], **kwargs) -> None:  # noqa: ANN003
        super().__init__(host, **kwargs)
        self.pinned = pinned

    def connect(self) -> None:
        self.sock = _connect(self.pinned, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, *, pinned: Sequence[str], **kwargs) -> None:  # noqa: ANN003
        super().__init__(host, context=_tls(), **kwargs)
        self.pinned = pinned

    def connect(self) -> None:
        raw = _connect(self.pinned, self.port, self.timeout)
        self.sock = _tls().wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, host: str, pinned: Sequence[str]) -> None:
        super().__init__()
        self.host, self.pinned = host, pinned

    def http_open(self, req):  # noqa: ANN001, ANN201 - urllib's signature
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs) -> http.client.HTTPConnection:  # noqa: ANN003
        plain = http.client.HTTPConnection(host, **kwargs)
        if plain.host.lower().rstrip(".") != self.host:
            return plain  # a proxy's address: the proxy connects
        return _PinnedHTTP(host, pinned=self.pinned, **kwargs)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, host: str, pinned: Sequence[str]) -> None:
        super().__init__(context=_tls())
        self.host, self.pinned = host, pinned

    def https_open(self, req):  # noqa: ANN001, ANN201 - urllib's signature
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **kwargs) -> http.client.HTTPSConnection:  # noqa: ANN003
        if http.client.HTTPConnection(host).host.lower().rstrip(".") != self.host:
            return http.client.HTTPSConnection(host, context=_tls(), **kwargs)
        return _PinnedHTTPS(host, pinned=self.pinned, **kwargs)

"""The aiohttp side of the Fetcher: sessions, the resolver hook, proxies, and what went wrong.

aiohttp does the HTTP/1.1 (llhttp, Node's fuzzed parser), kept-alive connections and TLS.
Everything here keeps it to what a feed reader asks of it: no cookies, no decompression (the
Fetcher inflates with a cap), certifi's roots, and proxies named by the environment.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import functools
import ipaddress
import socket
import ssl
import urllib.request
from dataclasses import dataclass
from typing import Any

import aiohttp
import certifi
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.http_exceptions import HttpProcessingError
from yarl import URL

from tui_reader.net.errors import FetchError
from tui_reader.scalars import ScalarError, parse_host


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Made once per process, at its first https request (each request names it; only a
    socks proxy's connector asks for it up front): loading the root certificates takes tens
    of milliseconds, and every fetcher (one per refresh, one per page opened) shares it."""
    return ssl.create_default_context(cafile=certifi.where())


@functools.lru_cache(maxsize=1024)
def private_address(address: str) -> bool | None:
    """Whether an IP address is loopback, private, link-local or reserved; None for a name.
    Asked of every response, and a run talks to few servers."""
    try:
        return not ipaddress.ip_address(address.strip("[]")).is_global
    except ValueError:
        return None


class PrivateAddress(OSError):
    """A connection to a private address, refused before it was made."""


@dataclass(slots=True)
class Hop:
    """What the connector learns while one request connects: every address a socket was
    opened to for it (none when a kept-alive connection carried it); and when the request
    was sent, where its read timeout starts."""

    public_only: bool
    connected_private: bool | None = None
    sent_at: float | None = None


HOP: contextvars.ContextVar[Hop] = contextvars.ContextVar("hop")


def _open_socket(address: tuple[Any, ...]) -> socket.socket:
    """The connector's socket factory: sees each address about to be connected to, in the
    requesting task's context, and refuses a private one for a request that must stay public
    (whatever the resolver said a moment before)."""
    family, kind, proto, _, sockaddr = address
    hop = HOP.get(None)
    if hop is not None:
        private = bool(private_address(str(sockaddr[0])))
        hop.connected_private = bool(hop.connected_private) or private
        if private and hop.public_only:
            raise PrivateAddress(f"{sockaddr[0]} is a private address")
    return socket.socket(family, kind, proto)


class _Response(aiohttp.ClientResponse):
    """aiohttp's response, noting on the request's Hop when it starts to wait for the answer
    (the request sent, on a connection made): from there the server is timed."""

    async def start(self, connection: aiohttp.connector.Connection) -> aiohttp.ClientResponse:
        hop = HOP.get(None)
        if hop is not None:
            hop.sent_at = asyncio.get_running_loop().time()
        return await super().start(connection)


class Resolver(AbstractResolver):
    """aiohttp's own resolver, remembering per host whether any address it gave is private.

    The connector and the Fetcher's check before a request ask the same object, so both see
    the same answer for the run (a host cannot resolve public for the check and private for
    the connection); the connected peer is checked again after that.
    """

    def __init__(self) -> None:
        # Made on first use: aiohttp's resolver binds to the running loop, and a Fetcher may
        # be made before the loop runs.
        self._inner: AbstractResolver | None = None
        self._answers: dict[tuple[str, int, int], list[ResolveResult]] = {}
        self.private: dict[str, bool] = {}

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        key = (host, port, family)
        found = self._answers.get(key)
        if found is None:
            if self._inner is None:
                self._inner = aiohttp.DefaultResolver()
            found = self._answers[key] = await self._inner.resolve(host, port, family)
            self.private[host] = any(private_address(r["host"]) for r in found)
        return found

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()


def shown(proxy: str) -> str:
    """The proxy without its credentials, for messages."""
    try:
        url = URL(proxy)
    except ValueError:
        return "(unreadable address)"
    if not url.host:
        return "(unreadable address)"
    return str(url.with_user(None).with_path("").with_query(None).with_fragment(None))


def _loopback(host: str) -> bool:
    """This machine, which a proxy cannot reach on our behalf: never proxied."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Route:
    """How one request goes out: the session, and the HTTP proxy to name to it."""

    session: aiohttp.ClientSession
    proxy: URL | None = None
    # Proxy-Authorization, from the credentials in the proxy's URL.
    proxy_authorization: str | None = None
    # The proxy as messages name it; None when connecting directly.
    via: str | None = None


class Sessions:
    """The sessions of one Fetcher: one direct, and one per socks proxy in use.

    Proxies come from the environment as aiohttp's `trust_env` reads them (HTTP_PROXY and
    HTTPS_PROXY per scheme, NO_PROXY through urllib), plus ALL_PROXY as curl reads it, read
    once per fetcher rather than on a thread for every request as `trust_env` does.
    """

    def __init__(self, connect_timeout: float) -> None:
        self.resolver = Resolver()
        # The deadline and the read timeout are the Fetcher's own (net/http.py's _Clock).
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout)
        found = urllib.request.getproxies_environment()
        # curl takes an address without a scheme for an http:// one.
        self._by_scheme = {
            scheme: value if "://" in value else f"http://{value}"
            for scheme, value in found.items() if scheme in ("http", "https", "all") and value
        }
        self._bypass: dict[str, bool] = {}
        self._direct: aiohttp.ClientSession | None = None
        self._routes: dict[str, Route] = {}

    def _session(self, connector: aiohttp.BaseConnector) -> aiohttp.ClientSession:
        # No cookie jar: a feed reader carries no state from one site's answer to the next.
        return aiohttp.ClientSession(connector=connector, auto_decompress=False,
                                     cookie_jar=aiohttp.DummyCookieJar(), timeout=self._timeout,
                                     response_class=_Response)

    @property
    def direct(self) -> aiohttp.ClientSession:
        """Made on first use, inside the running loop."""
        if self._direct is None:
            # Our own slots limit requests in flight; the connector keeps the idle ones.
            connector = aiohttp.TCPConnector(limit=0, resolver=self.resolver,
                                             use_dns_cache=False, socket_factory=_open_socket)
            self._direct = self._session(connector)
        return self._direct

    def route(self, url: URL) -> Route:
        """The way to `url`: directly, or through the proxy the environment names for it."""
        proxy = self._by_scheme.get(url.scheme) or self._by_scheme.get("all")
        host = url.host or ""
        if proxy is None or self._bypassed(host):
            return Route(self.direct)
        route = self._routes.get(proxy)
        if route is None:
            route = self._routes[proxy] = self._proxy_route(proxy)
        return route

    def _bypassed(self, host: str) -> bool:
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = (_loopback(host)
                                           or bool(urllib.request.proxy_bypass(host)))
        return bypass

    def _proxy_route(self, proxy: str) -> Route:
        via = shown(proxy)
        try:
            url = URL(proxy)
        except ValueError:
            url = URL()
        scheme = url.scheme.lower()
        host = url.raw_host or ""
        try:
            parse_host(f"[{host}]" if ":" in host else host)
        except ScalarError as exc:  # yarl takes "a..b" and a 70-character label
            raise FetchError(f"proxy {via} from the environment cannot be used: {exc}") from None
        if scheme in ("http", "https") and url.host:
            authorization = None
            if url.user is not None:
                pair = f"{url.user}:{url.password or ''}".encode()
                authorization = "Basic " + base64.b64encode(pair).decode("ascii")
            return Route(self.direct, url.with_user(None), authorization, via)
        if scheme in ("socks4", "socks4a", "socks5", "socks5h") and url.host:
            try:
                from aiohttp_socks import ProxyConnector
            except ImportError:
                raise FetchError(f"proxy {via} from the environment needs the aiohttp-socks "
                                 "package: pip install aiohttp-socks") from None
            connector = ProxyConnector.from_url(proxy, ssl=tls_context(), limit=0,
                                                rdns=scheme in ("socks4a", "socks5h"))
            return Route(self._session(connector), via=via)
        raise FetchError(f"proxy {via} from the environment cannot be used: only http, https "
                         "and socks proxies are")

    async def aclose(self) -> None:
        sessions = {route.session for route in self._routes.values()}
        if self._direct is not None:
            sessions.add(self._direct)
        for session in sessions:
            await session.close()
        self._direct = None
        self._routes.clear()


class Failure(FetchError):
    """A request failed in a way worth trying again (the network, not the server's answer)."""


# What llhttp (or aiohttp's pure-Python parser) found wrong, as the server's mistake in words;
# the first key found in the parser's message wins. Its own message quotes the server's bytes.
_MALFORMED = (
    ("chunk size", "bad chunk size"),
    ("chunk extension", "bad chunk extension"),
    ("after chunk data", "chunk longer than its declared size"),
    ("chunk size mismatch", "chunk longer than its declared size"),
    ("status", "bad status line"),
    ("content-length", "bad Content-Length"),
    ("transfer-encoding", "bad Transfer-Encoding"),
    ("more than", "header line too long"),
    ("header", "bad header line"),
)
_TRUNCATED = "not enough data"


def malformed(what: str) -> FetchError:
    """The server broke HTTP: asking again would only get the same answer."""
    return FetchError(f"malformed response: {what}")


def describe(exc: BaseException, via: str | None) -> FetchError:
    """One line for what went wrong with a request, a `Failure` when it is worth another try:
    a certificate, a host name or a malformed answer does not get better a second later."""
    verify = (exc.certificate_error if isinstance(exc, aiohttp.ClientConnectorCertificateError)
              else cause(exc, ssl.SSLCertVerificationError))
    if isinstance(verify, ssl.SSLCertVerificationError):
        return FetchError(f"the site's TLS certificate is not valid ({verify.verify_message}); "
                          "not fetched")
    if cause(exc, ssl.SSLError):
        return FetchError("TLS handshake failed (the server does not speak https properly); "
                          "not fetched")
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return FetchError(f"the proxy {via} refused to connect to the site (HTTP {exc.status})")
    if isinstance(exc, aiohttp.ClientProxyConnectionError) or (
            via and isinstance(exc, (aiohttp.ClientConnectorError, *socks_errors()))):
        return FetchError(f"cannot connect to the proxy {via} named by the environment")
    if isinstance(exc, aiohttp.ClientConnectorDNSError) or cause(exc, socket.gaierror):
        return FetchError("host name not found (check the address, or the network's DNS)")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return Failure("connection timed out")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return Failure("cannot connect (host unreachable or offline)")
    parsing = cause(exc, HttpProcessingError)
    if isinstance(parsing, HttpProcessingError):
        # Up to the first colon: after it the parser quotes the server's own bytes.
        said = str(parsing.message).partition(":")[0].lower()
        if _TRUNCATED not in said:
            what = next((ours for key, ours in _MALFORMED if key in said), "unreadable HTTP")
            return malformed(what)
    if isinstance(exc, aiohttp.ServerDisconnectedError) and parsing is None:
        return Failure("server closed the connection without answering")
    if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ClientOSError
                  | aiohttp.ServerDisconnectedError):
        return Failure("server closed the connection mid-response")
    if isinstance(exc, aiohttp.InvalidURL | ValueError):
        return FetchError("malformed URL")
    return Failure(f"network error: {type(exc).__name__}")


@functools.cache
def socks_errors() -> tuple[type[Exception], ...]:
    """The socks connector's own errors, when it is installed."""
    try:
        from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError
    except ImportError:
        return ()
    return (ProxyConnectionError, ProxyError, ProxyTimeoutError)


def cause(exc: BaseException, *kinds: type[BaseException]) -> BaseException | None:
    """The first exception of one of `kinds` in the chain of causes (aiohttp wraps)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kinds):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


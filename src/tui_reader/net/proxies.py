"""Proxies named by the environment, read as curl and newsboat read them.

HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (upper or lower case) pick a proxy by the URL's
scheme; NO_PROXY names hosts reached directly, and this machine's own addresses always are.
A proxied request goes through httpx's own proxy transport (HTTP CONNECT for https; SOCKS
with the socksio package), every other one through our kept-alive connections. Without any
of these variables nothing here runs.
"""

from __future__ import annotations

import ipaddress
import urllib.request

import httpx

from tui_reader.net.errors import FetchError


def shown(proxy: str) -> str:
    """The proxy without its credentials, for messages."""
    try:
        url = httpx.URL(proxy)
    except httpx.InvalidURL:
        return "(unreadable address)"
    return f"{url.scheme}://{url.host}" + (f":{url.port}" if url.port else "")


def _loopback(host: str) -> bool:
    """This machine, which a proxy cannot reach on our behalf: never proxied."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _matches(entry: str, host: str, port: int | None) -> bool:
    """Whether a NO_PROXY entry covers the host: `*`, a domain and its subdomains (with or
    without a leading dot), an address or a network (10.0.0.0/8), each with an optional
    port."""
    if entry == "*":
        return True
    name, colon, wanted = entry.rpartition(":")
    if colon and wanted.isdigit() and (":" not in name or name.endswith("]")):
        if port is not None and int(wanted) != port:
            return False
        entry = name
    entry = entry.strip("[]").removeprefix("*").lstrip(".")
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return host == entry or host.endswith("." + entry)


class Proxies:
    """The environment's proxies, read once per fetcher (a run), and their transports."""

    def __init__(self, connect_timeout: float, read_timeout: float) -> None:
        found = urllib.request.getproxies_environment()
        # curl takes an address without a scheme for an http:// one.
        self._by_scheme = {
            scheme: value if "://" in value else f"http://{value}"
            for scheme, value in found.items() if scheme in ("http", "https", "all") and value
        }
        self._no_proxy = [e.strip().lower() for e in found.get("no", "").split(",") if e.strip()]
        self._bypass: dict[str, bool] = {}
        self._transports: dict[str, httpx.AsyncHTTPTransport] = {}
        self.timeouts = {"connect": connect_timeout, "read": read_timeout,
                         "write": read_timeout, "pool": connect_timeout}

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy a request to `url` goes through, None to connect directly."""
        proxy = self._by_scheme.get(url.scheme) or self._by_scheme.get("all")
        if proxy is None:
            return None
        key = f"{url.host}:{url.port}"
        bypass = self._bypass.get(key)
        if bypass is None:
            bypass = self._bypass[key] = _loopback(url.host) or any(
                _matches(e, url.host, url.port) for e in self._no_proxy)
        return None if bypass else proxy

    def transport(self, proxy: str) -> httpx.AsyncHTTPTransport:
        """One transport per proxy, made on first use; FetchError for one httpx cannot use."""
        transport = self._transports.get(proxy)
        if transport is None:
            try:
                transport = httpx.AsyncHTTPTransport(proxy=httpx.Proxy(proxy))
            except ImportError:
                raise FetchError(f"proxy {shown(proxy)} from the environment needs the socksio "
                                 "package: pip install socksio") from None
            except (ValueError, httpx.InvalidURL):
                raise FetchError(f"proxy {shown(proxy)} from the environment cannot be used: "
                                 "only http, https and socks5 proxies are") from None
            self._transports[proxy] = transport
        return transport

    async def aclose(self) -> None:
        for transport in self._transports.values():
            await transport.aclose()

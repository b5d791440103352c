"""A polite, bounded HTTP client: one pool per run, deadlines, size caps, retries.

httpx alone decompresses without limit (a 421-byte brotli body becomes one 256 MiB chunk) and
has no total deadline, so this module streams raw bytes, inflates them itself with a cap
counted on the output, and wraps every request in a deadline.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import functools
import ipaddress
import random
import socket
import ssl
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx

from tui_reader import __version__
from tui_reader.net.connections import Connections
from tui_reader.net.errors import FetchError
from tui_reader.net.proxies import Proxies, shown
from tui_reader.sanitize import SAFE_SCHEMES

DEFAULT_USER_AGENT = f"tui-news-reader/{__version__} (terminal news reader; +https://pypi.org/project/tui-news-reader/)"
MiB = 1024 * 1024
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Only what we can inflate with a bound; a server that sends anything else is refused.
ACCEPT_ENCODING = "gzip, deflate"
MAX_CACHE_SECONDS = 86400.0


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Network knobs; tests pass short deadlines and backoff so faults resolve quickly."""

    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 45.0
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 8.0
    # Retry-After up to this is waited out in place; a longer one fails the fetch and is
    # returned in FetchError.retry_after so the feed is simply not due until then.
    max_retry_after: float = 10.0
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    # The final URL when every redirect on the way was permanent (301/308): where to ask next.
    moved_to: str | None = None
    # The answering server has a loopback, private or link-local address.
    private: bool = False

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))


class _Inflater:
    """Decompress gzip/deflate while counting output, so a bomb stops at the cap.

    Bytes received count against the cap too: what follows the end of a compressed stream
    inflates to nothing, and an endless tail of it must not be read forever.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.received = 0
        self._z: zlib._Decompress | None = None
        self._deflate = encoding == "deflate"
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise FetchError(f"server sent a body encoded as {encoding!r}, which was not asked for")

    def feed(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        if self.received > self.limit:
            raise self._over()
        if self._deflate and chunk:
            # "deflate" is meant to be zlib-wrapped, but many servers send it raw.
            head = int.from_bytes(chunk[:2])
            wrapped = len(chunk) > 1 and chunk[0] & 0x0F == 8 and head % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            self._deflate = False
        if self._z is None:
            out = chunk
        elif self._z.eof:
            out = b""  # zlib would keep it all in unused_data
        else:
            # max_length bounds the output of this one call: without it a few hundred bytes
            # can inflate to hundreds of MiB at once. Output reaching it means over the cap.
            try:
                out = self._z.decompress(chunk, self.limit - self.total + 1)
            except zlib.error as exc:
                raise FetchError("corrupt compressed body") from exc
        self.total += len(out)
        if self.total > self.limit:
            raise self._over()
        return out

    def _over(self) -> FetchError:
        return FetchError(f"response larger than {self.limit / MiB:g} MiB, cut off")


def retry_after_seconds(value: str | None, cap: float = MAX_CACHE_SECONDS) -> float | None:
    """Retry-After as seconds (delta or HTTP date), clamped to [0, cap]; None when unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - datetime.now(UTC)).total_seconds(), cap))


def check_url(url: str) -> str:
    """Refuse anything but an absolute http(s) URL with a host, with a user-facing message."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise FetchError(f"malformed URL: {url!r}") from exc
    if parts.scheme.lower() not in SAFE_SCHEMES:
        raise FetchError(f"only http and https URLs are fetched, not {url!r}")
    if not host:
        raise FetchError(f"URL has no host: {url!r}")
    return url


def status_message(status: int) -> str:
    """`HTTP 404 (not found)`: the status with its reason, for per-feed error lines."""
    try:
        reason = HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"HTTP {status}"
    return f"HTTP {status} ({reason})"


def host_key(url: str) -> str:
    """What the per-host limit counts by: the host and port as written."""
    return urlsplit(url).netloc.lower()


class Fetcher:
    """One per run (per process): httpx requests through one pool of kept-alive connections
    (`Connections`), with global and per-host limits.

    A request takes its host's slot before a global one, so requests queued behind a hanging
    host hold no global slot while they wait and other hosts keep going.
    """

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = s = settings or HttpSettings()
        self._transport = Connections(connect_timeout=s.connect_timeout,
                                      read_timeout=s.read_timeout, keep=s.concurrency * 2)
        self._proxies = Proxies(s.connect_timeout, s.read_timeout)
        self._headers = {"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        self._global = asyncio.Semaphore(s.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._private_hosts: dict[str, bool] = {}
        self.bytes_received = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()
        await self._proxies.aclose()

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        host = host_key(url)
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return slot

    async def get(
        self,
        url: str,
        *,
        max_bytes: int = 10 * MiB,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        public_only: bool = False,
    ) -> Response:
        """GET with redirects checked hop by hop, polite retries, and one deadline over all.

        Connection failures and 502/503/504 are retried with exponential backoff and jitter;
        429/503 wait for Retry-After when it is short. A deadline, a cut-off body, a bad
        certificate or an unknown host is not retried: trying again would only spend the same
        time or bytes twice. `public_only` refuses any hop whose server has a loopback,
        private or link-local address: for URLs a publisher chose and nobody clicked.
        """
        check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        s = self.settings
        loop = asyncio.get_running_loop()
        deadline = _Deadline(s.deadline)
        attempt = 0
        while True:
            try:
                response = await self._follow(url, headers, max_bytes, public_only, deadline)
            except TimeoutError:
                raise FetchError(f"no complete answer within {s.deadline:g} s, gave up") from None
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError,
                    httpx.WriteError, httpx.RemoteProtocolError) as exc:
                if _cause(exc, ssl.SSLError, socket.gaierror):
                    # A certificate or a host name does not get better a second later.
                    raise FetchError(_describe(exc)) from exc
                error = FetchError(_describe(exc))
                wait = None
            except httpx.TransportError as exc:
                raise FetchError(_describe(exc)) from exc
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                wait = retry_after_seconds(response.headers.get("retry-after"))
                error = FetchError(status_message(response.status), response.status,
                                   retry_after=wait)
                if wait is not None and wait > s.max_retry_after:
                    error.message += f"; the server asks to wait {_duration(wait)}"
                    raise error
            if wait is None:
                wait = min(s.backoff * 2 ** attempt, s.max_backoff)
                wait *= 0.5 + random.random()  # noqa: S311 - jitter, not cryptography
            out_of_time = deadline.at is not None and loop.time() + wait >= deadline.at
            if attempt >= s.retries or out_of_time:
                if attempt or out_of_time:
                    tries = f"{attempt + 1} tries" if attempt else "1 try"
                    within = f" within {s.deadline:g} s" if out_of_time else ""
                    error.message += f" (gave up after {tries}{within})"
                raise error
            attempt += 1
            await asyncio.sleep(wait)

    async def _follow(self, url: str, headers: dict[str, str], max_bytes: int,
                      public_only: bool, deadline: _Deadline) -> Response:
        loop = asyncio.get_running_loop()
        seen = {url}
        permanent: bool | None = None
        for _ in range(self.settings.max_redirects + 1):
            async with self._host_slot(url), self._global:
                # The clock starts once a slot is ours: time queued behind other feeds is
                # not the server's fault.
                async with asyncio.timeout_at(deadline.start(loop.time())):
                    response = await self._once(url, headers, max_bytes, public_only)
            location = response.headers.get("location", "").strip()
            if response.status not in REDIRECT_STATUSES or not location:
                return dataclasses.replace(response, moved_to=url) if permanent else response
            permanent = permanent is not False and response.status in (301, 308)
            url = _redirect_target(url, location)
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _names_private_host(self, url: str) -> bool:
        """Whether the URL's host is, or resolves to, a non-global address: checked before any
        request is sent (the connected address is checked again, against DNS tricks). One
        lookup per host and run: a feed's pages are on a handful of hosts."""
        host = (urlsplit(url).hostname or "").strip("[]")
        private = self._private_hosts.get(host)
        if private is None:
            private = self._private_hosts[host] = await _resolves_private(host)
        return private

    async def _once(self, url: str, headers: dict[str, str], max_bytes: int,
                    public_only: bool) -> Response:
        if public_only and await self._names_private_host(url):
            raise FetchError(f"not fetched automatically: {url} is on a private address")
        try:
            request = httpx.Request("GET", url, headers={**self._headers, **headers})
        except httpx.InvalidURL as exc:
            raise FetchError(f"malformed URL: {url!r} ({exc})") from None
        proxy = self._proxies.proxy_for(request.url)
        if proxy is None:
            response = await self._transport.handle_async_request(request)
        else:
            response = await self._proxied(proxy, request)
        try:
            # Read while the connection is open: a closed stream no longer knows its peer.
            private = _private_server(response)
            if private is None:
                private = await self._names_private_host(url)
            if public_only and private:
                raise FetchError(f"not fetched automatically: {url} is on a private address")
            # Bodies of redirects and 304s are never read, let alone decompressed.
            if response.status_code in REDIRECT_STATUSES or response.status_code == 304:
                return Response(url, response.status_code, response.headers, b"")
            encoding = response.headers.get("content-encoding", "").strip().lower()
            inflater = _Inflater(encoding, max_bytes)
            length = response.headers.get("content-length", "")
            if not encoding and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"response larger than {max_bytes / MiB:g} MiB, not downloaded")
            chunks: list[bytes] = []
            async for raw in response.stream:  # type: ignore[union-attr]
                self.bytes_received += len(raw)
                chunks.append(inflater.feed(raw))
            return Response(url, response.status_code, response.headers, b"".join(chunks),
                            private=private)
        finally:
            await response.aclose()

    async def _proxied(self, proxy: str, request: httpx.Request) -> httpx.Response:
        """Through the proxy; one that cannot be reached fails at once, saying so."""
        request.extensions["timeout"] = self._proxies.timeouts
        try:
            return await self._proxies.transport(proxy).handle_async_request(request)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if _cause(exc, ssl.SSLError):  # the site's TLS, through the tunnel
                raise
            raise FetchError(f"cannot connect to the proxy {shown(proxy)} named by the "
                             "environment") from exc


class _Deadline:
    """One deadline for a whole request, its redirects and retries included: a server that
    trickles and then drops the connection must not win the deadline again on every try."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None

    def start(self, now: float) -> float:
        """The deadline, set the first time: once a slot is ours, as time queued behind other
        feeds is not the server's fault."""
        if self.at is None:
            self.at = now + self.seconds
        return self.at


def _redirect_target(current: str, location: str) -> str:
    target = urljoin(current, location)
    try:
        check_url(target)
    except FetchError:
        raise FetchError(f"redirect to a non-http(s) URL refused: {target!r}") from None
    if urlsplit(current).scheme == "https" and urlsplit(target).scheme == "http":
        raise FetchError(f"redirect from https down to plain http refused: {target}")
    return target


async def _resolves_private(host: str) -> bool:
    """Whether `host` is, or resolves to, a non-global address."""
    private = _private_address(host)
    if private is not None:
        return private
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return False  # the request itself will fail with a clear message
    return any(_private_address(str(info[4][0])) for info in infos)


def _private_server(response: httpx.Response) -> bool | None:
    """Whether the connected server's address is loopback, private, link-local or reserved;
    None when the connection does not say."""
    address = response.extensions.get("server_addr")
    return _private_address(address[0]) if address else None


@functools.lru_cache(maxsize=1024)
def _private_address(address: str) -> bool | None:
    """Asked of every response, and a run talks to few servers."""
    try:
        return not ipaddress.ip_address(address).is_global
    except ValueError:
        return None


def _cause(exc: BaseException, *kinds: type[BaseException]) -> BaseException | None:
    """The first exception of one of `kinds` in the chain of causes (httpx wraps twice)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kinds):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _describe(exc: httpx.TransportError) -> str:
    verify = _cause(exc, ssl.SSLCertVerificationError)
    if isinstance(verify, ssl.SSLCertVerificationError):
        return f"the site's TLS certificate is not valid ({verify.verify_message}); not fetched"
    if _cause(exc, ssl.SSLError):
        return "TLS handshake failed (the server does not speak https properly); not fetched"
    if _cause(exc, socket.gaierror):
        return "host name not found (check the address, or the network's DNS)"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused to connect to the site ({exc})"
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.ReadTimeout):
        return "server stopped sending"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect (host unreachable or offline)"
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return "server closed the connection mid-response"
    return f"network error: {type(exc).__name__}"


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def cache_lifetime(headers: httpx.Headers, ttl_minutes: int | None = None) -> float | None:
    """Seconds the server (Cache-Control max-age, Expires) or the feed (<ttl>) asks us to wait.

    Capped at a day so a misconfigured server cannot silence a feed for weeks.
    """
    seconds: float | None = None
    for directive in headers.get("cache-control", "").lower().split(","):
        name, _, value = directive.strip().partition("=")
        value = value.strip().strip('"')
        if name in ("max-age", "s-maxage") and value.isdigit():
            seconds = float(value)
        elif name in ("no-cache", "no-store"):
            seconds = 0.0
            break
    if seconds is not None:
        age = headers.get("age", "").strip()
        if age.isdigit():
            seconds = max(0.0, seconds - float(age))
    elif headers.get("expires"):
        seconds = _expires(headers["expires"])
    if ttl_minutes:
        seconds = max(seconds or 0.0, ttl_minutes * 60.0)
    return min(seconds, MAX_CACHE_SECONDS) if seconds is not None else None


def _expires(value: str) -> float:
    """An unparseable Expires (often "0" or "-1") means already expired (RFC 9111 §5.3)."""
    try:
        expires = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return max(0.0, (expires - datetime.now(UTC)).total_seconds())

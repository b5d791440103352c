"""A polite, bounded HTTP client: one pool per run, deadlines, size caps, retries.

httpx alone decompresses without limit and has no total deadline, so this module reads raw
bytes, inflates them itself with a cap, and wraps every request in a deadline.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from tui_reader import __version__
from tui_reader.fetch.errors import FetchError
from tui_reader.sanitize import SAFE_SCHEMES

DEFAULT_USER_AGENT = f"tui-reader/{__version__} (terminal news reader)"
MiB = 1024 * 1024
RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class HttpSettings:
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 45.0
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 30.0
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class _Inflater:
    """Decompress gzip/deflate while counting output, so a bomb stops at the cap."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self._z: zlib._Decompress | None
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported content encoding {encoding!r}")

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            out = chunk
        else:
            room = self.limit - self.total + 1
            try:
                out = self._z.decompress(chunk, room)
            except zlib.error as exc:
                raise FetchError("corrupt compressed body") from exc
        self.total += len(out)
        if self.total > self.limit:
            raise FetchError(f"response larger than {self.limit // MiB} MiB, cut off")
        return out


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - datetime.now(UTC)).total_seconds(), cap))


def check_url(url: str) -> str:
    """Refuse anything but an absolute http(s) URL with a host, with a user-facing message."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError(f"malformed URL: {url!r}") from exc
    if parts.scheme.lower() not in SAFE_SCHEMES:
        raise FetchError(f"only http and https URLs are fetched, not {url!r}")
    if not parts.hostname:
        raise FetchError(f"URL has no host: {url!r}")
    return url


class Fetcher:
    """One shared httpx.AsyncClient with global and per-host limits."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        self.settings = s = settings or HttpSettings()
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout)
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=s.concurrency, max_keepalive_connections=s.concurrency),
            trust_env=False,
        )
        self._global = asyncio.Semaphore(s.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._on_bytes = on_bytes
        self.bytes_received = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_lock(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        lock = self._hosts.get(host)
        if lock is None:
            lock = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        return lock

    async def get(
        self,
        url: str,
        *,
        max_bytes: int = 10 * MiB,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> Response:
        """GET with redirects checked hop by hop, retries, and a total deadline per attempt."""
        check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        s = self.settings
        attempt = 0
        while True:
            try:
                async with asyncio.timeout(s.deadline):
                    response = await self._follow(url, headers, max_bytes)
            except TimeoutError:
                error: FetchError = FetchError(f"timed out after {s.deadline:g} s")
                delay = None
            except httpx.TransportError as exc:
                error = FetchError(_describe(exc))
                delay = None
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                error = FetchError(f"HTTP {response.status}", response.status)
                delay = _retry_after(response.headers.get("retry-after"), s.max_retry_after)
            if attempt >= s.retries:
                raise error
            attempt += 1
            if delay is None:
                delay = s.backoff * (2 ** (attempt - 1)) * (1 + random.random())  # noqa: S311
            await asyncio.sleep(delay)

    async def _follow(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
        for _ in range(self.settings.max_redirects + 1):
            async with self._global, self._host_lock(url):
                response = await self._once(url, headers, max_bytes)
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location")
            if not location:
                return response
            url = check_url(urljoin(url, location.strip()))
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _once(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
        request = self._client.build_request("GET", url, headers=headers)
        response = await self._client.send(request, stream=True)
        try:
            if response.status_code in REDIRECT_STATUSES or response.status_code == 304:
                return Response(str(response.url), response.status_code, response.headers, b"")
            inflater = _Inflater(response.headers.get("content-encoding", "").strip().lower(), max_bytes)
            chunks: list[bytes] = []
            async for raw in response.aiter_raw():
                self.bytes_received += len(raw)
                if self._on_bytes:
                    self._on_bytes(len(raw))
                chunks.append(inflater.feed(raw))
            return Response(str(response.url), response.status_code, response.headers, b"".join(chunks))
        finally:
            await response.aclose()


def _describe(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, httpx.ReadTimeout):
        return "server stopped sending"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect (host unreachable or offline)"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "server closed the connection mid-response"
    return f"network error: {type(exc).__name__}"


def cache_lifetime(headers: httpx.Headers, ttl_minutes: int | None = None) -> float | None:
    """Seconds the server (Cache-Control max-age, Expires) or the feed (<ttl>) asks us to wait."""
    seconds: float | None = None
    for directive in headers.get("cache-control", "").lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name == "max-age" and value.strip().isdigit():
            seconds = float(value.strip())
        elif name in ("no-cache", "no-store"):
            seconds = 0.0
    if seconds is None and headers.get("expires"):
        try:
            expires = email.utils.parsedate_to_datetime(headers["expires"])
            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            seconds = max(0.0, (expires - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            seconds = None
    if ttl_minutes:
        seconds = max(seconds or 0.0, ttl_minutes * 60.0)
    # A server cannot make us wait longer than a day.
    return min(seconds, 86400.0) if seconds is not None else None

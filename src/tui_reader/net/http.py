"""A polite, bounded HTTP client: one pool per run, deadlines, size caps, retries.

aiohttp speaks HTTP; the policies are ours, as no library has them: one deadline over a
request with its redirects and retries, size caps counted on decompressed bytes while they
stream (aiohttp does not decompress; `inflate` does, with a bound), private addresses
refused on every hop for what nobody clicked, Retry-After, conditional GET, and limits per
host and in all.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from tui_reader.net.errors import FetchError
from tui_reader.net.inflate import IDENTITY, Inflater, too_large
from tui_reader.net.inflate import MiB as MiB
from tui_reader.net.session import (
    HOP,
    Failure,
    Hop,
    PrivateAddress,
    Sessions,
    cause,
    describe,
    malformed,
    private_address,
    socks_errors,
    tls_context,
)

# Kept apart so the configuration can be read without loading aiohttp.
from tui_reader.net.settings import DEFAULT_USER_AGENT as DEFAULT_USER_AGENT
from tui_reader.net.settings import HttpSettings as HttpSettings
from tui_reader.sanitize import display_url
from tui_reader.scalars import (
    ScalarError,
    parse_http_date,
    parse_int,
    parse_seconds,
    parse_url,
    shorten,
)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Only what we can inflate with a bound; a server that sends anything else is refused.
ACCEPT_ENCODING = "gzip, deflate"
MAX_CACHE_SECONDS = 86400.0
log = logging.getLogger("tui_reader.net")


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    headers: CIMultiDictProxy[str]
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
        return self.headers.get("content-type", "")

    @property
    def etag(self) -> str | None:
        """The ETag to send back next time, if it can be sent back."""
        return header_value(self.headers.get("etag"))

    @property
    def last_modified(self) -> str | None:
        return header_value(self.headers.get("last-modified"))


def header_value(value: str | None) -> str | None:
    """`value` when it can go into a request header: never one with a line break or a NUL
    (that would end the header, or the request, where the server put it). The HTTP parser
    refuses them on arrival; this holds for values stored before it did, too."""
    if not value or "\r" in value or "\n" in value or "\0" in value:
        return None
    return value


def header_number(value: str | None) -> int | None:
    """A header's unsigned decimal number (Retry-After, Content-Length, max-age, Age), or
    None for anything else: ASCII digits only, as `str.isdigit` alone also takes "²"."""
    if value is None:
        return None
    try:
        return parse_int(value)
    except ScalarError:
        return None


def retry_after_seconds(value: str | None, cap: float = MAX_CACHE_SECONDS) -> float | None:
    """Retry-After as seconds (delta or HTTP date), clamped to [0, cap]; None when unusable."""
    if not value:
        return None
    try:
        return parse_seconds(value, cap=cap)
    except ScalarError:
        pass
    try:
        return min(_seconds_until(value), cap)
    except ScalarError:
        return None


def _seconds_until(date: str) -> float:
    """How long until an HTTP date, 0 for one gone by; ScalarError if it is not one."""
    return max(0.0, (parse_http_date(date) - datetime.now(UTC)).total_seconds())


def check_url(url: str) -> str:
    """The URL normalised by `parse_url`; anything but an absolute http(s) URL with a valid
    host and port is a FetchError with a user-facing message (an empty host label, a bare
    xn--, a port over 65535: yarl and the IDNA codec would raise from deep inside)."""
    try:
        return parse_url(url)
    except ScalarError as exc:
        raise FetchError(str(exc)) from None


def status_message(status: int) -> str:
    """`HTTP 404 (not found)`: the status with its reason, for per-feed error lines."""
    try:
        reason = HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"HTTP {status}"
    return f"HTTP {status} ({reason})"


def host_key(url: str) -> str:
    """What the per-host limit counts by: the host and port as written (the whole URL for
    one urllib cannot split, stored before URLs were checked: it fails on its own)."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


class Fetcher:
    """One per run (per process): requests through one aiohttp session of kept-alive
    connections, with global and per-host limits.

    A request takes its host's slot before a global one, so requests queued behind a hanging
    host hold no global slot while they wait and other hosts keep going.
    """

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = s = settings or HttpSettings()
        self._sessions = Sessions(s.connect_timeout)
        self._headers = {"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING}
        self._global = asyncio.Semaphore(s.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._alarms = _Alarms()
        self.bytes_received = 0

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._sessions.aclose()

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
        certificate, an unknown host or a malformed answer is not retried: trying again would
        only spend the same time or bytes twice. `public_only` refuses any hop whose server
        has a loopback, private or link-local address: for URLs a publisher chose and nobody
        clicked.
        """
        check_url(url)
        headers: dict[str, str] = {}
        if etag := header_value(etag):
            headers["If-None-Match"] = etag
        if last_modified := header_value(last_modified):
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        clock = _Clock(self.settings.deadline, self.settings.read_timeout)
        try:
            return await self._retrying(url, headers, max_bytes, public_only, clock)
        except asyncio.CancelledError:
            if not clock.expired():
                raise
            raise FetchError(f"no complete answer within {clock.seconds:g} s, "
                             "gave up") from None
        finally:
            self._alarms.disarm(clock)

    async def _retrying(self, url: str, headers: dict[str, str], max_bytes: int,
                        public_only: bool, clock: _Clock) -> Response:
        s = self.settings
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                response = await self._follow(url, headers, max_bytes, public_only, clock)
            except Failure as failure:
                error = FetchError(failure.message)
                wait = None
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
            out_of_time = clock.at is not None and loop.time() + wait >= clock.at
            if attempt >= s.retries or out_of_time:
                if attempt or out_of_time:
                    tries = f"{attempt + 1} tries" if attempt else "1 try"
                    within = f" within {s.deadline:g} s" if out_of_time else ""
                    error.message += f" (gave up after {tries}{within})"
                raise error
            attempt += 1
            await asyncio.sleep(wait)

    async def _follow(self, url: str, headers: dict[str, str], max_bytes: int,
                      public_only: bool, clock: _Clock) -> Response:
        seen = {url}
        permanent: bool | None = None
        for _ in range(self.settings.max_redirects + 1):
            async with self._host_slot(url), self._global:
                # The clock starts once a slot is ours: time queued behind other feeds is
                # not the server's fault.
                if clock.at is None:
                    clock.start()  # set on the alarms by `_once`
                response = await self._logged(url, headers, max_bytes, public_only, clock)
            if response.status not in REDIRECT_STATUSES:
                return dataclasses.replace(response, moved_to=url) if permanent else response
            location = response.headers.get("location", "").strip()
            if not location:
                raise malformed(f"redirect without a Location (HTTP {response.status})")
            permanent = permanent is not False and response.status in (301, 308)
            url = _redirect_target(url, location)
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _names_private_host(self, url: URL) -> bool:
        """Whether the URL's host is, or resolves to, a non-global address: checked before any
        request is sent, through the resolver the connections use (the connected address is
        checked again). One lookup per host and run: a feed's pages are on few hosts."""
        host = url.raw_host or ""
        private = private_address(host)
        if private is not None:
            return private
        resolver = self._sessions.resolver
        if host not in resolver.private:
            try:
                await resolver.resolve(host, url.port or 0, family=_ANY_FAMILY)
            except OSError:
                return False  # the request itself will fail with a clear message
        return resolver.private.get(host, False)

    async def _server_private(self, url: URL, connected: bool | None) -> bool:
        """Whether the server that answered `url` is on a private address: the address this
        request connected to, or for a kept-alive connection what the name resolved to (the
        same answer, as the resolver keeps it for the run)."""
        if connected is not None:
            return connected
        return await self._names_private_host(url)

    async def _logged(self, url: str, headers: dict[str, str], max_bytes: int,
                      public_only: bool, clock: _Clock) -> Response:
        """One request, logged at DEBUG with what became of it (the `--debug` log)."""
        if not log.isEnabledFor(logging.DEBUG):
            return await self._once(url, headers, max_bytes, public_only, clock)
        start, received = time.perf_counter(), self.bytes_received
        outcome = "cancelled (deadline or shutdown)"
        try:
            response = await self._once(url, headers, max_bytes, public_only, clock)
            outcome = status_message(response.status)
            return response
        except FetchError as exc:
            outcome = exc.message
            raise
        finally:
            log.debug("GET %s -> %s, %d bytes, %.0f ms", display_url(url), outcome,
                      self.bytes_received - received, (time.perf_counter() - start) * 1000)

    async def _once(self, url: str, headers: dict[str, str], max_bytes: int,
                    public_only: bool, clock: _Clock) -> Response:
        try:
            target = URL(url)
        except ValueError:
            raise FetchError(f"malformed URL: {url!r}") from None
        route = self._sessions.route(target)
        # Behind a proxy the connected address is the proxy's: only the name can be judged.
        hop = Hop(public_only and route.via is None)
        headers = {**self._headers, **headers}
        proxy_headers = None
        if route.proxy_authorization:
            # For https it goes in the tunnel's CONNECT, never through the tunnel to the site.
            if target.scheme == "https":
                proxy_headers = {"Proxy-Authorization": route.proxy_authorization}
            else:
                headers["Proxy-Authorization"] = route.proxy_authorization
        token = HOP.set(hop)
        clock.watch(hop)
        self._alarms.set(clock)
        try:
            if public_only and await self._names_private_host(target):
                raise FetchError(f"not fetched automatically: {url} is on a private address")
            async with route.session.get(
                target, headers=headers, allow_redirects=False, proxy=route.proxy,
                proxy_headers=proxy_headers,
                ssl=tls_context() if target.scheme == "https" else True,
            ) as response:
                clock.heard()
                return await self._read(url, target, response, max_bytes, public_only, hop,
                                        clock)
        except asyncio.CancelledError:
            if not clock.stalled():
                raise
            clock.watch(None)
            self._alarms.set(clock)  # rung, it left the alarms: the deadline goes on
            raise Failure("server stopped sending") from None
        except FetchError:
            raise
        except Exception as exc:
            if not isinstance(exc, (aiohttp.ClientError, OSError, ValueError, *socks_errors())):
                raise
            if cause(exc, PrivateAddress):
                raise FetchError(f"not fetched automatically: {url} is on a private "
                                 "address") from None
            raise describe(exc, route.via) from exc
        finally:
            clock.watch(None)
            HOP.reset(token)

    async def _read(self, url: str, target: URL, response: aiohttp.ClientResponse,
                    max_bytes: int, public_only: bool, hop: Hop, clock: _Clock) -> Response:
        status = response.status
        if status < 200:
            raise malformed(f"an interim answer (HTTP {status}) where a final one belongs")
        private = await self._server_private(target, hop.connected_private)
        if public_only and private:
            raise FetchError(f"not fetched automatically: {url} is on a private address")
        # Bodies of redirects and 304s are never read, let alone decompressed.
        if status in REDIRECT_STATUSES or status == 304:
            return Response(url, status, response.headers, b"")
        codings = response.headers.get("transfer-encoding", "").strip().lower()
        if codings and codings != "chunked":
            raise malformed(f"a transfer coding other than chunked ({codings[:40]!r})")
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in IDENTITY:
            body = await self._plain_body(response, max_bytes, clock)
        else:
            inflater = Inflater(encoding, max_bytes)
            chunks: list[bytes] = []
            while raw := await response.content.readany():
                clock.heard()
                self.bytes_received += len(raw)
                chunks.append(inflater.feed(raw))
            body = b"".join(chunks)
        return Response(url, status, response.headers, body, private=private)

    async def _plain_body(self, response: aiohttp.ClientResponse, max_bytes: int,
                          clock: _Clock) -> bytes:
        """A body sent as it is, counted against the cap as it streams: most are, and the
        inflater's bookkeeping would be a tenth of the client's work on them. (`readany` in a
        loop, as `read` does too: `iter_any`'s iterator cost 5 µs more per GET.)"""
        length = header_number(response.headers.get("content-length"))
        if length is not None and length > max_bytes:
            raise FetchError(f"response larger than {max_bytes / MiB:g} MiB, not downloaded")
        chunks: list[bytes] = []
        received = 0
        while raw := await response.content.readany():
            clock.heard()
            received += len(raw)
            self.bytes_received += len(raw)
            if received > max_bytes:
                raise too_large(max_bytes)
            chunks.append(raw)
        return b"".join(chunks)


_ANY_FAMILY: Any = 0  # socket.AF_UNSPEC, as aiohttp's connector asks by default


class _Clock:
    """A request's deadline and, while it waits on a server, its read timeout, on one alarm.

    The deadline covers the whole request, its redirects and retries included: a server that
    trickles and then drops the connection must not win the deadline again on every try.
    The read timeout gives up on a server that sends nothing for `read_timeout` seconds, to
    try again: from when the request is sent (a connect has its own limit) to the answer's
    head, and from each piece of the body to the next, as aiohttp's own did.

    At either, the requesting task is cancelled where it waits (for a slot, the server, a
    retry's pause), as `asyncio.timeout` would do; the request takes the cancellation back to
    say which it was.
    """

    __slots__ = ("_cancelling", "_expired", "_heard", "_hop", "_loop", "_rang", "_task", "at",
                 "read_timeout", "seconds", "tick")

    def __init__(self, seconds: float, read_timeout: float) -> None:
        self.seconds = seconds
        self.read_timeout = read_timeout
        self.at: float | None = None  # the deadline, set once a slot is ours
        self.tick = 0
        self._hop: Hop | None = None  # the hop waiting on its server
        self._heard: float | None = None  # when that server last sent something
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._cancelling = 0
        self._rang = self._expired = False

    def start(self) -> None:
        """Starts the deadline, for the task running now."""
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("a Fetcher's request runs in a task")
        self._loop = loop = asyncio.get_running_loop()
        self._task, self._cancelling = task, task.cancelling()
        self.at = loop.time() + self.seconds

    def watch(self, hop: Hop | None) -> None:
        """Starts timing the server of `hop`; None once it has answered or failed."""
        self._hop, self._heard = hop, None

    def heard(self) -> None:
        """The server sent something: the answer's head, or a piece of its body."""
        assert self._loop is not None
        self._heard = self._loop.time()

    def due(self) -> float:
        assert self.at is not None and self._loop is not None
        if self._hop is None:
            return self.at
        since = self._heard if self._heard is not None else self._hop.sent_at
        if since is None:
            since = self._loop.time()  # still connecting: not the server's silence
        return min(self.at, since + self.read_timeout)

    def ring(self, by: float) -> None:
        """Called by `_Alarms` when `due` comes before `by`."""
        assert self._task is not None and self.at is not None
        self._rang, self._expired = True, self.at < by
        self._task.cancel()

    def expired(self) -> bool:
        """Whether the task was cancelled at the deadline, taking that back; False when
        someone else (a shutdown) cancelled it too: that must go on."""
        return self._rang and self._expired and self._take_back()

    def stalled(self) -> bool:
        """Whether the task was cancelled by the read timeout, taking that back, as above."""
        return self._rang and not self._expired and self._take_back()

    def _take_back(self) -> bool:
        assert self._task is not None
        self._rang = False
        return self._task.uncancel() <= self._cancelling


class _Alarms:
    """Rings each request's clock when due, with one timer for all the clocks due within the
    same tick. A timer of its own per request (`asyncio.timeout`) cost about 10 µs of client
    CPU per GET, and aiohttp's read timeout, re-armed on every packet, about 7 µs more than
    the clock: together a quarter of the Fetcher's CPU over plain aiohttp's. A clock rings up
    to a tick early, never late."""

    TICK = 0.02

    def __init__(self) -> None:
        self._due: dict[int, set[_Clock]] = {}

    def set(self, clock: _Clock) -> None:
        """(Re)sets the clock's alarm for when it is now due."""
        self.disarm(clock)
        clock.tick = tick = math.floor(clock.due() / self.TICK)
        due = self._due.get(tick)
        if due is None:
            due = self._due[tick] = set()
            asyncio.get_running_loop().call_at(tick * self.TICK, self._ring, tick)
        due.add(clock)

    def disarm(self, clock: _Clock) -> None:
        due = self._due.get(clock.tick)
        if due is not None:
            due.discard(clock)

    def _ring(self, tick: int) -> None:
        by = (tick + 1) * self.TICK
        for clock in self._due.pop(tick, ()):
            if clock.due() >= by:
                self.set(clock)  # the server sent something since: not yet
            else:
                clock.ring(by)


def _redirect_target(current: str, location: str) -> str:
    try:
        target = parse_url(location, current)
    except ScalarError as exc:
        scheme = location.strip().partition(":")[0].lower()
        if ":" in location and scheme.isalpha() and scheme not in ("http", "https"):
            raise FetchError("redirect to a non-http(s) URL refused: "
                             f"{shorten(location.strip())!r}") from None
        raise FetchError(f"redirect to an invalid URL refused ({exc})") from None
    if urlsplit(current).scheme == "https" and urlsplit(target).scheme == "http":
        raise FetchError(f"redirect from https down to plain http refused: {target}")
    return target


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def cache_lifetime(headers: Mapping[str, str], ttl_minutes: int | None = None) -> float | None:
    """Seconds the server (Cache-Control max-age, Expires) or the feed (<ttl>) asks us to wait.

    Capped at a day so a misconfigured server cannot silence a feed for weeks.
    """
    seconds: float | None = None
    for directive in headers.get("cache-control", "").lower().split(","):
        name, _, value = directive.strip().partition("=")
        number = header_number(value.strip().strip('"'))
        if name in ("max-age", "s-maxage") and number is not None:
            seconds = float(number)
        elif name in ("no-cache", "no-store"):
            seconds = 0.0
            break
    if seconds is not None:
        age = header_number(headers.get("age"))
        if age is not None:
            seconds = max(0.0, seconds - float(age))
    elif headers.get("expires"):
        seconds = _expires(headers["expires"])
    if ttl_minutes:
        seconds = max(seconds or 0.0, ttl_minutes * 60.0)
    return min(seconds, MAX_CACHE_SECONDS) if seconds is not None else None


def _expires(value: str) -> float:
    """An unparseable Expires (often "0" or "-1") means already expired (RFC 9111 §5.3)."""
    try:
        return _seconds_until(value)
    except ScalarError:
        return 0.0

"""An httpx transport of kept-alive HTTP/1.1 connections on asyncio protocols.

httpx's default transport (httpcore over anyio, with h11) spends about a millisecond of CPU
on each request: most of a refresh that makes thousands of small GETs. This one spends a
tenth of that by doing only what a feed reader needs: idle connections kept per origin,
TLS with certifi's roots, connect and read timeouts, and bodies streamed with back-pressure
(responses are parsed by `http1`). No HTTP/2; requests through a proxy go to httpx's own
transport instead (see `proxies`).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Any

import certifi
import httpx

from tui_reader.net.http1 import Body, Head, ProtocolError, read_head

Origin = tuple[str, str, int]
# Past this many unread bytes the socket stops being read until the consumer catches up.
_HIGH_WATER = 256 * 1024
_TIMED_OUT = object()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Made once per process, on first use: loading the root certificates takes tens of
    milliseconds, and every fetcher (one per refresh, one per page opened) shares it."""
    return ssl.create_default_context(cafile=certifi.where())


class _Connection(asyncio.Protocol):
    """One socket: bytes in a buffer, and a way to wait for more of them."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False
        self.server_addr: tuple[str, int] | None = None
        self._waiter: asyncio.Future[object] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.server_addr = (str(peer[0]), int(peer[1])) if peer else None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and not self._paused and self.transport:
            self.transport.pause_reading()
            self._paused = True
        self._wake(None)

    def eof_received(self) -> bool:
        self.closed = True
        self._wake(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake(None)

    def _wake(self, value: object) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(value)

    async def wait(self, timeout: float | None) -> None:
        """Until more bytes arrive or the server closes; httpx.ReadTimeout after `timeout`."""
        if self._paused and self.transport:
            self._paused = False
            self.transport.resume_reading()
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, self._wake, _TIMED_OUT) if timeout else None
        try:
            if await waiter is _TIMED_OUT:
                raise httpx.ReadTimeout("the server sent nothing within the read timeout")
        finally:
            self._waiter = None
            if timer:
                timer.cancel()

    def send(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data)

    def close(self) -> None:
        self.closed = True
        if self.transport:
            self.transport.close()


class _Stale(Exception):
    """A kept-alive connection the server had closed before it answered: not an error."""


class _ResponseBody(httpx.AsyncByteStream):
    """Body chunks as they arrive; closing hands the connection back when it is reusable."""

    def __init__(self, pool: Connections, origin: Origin, conn: _Connection, head: Head,
                 read_timeout: float | None) -> None:
        self._pool, self._origin, self._conn, self._head = pool, origin, conn, head
        self._body = Body(head)
        self._timeout = read_timeout
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn, body = self._conn, self._body
        while not body.done:
            try:
                data = body.read(conn.buffer)
                if not data and not body.done:
                    if conn.closed:
                        body.end_of_stream()
                    else:
                        await conn.wait(self._timeout)
            except ProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc)) from exc
            if data:
                yield data

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        conn = self._conn
        if self._body.done and self._head.keep_alive and not conn.buffer and not conn.closed:
            self._pool.release(self._origin, conn)
        else:
            conn.close()


class Connections(httpx.AsyncBaseTransport):
    """Kept-alive connections per origin, at most `keep` idle ones in all (oldest closed).

    How many requests run at once is the caller's to limit (the Fetcher's slots); a request
    takes an idle connection to its origin or opens one.
    """

    def __init__(self, *, connect_timeout: float, read_timeout: float, keep: int) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._keep = keep
        self._idle: dict[Origin, list[_Connection]] = {}
        self._oldest_first: OrderedDict[_Connection, Origin] = OrderedDict()

    @property
    def idle(self) -> int:
        return len(self._oldest_first)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        # The host as DNS and TLS know it: IDNA-encoded, not as it is shown.
        host = url.raw_host.decode("ascii")
        origin = (url.scheme, host, url.port or (443 if url.scheme == "https" else 80))
        timeouts = request.extensions.get("timeout") or {}
        connect_timeout = timeouts.get("connect", self._connect_timeout)
        read_timeout = timeouts.get("read", self._read_timeout)
        message = await _request_bytes(request)
        reused = self._take(origin)
        if reused is not None:
            try:
                return await self._exchange(reused, origin, message, request, read_timeout)
            except _Stale:
                pass
        conn = await self._connect(origin, connect_timeout)
        try:
            return await self._exchange(conn, origin, message, request, read_timeout)
        except _Stale:
            raise httpx.RemoteProtocolError("the server closed the connection without answering",
                                            request=request) from None

    def _take(self, origin: Origin) -> _Connection | None:
        """The most recently used idle connection to `origin` that is still sound."""
        idle = self._idle.get(origin, [])
        found = None
        while idle and found is None:
            conn = idle.pop()
            del self._oldest_first[conn]
            if conn.closed or conn.buffer:
                conn.close()
            else:
                found = conn
        if not idle:
            self._idle.pop(origin, None)
        return found

    def release(self, origin: Origin, conn: _Connection) -> None:
        self._idle.setdefault(origin, []).append(conn)
        self._oldest_first[conn] = origin
        while len(self._oldest_first) > self._keep:
            oldest, where = self._oldest_first.popitem(last=False)
            self._idle[where].remove(oldest)
            if not self._idle[where]:
                del self._idle[where]
            oldest.close()

    async def _connect(self, origin: Origin, timeout: float | None) -> _Connection:
        scheme, host, port = origin
        context = _tls_context() if scheme == "https" else None
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                _, conn = await loop.create_connection(
                    _Connection, host, port, ssl=context,
                    server_hostname=host if context else None,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout("connection timed out") from None
        except OSError as exc:  # refused, unreachable, DNS (gaierror) and TLS (SSLError)
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return conn

    async def _exchange(self, conn: _Connection, origin: Origin, message: bytes,
                        request: httpx.Request, read_timeout: float | None) -> httpx.Response:
        conn.send(message)
        try:
            while (head := read_head(conn.buffer, body_allowed=request.method != "HEAD")) is None:
                if conn.closed:
                    if not conn.buffer:
                        conn.close()
                        raise _Stale
                    raise ProtocolError("the server closed the connection mid-response")
                await conn.wait(read_timeout)
        except ProtocolError as exc:
            conn.close()
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except BaseException:
            conn.close()
            raise
        stream = _ResponseBody(self, origin, conn, head, read_timeout)
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1",
                                      "server_addr": conn.server_addr}
        return httpx.Response(head.status, headers=head.headers, stream=stream,
                              extensions=extensions, request=request)

    async def aclose(self) -> None:
        for conn in self._oldest_first:
            conn.close()
        self._idle.clear()
        self._oldest_first.clear()


async def _request_bytes(request: httpx.Request) -> bytes:
    body = await request.aread()
    lines = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        if b"\r" in value or b"\n" in value:
            raise httpx.LocalProtocolError("a header value with a line break", request=request)
        lines += [name, b": ", value, b"\r\n"]
    lines.append(b"\r\n")
    return b"".join(lines) + body

"""The connection pool against a raw loopback server: reuse, stale connections, big bodies."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from tui_reader.net.connections import Connections, _Connection

Reply = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def server(reply: Reply) -> AsyncIterator[tuple[str, list[int]]]:
    """A server answering each connection with `reply`; yields its URL and requests per
    connection."""
    counts: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        counts.append(0)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError,
                                 asyncio.CancelledError):
            while await reader.readuntil(b"\r\n\r\n"):
                counts[-1] += 1
                await reply(reader, writer)
                await writer.drain()
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", counts
    finally:
        listener.close()


def pool() -> Connections:
    return Connections(connect_timeout=2, read_timeout=1, keep=4)


async def get(connections: Connections, url: str) -> httpx.Response:
    response = await connections.handle_async_request(httpx.Request("GET", url))
    await response.aread()
    await response.aclose()
    return response


async def ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


async def test_one_connection_carries_many_requests() -> None:
    connections = pool()
    async with server(ok) as (url, counts):
        for n in range(5):
            assert (await get(connections, f"{url}/{n}")).content == b"ok"
    await connections.aclose()
    assert counts == [5]


async def test_a_connection_the_server_closed_is_replaced_without_an_error() -> None:
    async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await ok(reader, writer)
        await writer.drain()
        writer.close()  # keep-alive promised, then the server hangs up while idle

    connections = pool()
    async with server(once) as (url, counts):
        assert (await get(connections, url)).content == b"ok"
        await asyncio.sleep(0.05)
        assert (await get(connections, url)).content == b"ok"
    await connections.aclose()
    assert counts == [1, 1]


async def test_a_request_the_server_drops_on_a_reused_connection_is_sent_again() -> None:
    """The race keep-alive always has: the server times the connection out as we ask."""
    answered: set[int] = set()

    async def once_per_connection(reader: asyncio.StreamReader,
                                  writer: asyncio.StreamWriter) -> None:
        if id(writer) in answered:
            writer.transport.abort()
            return
        answered.add(id(writer))
        await ok(reader, writer)

    connections = pool()
    async with server(once_per_connection) as (url, counts):
        assert (await get(connections, url)).content == b"ok"
        assert (await get(connections, url)).content == b"ok"
    await connections.aclose()
    assert counts == [2, 1]


async def test_a_fresh_connection_closed_unanswered_is_an_error() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.transport.abort()

    connections = pool()
    async with server(hang_up) as (url, _):
        with pytest.raises(httpx.RemoteProtocolError, match="without answering"):
            await get(connections, url)


async def test_a_large_body_arrives_whole_through_back_pressure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = bytes(range(256)) * 8192  # 2 MiB, well past the read-pause mark
    paused: list[int] = []
    arrived = _Connection.data_received

    def watched(conn: _Connection, data: bytes) -> None:
        arrived(conn, data)
        if conn._paused:
            paused.append(len(conn.buffer))

    monkeypatch.setattr(_Connection, "data_received", watched)

    async def large(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)

    connections = pool()
    async with server(large) as (url, _):
        response = await connections.handle_async_request(httpx.Request("GET", url))
        received = bytearray()
        async for chunk in response.aiter_raw():
            received += chunk
            await asyncio.sleep(0.01)  # a slow consumer
        await response.aclose()
    await connections.aclose()
    assert received == body
    assert paused and max(paused) < len(body)  # the socket waited for the consumer


async def test_silence_mid_body_is_a_read_timeout() -> None:
    async def stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")
        await writer.drain()
        await asyncio.sleep(3)

    connections = Connections(connect_timeout=2, read_timeout=0.2, keep=4)
    async with server(stall) as (url, _):
        response = await connections.handle_async_request(httpx.Request("GET", url))
        with pytest.raises(httpx.ReadTimeout):
            await response.aread()
        await response.aclose()
        assert connections.idle == 0  # a half-read connection is never reused
    await connections.aclose()


async def test_a_garbled_answer_is_a_protocol_error_and_the_connection_goes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"SSH-2.0-OpenSSH\r\n\r\n")

    closed: list[_Connection] = []
    close = _Connection.close

    def watched(conn: _Connection) -> None:
        closed.append(conn)
        close(conn)

    monkeypatch.setattr(_Connection, "close", watched)
    connections = pool()
    async with server(garbage) as (url, _):
        with pytest.raises(httpx.RemoteProtocolError, match="status line"):
            await get(connections, url)
    assert connections.idle == 0
    assert len(closed) == 1


async def test_header_values_with_line_breaks_are_never_sent() -> None:
    connections = pool()
    request = httpx.Request("GET", "http://127.0.0.1:9/", headers={"If-None-Match": "a"})
    request.headers["If-None-Match"] = "a\r\nX-Injected: 1"
    with pytest.raises(httpx.LocalProtocolError):
        await connections.handle_async_request(request)


async def test_international_host_names_are_looked_up_idna_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    async def create_connection(factory: Any, host: str, port: int, **kwargs: Any) -> Any:
        asked.append(host)
        raise OSError("no network in this test")

    loop = asyncio.get_running_loop()
    monkeypatch.setattr(loop, "create_connection", create_connection)
    with pytest.raises(httpx.ConnectError):
        await pool().handle_async_request(httpx.Request("GET", "http://bücher.example/feed"))
    assert asked == ["xn--bcher-kva.example"]

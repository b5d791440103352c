"""What the loopback test servers' handlers answer with, and a server of raw bytes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler


def reply(h: BaseHTTPRequestHandler, body: bytes | str = b"",
          content_type: str | None = "text/html; charset=utf-8", status: int = 200,
          headers: dict[str, str] | None = None) -> None:
    """A whole response, its length announced, the connection kept alive."""
    data = body.encode() if isinstance(body, str) else body
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


@dataclass
class RawServer:
    """A loopback server that answers every request with bytes chosen by the test, however
    broken; it counts connections and the requests on each, and keeps their heads."""

    url: str
    requests: list[int] = field(default_factory=list)
    heads: list[bytes] = field(default_factory=list)


Answer = Callable[[asyncio.StreamWriter], Awaitable[None]] | bytes


@contextlib.asynccontextmanager
async def raw_server(answer: Answer, *, close: bool = True) -> AsyncIterator[RawServer]:
    """Each request gets `answer` (bytes, or a coroutine writing them); the connection is
    closed after it unless `close` is False (keep-alive)."""
    server = RawServer("")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        server.requests.append(0)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError,
                                 asyncio.CancelledError):
            while head := await reader.readuntil(b"\r\n\r\n"):
                server.requests[-1] += 1
                server.heads.append(head)
                if isinstance(answer, bytes):
                    writer.write(answer)
                else:
                    await answer(writer)
                await writer.drain()
                if close:
                    break
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    server.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    try:
        yield server
    finally:
        listener.close()

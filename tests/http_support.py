"""What the loopback test servers' handlers answer with."""

from __future__ import annotations

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

"""Serve the demo site from package data, with `{base}` in files replaced by the live URL."""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import TracebackType

# (path, title, folder) of each demo feed.
DEMO_FEEDS: list[tuple[str, str, str | None]] = [
    ("/reeltalk/feed.xml", "Reel Talk", "Film & TV"),
    ("/callsheet/film-tv.atom", "The Callsheet: Film & TV", "Film & TV"),
    ("/callsheet/music.atom", "The Callsheet: Music", "Music"),
    ("/seoulsignal/feed.json", "Seoul Signal", "K-Drama & K-Pop"),
    ("/cartridge/index.rdf", "The Cartridge Shelf", "Games"),
]

_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


def _content_type(name: str) -> str:
    if ".legacy." in name:
        # Old pages declare their charset only in a <meta>, so the header names none.
        return "text/html"
    for suffix, kind in _TYPES.items():
        if name.endswith(suffix):
            return kind
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class DemoServer:
    """A threaded HTTP server on a free 127.0.0.1 port; use as a context manager."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._cache: dict[str, bytes | None] = {}

    def url(self, path: str) -> str:
        return self.base + path

    def owns(self, url: str) -> bool:
        return url.startswith(self.base + "/")

    def __enter__(self) -> DemoServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def load(self, path: str) -> bytes | None:
        """The file at `path` with `{base}` filled in, or None; the path never leaves the site."""
        if path not in self._cache:
            parts = path.strip("/").split("/")
            data = None
            if all(part and not part.startswith(".") for part in parts):
                node = resources.files("tui_reader.demo").joinpath("site", *parts)
                data = node.read_bytes() if node.is_file() else None
            self._cache[path] = data.replace(b"{base}", self.base.encode()) if data else None
        return self._cache[path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        demo = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0].split("#", 1)[0]
                if path.endswith("/"):
                    path += "index.html"
                data = demo.load(path)
                if data is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", _content_type(path))
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

        return Handler

"""Proxies from the environment: a loopback forward proxy stands in for a site's network."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.util import find_spec
from typing import Any

import pytest

from fetch.conftest import FAST
from http_support import reply
from tui_reader.net.errors import FetchError
from tui_reader.net.http import Fetcher
from tui_reader.refresh import refresh_all
from tui_reader.store import Store

Site = Any  # the `site` fixture from tests/conftest.py
_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

PAGE = ("<html><head><title>Harbor Lights | News</title></head><body><article>"
        "<h1>Harbor Lights renewed</h1>"
        + "<p>The streaming drama returns for a third season, its showrunner said.</p>" * 4
        + "</article></body></html>")
FEED = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Behind the proxy</title>"
        "<item><title>Harbor Lights renewed</title><guid>h1</guid>"
        "<link>http://news.example/harbor.html</link></item></channel></rss>")


class ForwardProxy:
    """Answers absolute-form requests for made-up hosts, as a proxy would after fetching."""

    def __init__(self) -> None:
        self.pages = {"http://news.example/feed.xml": ("application/rss+xml", FEED),
                      "http://news.example/harbor.html": ("text/html; charset=utf-8", PAGE)}
        self.seen: list[str] = []
        self.authorization: list[str] = []
        self.url = ""


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    forward = ForwardProxy()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            forward.seen.append(self.path)
            forward.authorization.append(self.headers.get("Proxy-Authorization", ""))
            kind, body = forward.pages.get(self.path, ("text/plain", ""))
            reply(self, body, kind, 200 if body else 404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    forward.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield forward
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variables but the ones a test sets."""
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


async def test_http_proxy_from_the_environment_carries_requests(
        environment: pytest.MonkeyPatch, proxy: ForwardProxy) -> None:
    environment.setenv("HTTP_PROXY", proxy.url)
    async with Fetcher(FAST) as fetcher:
        response = await fetcher.get("http://news.example/feed.xml")
    assert response.status == 200 and b"Behind the proxy" in response.content
    assert proxy.seen == ["http://news.example/feed.xml"]


async def test_a_refresh_behind_a_proxy_downloads_pages_too(
        environment: pytest.MonkeyPatch, proxy: ForwardProxy, store: Store) -> None:
    environment.setenv("all_proxy", proxy.url.removeprefix("http://"))  # no scheme: http
    store.add_feed("http://news.example/feed.xml", "Behind")
    async with Fetcher(FAST) as fetcher:
        report = await refresh_all(store, fetcher)
    assert report.count("ok") == 1 and report.new_articles == 1
    [row] = store.articles()
    article = store.article(row.id)
    assert article is not None and "third season" in article.text
    assert proxy.seen == ["http://news.example/feed.xml", "http://news.example/harbor.html"]


async def test_no_proxy_and_this_machine_are_reached_directly(
        environment: pytest.MonkeyPatch, proxy: ForwardProxy, site: Site) -> None:
    environment.setenv("http_proxy", proxy.url)
    environment.setenv("no_proxy", "example.org, .news.example")
    local = site.add("/feed.xml", FEED, "application/rss+xml")
    async with Fetcher(FAST) as fetcher:
        assert (await fetcher.get(local)).status == 200
        with pytest.raises(FetchError, match="host name not found"):
            await fetcher.get("http://news.example/feed.xml")
    assert proxy.seen == []
    assert len(site.seen("/feed.xml")) == 1


@pytest.mark.parametrize(("value", "message"), [
    ("http://127.0.0.1:1", "cannot connect to the proxy http://127.0.0.1:1 named by"),
    pytest.param("socks5://127.0.0.1:1080", "needs the aiohttp-socks package",
                 marks=pytest.mark.skipif(find_spec("aiohttp_socks") is not None,
                                          reason="aiohttp-socks is installed")),
    pytest.param("socks5://user:secret@127.0.0.1:1", "cannot connect to the proxy "
                 "socks5://127.0.0.1:1 named by",
                 marks=pytest.mark.skipif(find_spec("aiohttp_socks") is None,
                                          reason="aiohttp-socks is not installed")),
    ("http://user:secret@127.0.0.1:1", "cannot connect to the proxy http://127.0.0.1:1 named"),
    ("ftp://user:secret@proxy.example:2121", "proxy ftp://proxy.example:2121 from the "
                                             "environment cannot be used"),
])
async def test_a_proxy_that_fails_is_one_line_about_it(
        environment: pytest.MonkeyPatch, value: str, message: str) -> None:
    environment.setenv("HTTP_PROXY", value)
    async with Fetcher(FAST) as fetcher:
        with pytest.raises(FetchError, match=message) as failed:
            await fetcher.get("http://news.example/feed.xml")
    assert "secret" not in str(failed.value) and "\n" not in str(failed.value)


async def test_proxy_credentials_are_sent_to_the_proxy_only(
        environment: pytest.MonkeyPatch, proxy: ForwardProxy) -> None:
    environment.setenv("HTTP_PROXY", proxy.url.replace("://", "://reader:s%40cret@"))
    async with Fetcher(FAST) as fetcher:
        assert (await fetcher.get("http://news.example/feed.xml")).status == 200
    assert proxy.seen == ["http://news.example/feed.xml"]
    assert proxy.authorization == ["Basic cmVhZGVyOnNAY3JldA=="]  # reader:s@cret

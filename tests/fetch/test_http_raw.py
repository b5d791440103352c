"""The Fetcher against a loopback server that sends arbitrary bytes: broken framing, broken
heads, cut bodies, kept-alive connections, and what is sent back to it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import pytest

from fetch.conftest import FAST
from http_support import RawServer, raw_server
from tui_reader.net.errors import FetchError
from tui_reader.net.http import Fetcher
from tui_reader.net.session import Resolver
from tui_reader.refresh import refresh_all
from tui_reader.store import Store

FEED = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Raw</title>"
        b"<item><title>One</title><guid>1</guid></item></channel></rss>")
CHUNKED = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def fetch(answer: bytes, **kwargs: Any) -> tuple[RawServer, bytes | FetchError]:
    async with raw_server(answer) as server, Fetcher(FAST) as fetcher:
        try:
            result: bytes | FetchError = (await fetcher.get(server.url + "/feed",
                                                            **kwargs)).content
        except FetchError as exc:
            result = exc
    return server, result


@pytest.mark.parametrize(("answer", "message"), [
    (CHUNKED + b"5zz\r\nhello\r\n0\r\n\r\n", "bad chunk size"),
    (CHUNKED + b"1" * 17 + b"\r\nx\r\n0\r\n\r\n", "bad chunk size"),
    (CHUNKED + b"2\r\nabc\r\n0\r\n\r\n", "chunk longer than its declared size"),
    (CHUNKED + b"2;\x01\r\nok\r\n0\r\n\r\n", "bad chunk extension"),
    (b'HTTP/1.1 200 OK\r\nETag: "a\rb"\r\nContent-Length: 2\r\n\r\nok', "bad header line"),
    (b'HTTP/1.1 200 OK\r\nETag: "a\x00b"\r\nContent-Length: 2\r\n\r\nok', "bad header line"),
    (b"HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nok", "bad header line"),
    (b"HTTP/1.1 200 OK\r\nX: " + b"a" * 70000 + b"\r\n\r\n", "header line too long"),
    (b"SSH-2.0-OpenSSH\r\n\r\n", "bad status line"),
    (b"HTTP/1.1 20 OK\r\n\r\n", "bad status line"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
     "bad Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok", "bad Content-Length"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
     "a transfer coding other than chunked"),
    (b"HTTP/1.1 101 Switching Protocols\r\n\r\n", "an interim answer (HTTP 101)"),
    (b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", "redirect without a Location"),
])
async def test_a_malformed_answer_says_what_is_wrong_and_is_not_retried(
        answer: bytes, message: str) -> None:
    server, result = await fetch(answer)
    assert isinstance(result, FetchError)
    assert str(result).startswith(f"malformed response: {message}")
    assert "\n" not in str(result) and "tries" not in str(result)
    assert sum(server.requests) == 1


async def test_a_chunk_size_with_leading_zeros_is_read_as_written() -> None:
    """Twenty hex digits of which the first eighteen are zeros: two bytes, not none."""
    _, result = await fetch(CHUNKED + b"0" * 18 + b"02\r\nok\r\n0\r\n\r\n")
    assert result == b"ok"


async def test_a_malformed_chunk_arriving_after_the_head_fails_once_within_the_deadline() -> None:
    """aiohttp 3.14 closes the connection but leaves the body's reader waiting (and drops the
    read timeout) when the parser fails after the head: the one deadline still ends it, and
    it is not tried again."""
    async def late(writer: asyncio.StreamWriter) -> None:
        writer.write(CHUNKED + b"4\r\nfine\r\n")
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(b"5zz\r\nhello\r\n0\r\n\r\n")

    async with raw_server(late) as server, Fetcher(replace(FAST, deadline=0.5)) as fetcher:
        with pytest.raises(FetchError, match=r"^(malformed response: bad chunk size|no complete "
                                             r"answer within 0.5 s, gave up)$"):
            await fetcher.get(server.url)
    assert server.requests == [1]


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nok",
    CHUNKED + b"10\r\nok",
])
async def test_a_cut_body_is_retried_then_reported(answer: bytes) -> None:
    server, result = await fetch(answer)
    assert str(result) == "server closed the connection mid-response (gave up after 3 tries)"
    assert server.requests == [1, 1, 1]


async def test_a_connection_closed_unanswered_is_retried_then_reported() -> None:
    server, result = await fetch(b"")
    assert str(result).startswith("server closed the connection without answering")
    assert "3 tries" in str(result)
    # aiohttp itself sends a request again once when a connection closes unanswered.
    assert 3 <= len(server.requests) <= 6


async def test_one_connection_carries_many_requests() -> None:
    async with raw_server(OK, close=False) as server, Fetcher(FAST) as fetcher:
        for n in range(5):
            assert (await fetcher.get(f"{server.url}/{n}")).content == b"ok"
    assert server.requests == [5]


async def test_a_kept_alive_connection_the_server_closed_is_replaced_without_an_error() -> None:
    async with raw_server(OK) as server, Fetcher(FAST) as fetcher:  # closes, promised not to
        assert (await fetcher.get(server.url)).content == b"ok"
        await asyncio.sleep(0.05)
        assert (await fetcher.get(server.url)).content == b"ok"
    assert server.requests == [1, 1]


async def test_validators_with_line_breaks_or_nul_are_never_sent() -> None:
    server, result = await fetch(OK, etag='"a"\r\nX-Injected: 1', last_modified="Mon\0day")
    assert result == b"ok"
    [head] = server.heads
    assert b"X-Injected" not in head
    assert b"if-none-match" not in head.lower() and b"if-modified-since" not in head.lower()


async def test_a_bad_validator_never_reaches_the_store_and_an_old_one_is_not_sent(
        store: Store) -> None:
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
              b'ETag: "v1\r"\r\nContent-Length: %d\r\n\r\n%s' % (len(FEED), FEED))
    async with raw_server(answer) as server, Fetcher(FAST) as fetcher:
        feed_id = store.add_feed(server.url + "/feed.xml", "Raw")[0].id
        [result] = (await refresh_all(store, fetcher, download=False)).results
        assert result.error == "malformed response: bad header line"
        assert store.feeds()[0].etag is None
        # A database written before the check may hold one: it is left unsent.
        store.record_feed_result(feed_id, error=None, status=200, etag='"v1\r\nX-Injected: 1"',
                                 last_modified="Mon\n", validators=True)
        await refresh_all(store, fetcher, download=False, force=True)
    assert b"X-Injected" not in server.heads[-1]
    assert b"if-none-match" not in server.heads[-1].lower()


async def test_international_host_names_are_looked_up_idna_encoded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    async def resolve(self: Any, host: str, port: int = 0, family: Any = 0) -> Any:
        asked.append(host)
        raise OSError("no network in this test")

    monkeypatch.setattr(Resolver, "resolve", resolve)
    async with Fetcher(FAST) as fetcher:
        with pytest.raises(FetchError, match="host name not found"):
            await fetcher.get("http://bücher.example/feed")
    assert asked == ["xn--bcher-kva.example"]


async def test_the_connected_address_is_checked_even_when_the_name_looked_public(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that resolves public for the check and private for the connection (DNS
    rebinding) is caught on the connected peer."""
    real = Resolver.resolve

    async def rebinding(self: Resolver, host: str, port: int = 0, family: Any = 0) -> Any:
        found = await real(self, "127.0.0.1", port, family)
        self.private[host] = False
        return found

    monkeypatch.setattr(Resolver, "resolve", rebinding)
    async with raw_server(OK) as server, Fetcher(FAST) as fetcher:
        port = server.url.rsplit(":", 1)[1]
        with pytest.raises(FetchError, match="is on a private address"):
            await fetcher.get(f"http://rebound.example:{port}/", public_only=True)


async def test_each_request_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="tui_reader.net")
    async with raw_server(OK) as server, Fetcher(FAST) as fetcher:
        # A URL with a control character is refused before any request; one that is not
        # ASCII is logged percent-encoded.
        with pytest.raises(FetchError):
            await fetcher.get(server.url + "/feed?\x1b[31m")
        await fetcher.get(server.url + "/feed?é")
    [ok, *_] = [r.getMessage() for r in caplog.records if r.name == "tui_reader.net"]
    assert ok.startswith(f"GET {server.url}/feed?%C3%A9 -> HTTP 200 (ok), 2 bytes, ")
    assert ok.endswith(" ms")


def test_the_fetcher_works_under_uvloop(site: Any) -> None:
    uvloop = pytest.importorskip("uvloop")
    site.add("/feed.xml", FEED, "application/rss+xml")
    site.add("/old", "", status=301, headers={"Location": "/feed.xml"})

    async def get() -> tuple[bytes, str | None, bool]:
        async with Fetcher(FAST) as fetcher:
            response = await fetcher.get(site.url("/old"))
            return response.content, response.moved_to, response.private

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(get()) == (FEED, site.url("/feed.xml"), True)

"""The HTTP client against a real loopback server that misbehaves on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from tui_reader.net.errors import FetchError
from tui_reader.net.http import (
    DEFAULT_USER_AGENT,
    Fetcher,
    HttpSettings,
    MiB,
    _redirect_target,
    cache_lifetime,
    retry_after_seconds,
    status_message,
)

Site = Any  # the `site` fixture from tests/conftest.py
Handler = Callable[[BaseHTTPRequestHandler], None]


def respond(h: BaseHTTPRequestHandler, status: int = 200, body: bytes = b"",
            headers: dict[str, str] | None = None) -> None:
    """Like `site.add`, but quiet when the client hangs up mid-body, as it does on purpose."""
    h.close_connection = True
    h.send_response(status)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(body)))
    h.send_header("Connection", "close")
    h.end_headers()
    with contextlib.suppress(OSError):
        h.wfile.write(body)


def trickle(h: BaseHTTPRequestHandler) -> None:
    """Headers at once, then one byte at a time: read timeouts never fire."""
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    try:
        for _ in range(100000):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.02)
    except OSError:
        return


def endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<item>" + b"x" * 65536 + b"</item>"
    try:
        while True:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:
        return


def reset_mid_body(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "50000")
    h.end_headers()
    h.wfile.write(b"<rss><channel><title>half")
    h.wfile.flush()
    # SO_LINGER with a zero timeout turns the close into a TCP reset; the socket only really
    # closes once its file objects are closed too.
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    for stream in (h.rfile, h.wfile, h.connection):
        stream.close()
    h.rfile, h.wfile = io.BytesIO(), io.BytesIO()  # for the server's own clean-up


def sequence(*steps: Handler) -> Handler:
    """Answer the n-th request with the n-th step (the last one repeats)."""
    calls = iter(range(10**6))

    def handler(h: BaseHTTPRequestHandler) -> None:
        steps[min(next(calls), len(steps) - 1)](h)

    return handler


def gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * MiB
    return b"".join(packer.compress(zeros) for _ in range(size // MiB)) + packer.flush()


# Content and encodings


async def test_plain_gzip_and_both_deflates_decode(site: Site, fetcher: Fetcher) -> None:
    body = b"<rss version='2.0'><channel><title>Popcorn</title></channel></rss>" * 50
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    variants = {
        "/plain": (body, {}),
        "/gzip": (gzip.compress(body), {"Content-Encoding": "gzip"}),
        "/zlib": (zlib.compress(body), {"Content-Encoding": "deflate"}),
        "/raw": (raw_deflate.compress(body) + raw_deflate.flush(), {"Content-Encoding": "deflate"}),
    }
    for path, (data, headers) in variants.items():
        site.add(path, data, "application/rss+xml", headers=headers)
        assert (await fetcher.get(site.url(path))).content == body
    assert fetcher.bytes_received == sum(len(data) for data, _ in variants.values())


async def test_request_headers(site: Site) -> None:
    url = site.add("/feed", "<rss/>")
    async with Fetcher(replace(HttpSettings(), user_agent="my-reader/1.0 (+me@example.org)")) as f:
        await f.get(url, etag='W/"abc"', last_modified="Mon, 06 May 2024 10:00:00 GMT",
                    accept="application/rss+xml")
    async with Fetcher() as f:
        await f.get(url)
    custom, default = site.seen("/feed")
    assert custom["user-agent"] == "my-reader/1.0 (+me@example.org)"
    assert custom["if-none-match"] == 'W/"abc"'
    assert custom["if-modified-since"] == "Mon, 06 May 2024 10:00:00 GMT"
    assert custom["accept"] == "application/rss+xml"
    assert custom["accept-encoding"] == "gzip, deflate"
    assert default["user-agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("tui-news-reader/")


# Size caps on decompressed bytes


async def test_gzip_bomb_is_cut_off_with_bounded_memory(site: Site, fetcher: Fetcher) -> None:
    bomb = gzip_bomb(256 * MiB)  # about 250 KB on the wire
    site.handle("/bomb", lambda h: respond(h, 200, bomb, {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than 1 MiB"):
            await fetcher.get(site.url("/bomb"), max_bytes=MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * MiB
    assert fetcher.bytes_received <= len(bomb)


async def test_endless_body_is_cut_off(site: Site, fetcher: Fetcher) -> None:
    site.handle("/endless", endless)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than 2 MiB"):
            await fetcher.get(site.url("/endless"), max_bytes=2 * MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * MiB


async def test_declared_oversize_body_is_not_downloaded(site: Site, fetcher: Fetcher) -> None:
    site.handle("/big", lambda h: respond(h, 200, b"x" * (MiB + 1)))
    with pytest.raises(FetchError, match="not downloaded"):
        await fetcher.get(site.url("/big"), max_bytes=MiB)
    assert fetcher.bytes_received == 0


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
async def test_unrequested_encodings_are_refused_unread(site: Site, fetcher: Fetcher,
                                                       encoding: str) -> None:
    # A 421-byte brotli body can inflate to 256 MiB in one call; we never decode it at all.
    site.add("/enc", b"\x1b\xff\xff" * 200, headers={"Content-Encoding": encoding})
    with pytest.raises(FetchError, match="not asked for"):
        await fetcher.get(site.url("/enc"))
    assert fetcher.bytes_received == 0


async def test_corrupt_gzip_is_reported(site: Site, fetcher: Fetcher) -> None:
    site.add("/corrupt", b"\x1f\x8b\x08\x00garbage-garbage", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="corrupt compressed body"):
        await fetcher.get(site.url("/corrupt"))


# Deadlines and faults


async def test_trickling_server_hits_the_total_deadline(site: Site) -> None:
    site.handle("/slow", trickle)
    settings = HttpSettings(read_timeout=5.0, deadline=0.5, retries=2, backoff=0.01)
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError, match=r"no complete answer within 0.5 s"):
            await fetcher.get(site.url("/slow"))
    assert len(site.seen("/slow")) == 1  # a deadline is not retried


async def test_a_deadline_leaves_its_task_free_to_go_on(site: Site) -> None:
    """The deadline ends a request by cancelling its task; that cancellation is taken back,
    so the caller's next request (and its own awaits) run as if nothing had happened."""
    site.handle("/slow", trickle)
    site.add("/ok", b"fine")
    async with Fetcher(HttpSettings(read_timeout=5.0, deadline=0.3, retries=0)) as fetcher:
        with pytest.raises(FetchError, match=r"no complete answer within 0.3 s"):
            await fetcher.get(site.url("/slow"))
        task = asyncio.current_task()
        assert task is not None and task.cancelling() == 0
        await asyncio.sleep(0.4)  # past where the first deadline was
        assert (await fetcher.get(site.url("/ok"))).content == b"fine"


async def test_a_request_cancelled_from_outside_stays_cancelled(site: Site) -> None:
    """A shutdown's cancellation is not mistaken for the deadline's, even when both reach the
    request before it runs again."""
    site.handle("/slow", trickle)
    async with Fetcher(HttpSettings(read_timeout=5.0, deadline=0.2, retries=0)) as fetcher:
        request = asyncio.create_task(fetcher.get(site.url("/slow")))
        await asyncio.sleep(0.1)  # under way, its deadline armed
        time.sleep(0.3)  # the loop held past the deadline: its timer is due at the next turn
        await asyncio.sleep(0)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request


async def test_silent_server_hits_the_read_timeout(site: Site) -> None:
    site.handle("/silent", lambda h: time.sleep(1.5))
    async with Fetcher(HttpSettings(read_timeout=0.2, deadline=5.0, retries=0)) as fetcher:
        with pytest.raises(FetchError, match="server stopped sending"):
            await fetcher.get(site.url("/silent"))


def silent_mid_body(h: BaseHTTPRequestHandler) -> None:
    """The head and a little of the body, then nothing."""
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.write(b"x" * 100)
    h.wfile.flush()
    time.sleep(1.5)


async def test_a_server_silent_mid_body_hits_the_read_timeout_and_is_tried_again(
        site: Site) -> None:
    site.handle("/stuck", silent_mid_body)
    settings = HttpSettings(read_timeout=0.2, deadline=5.0, retries=1, backoff=0.01)
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError, match=r"server stopped sending \(gave up after 2 tries\)"):
            await fetcher.get(site.url("/stuck"))
    assert len(site.seen("/stuck")) == 2


async def test_a_silent_server_on_a_kept_alive_connection_hits_the_read_timeout(
        site: Site) -> None:
    site.add("/ok", b"fine")
    site.handle("/silent", lambda h: time.sleep(1.5))
    async with Fetcher(HttpSettings(read_timeout=0.2, deadline=5.0, retries=0)) as fetcher:
        assert (await fetcher.get(site.url("/ok"))).content == b"fine"
        with pytest.raises(FetchError, match="server stopped sending"):
            await fetcher.get(site.url("/silent"))


async def test_a_trickle_is_never_taken_for_silence(site: Site) -> None:
    """A byte every 20 ms is the server sending: only the deadline ends it."""
    site.handle("/slow", trickle)
    async with Fetcher(HttpSettings(read_timeout=0.3, deadline=1.0, retries=0)) as fetcher:
        with pytest.raises(FetchError, match=r"no complete answer within 1 s"):
            await fetcher.get(site.url("/slow"))


async def test_connection_reset_mid_body_is_retried_then_reported(site: Site,
                                                                  fetcher: Fetcher) -> None:
    site.handle("/reset", reset_mid_body)
    with pytest.raises(FetchError, match=r"closed the connection mid-response.*3 tries"):
        await fetcher.get(site.url("/reset"))
    assert len(site.seen("/reset")) == 3


async def test_connection_refused_is_retried_then_reported(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        await fetcher.get(f"http://127.0.0.1:{port}/feed")


async def test_server_errors_are_returned_not_retried(site: Site, fetcher: Fetcher) -> None:
    site.add("/500", "oops", status=500)
    site.add("/404", "missing", status=404)
    assert (await fetcher.get(site.url("/500"))).status == 500
    assert (await fetcher.get(site.url("/404"))).status == 404
    assert len(site.seen("/500")) == 1


async def test_502_503_504_are_retried_with_backoff(site: Site, fetcher: Fetcher) -> None:
    site.handle("/flaky", sequence(lambda h: respond(h, 502), lambda h: respond(h, 504),
                                   lambda h: respond(h, 200, b"<rss/>")))
    assert (await fetcher.get(site.url("/flaky"))).content == b"<rss/>"
    site.add("/down", "", status=503)
    with pytest.raises(FetchError, match=r"HTTP 503 \(service unavailable\).*3 tries") as caught:
        await fetcher.get(site.url("/down"))
    assert caught.value.status == 503
    assert len(site.seen("/down")) == 3


@pytest.mark.parametrize("status", [429, 503])
async def test_short_retry_after_is_waited_out(site: Site, fetcher: Fetcher, status: int) -> None:
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=1), usegmt=True)
    site.handle("/busy", sequence(lambda h: respond(h, status, headers={"Retry-After": "0"}),
                                  lambda h: respond(h, status, headers={"Retry-After": past}),
                                  lambda h: respond(h, 200, b"ok")))
    assert (await fetcher.get(site.url("/busy"))).content == b"ok"
    assert len(site.seen("/busy")) == 3


async def test_long_retry_after_fails_at_once_and_says_when(site: Site, fetcher: Fetcher) -> None:
    site.add("/later", "", status=429, headers={"Retry-After": "7200"})
    with pytest.raises(FetchError, match=r"asks to wait 2\.0 h") as caught:
        await fetcher.get(site.url("/later"))
    assert caught.value.retry_after == 7200
    assert len(site.seen("/later")) == 1


def test_retry_after_values() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(hours=2), usegmt=True)
    assert retry_after_seconds("120") == 120
    assert 7000 < (retry_after_seconds(soon) or 0) <= 7200
    assert retry_after_seconds("315360000") == 86400  # ten years, clamped to a day
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("soon-ish") is None
    assert retry_after_seconds(None) is None


# Redirects


async def test_redirects_are_followed_up_to_five(site: Site, fetcher: Fetcher) -> None:
    for n in range(7):
        site.add(f"/r{n}", "", status=301 if n % 2 else 307, headers={"Location": f"/r{n + 1}"})
    site.add("/r7", "<rss/>")
    response = await fetcher.get(site.url("/r2"))
    assert (response.status, response.url) == (200, site.url("/r7"))
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await fetcher.get(site.url("/r0"))


async def test_redirect_loop(site: Site, fetcher: Fetcher) -> None:
    site.add("/a", "", status=302, headers={"Location": "/b"})
    site.add("/b", "", status=302, headers={"Location": site.url("/a")})
    with pytest.raises(FetchError, match="redirect loop"):
        await fetcher.get(site.url("/a"))


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://files.example/feed.xml",
                                    "javascript:alert(1)", "data:text/xml,<rss/>"])
async def test_redirect_to_a_non_http_scheme_is_refused(site: Site, fetcher: Fetcher,
                                                       target: str) -> None:
    site.add("/jump", "", status=301, headers={"Location": target})
    with pytest.raises(FetchError, match=r"redirect to a(n invalid| non-http)"):
        await fetcher.get(site.url("/jump"))


def test_redirect_from_https_down_to_http_is_refused() -> None:
    with pytest.raises(FetchError, match="down to plain http"):
        _redirect_target("https://secure.example/feed", "http://secure.example/feed")
    assert _redirect_target("http://a.example/x", "https://a.example/y") == "https://a.example/y"


async def test_redirect_bodies_are_never_read(site: Site, fetcher: Fetcher) -> None:
    bomb = gzip_bomb(8 * MiB)
    site.handle("/moved", lambda h: respond(h, 301, bomb,
                                            {"Location": "/new", "Content-Encoding": "gzip"}))
    site.add("/new", "<rss/>")
    assert (await fetcher.get(site.url("/moved"), max_bytes=MiB)).content == b"<rss/>"


async def test_only_http_urls_are_fetched(fetcher: Fetcher) -> None:
    for url in ("file:///etc/passwd", "ftp://x.example/", "/relative/path", "http://"):
        with pytest.raises(FetchError):
            await fetcher.get(url)


# Concurrency


def counting(state: dict[str, int], lock: threading.Lock, hold: float = 0.1) -> Handler:
    def handler(h: BaseHTTPRequestHandler) -> None:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(hold)
        with lock:
            state["now"] -= 1
        respond(h, 200, b"ok")

    return handler


@pytest.mark.parametrize(("concurrency", "per_host", "limit"), [(16, 3, 3), (2, 4, 2)])
async def test_global_and_per_host_limits(site: Site, concurrency: int, per_host: int,
                                          limit: int) -> None:
    state, lock = {"now": 0, "max": 0}, threading.Lock()
    for n in range(10):
        site.handle(f"/c{n}", counting(state, lock))
    async with Fetcher(HttpSettings(concurrency=concurrency, per_host=per_host)) as fetcher:
        await asyncio.gather(*(fetcher.get(site.url(f"/c{n}")) for n in range(10)))
    assert state["max"] == limit


async def test_a_hanging_host_does_not_hold_up_the_others(site: Site, black_hole: str) -> None:
    site.add("/fine", "<rss/>")
    settings = HttpSettings(concurrency=8, per_host=4, deadline=3.0, read_timeout=3.0, retries=0)
    async with Fetcher(settings) as fetcher:
        # Far more requests to the hanging host than there are global slots.
        hanging = [asyncio.create_task(fetcher.get(f"{black_hole}/feed{n}")) for n in range(20)]
        await asyncio.sleep(0)
        fine = await asyncio.gather(*(fetcher.get(site.url("/fine")) for _ in range(10)))
        assert all(r.status == 200 for r in fine)
        assert not any(task.done() for task in hanging)
        for task in hanging:
            task.cancel()
        await asyncio.gather(*hanging, return_exceptions=True)


# Caching and messages


def test_cache_lifetime() -> None:
    def headers(**values: str) -> CIMultiDictProxy[str]:
        return CIMultiDictProxy(CIMultiDict({k.replace("_", "-"): v for k, v in values.items()}))

    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    assert cache_lifetime(headers(cache_control="public, max-age=600")) == 600
    assert cache_lifetime(headers(cache_control="max-age=600", age="100")) == 500
    assert cache_lifetime(headers(cache_control="no-cache, max-age=600")) == 0
    assert 3500 < (cache_lifetime(headers(expires=later)) or 0) <= 3600
    assert cache_lifetime(headers(expires="0")) == 0
    assert cache_lifetime(headers(cache_control="max-age=60", expires=later)) == 60
    assert cache_lifetime(headers(), ttl_minutes=90) == 5400
    assert cache_lifetime(headers(cache_control="max-age=60"), ttl_minutes=30) == 1800
    assert cache_lifetime(headers(cache_control="max-age=99999999")) == 86400
    assert cache_lifetime(headers()) is None
    # Only ASCII digits are a number: "²" and other scripts' digits pass str.isdigit.
    assert cache_lifetime(headers(cache_control="max-age=6²")) is None
    assert cache_lifetime(headers(cache_control="max-age=600", age="١٠٠")) == 600


def test_status_messages() -> None:
    assert status_message(404) == "HTTP 404 (not found)"
    assert status_message(599) == "HTTP 599"

"""B1–B10 of reliability.md §8: a loopback server that misbehaves on purpose.

The HTTP client's unit tests (tests/fetch/test_http.py) cover each fault at the Fetcher; here
each is taken through a whole refresh, where it must become one feed's error and nothing more.
Existing tests this relies on as well: test_http.py::test_unrequested_encodings_are_refused_unread
(B2), ::test_redirects_are_followed_up_to_five, ::test_redirect_loop,
::test_redirect_to_a_non_http_scheme_is_refused, ::test_redirect_from_https_down_to_http_is_refused
(B6), ::test_global_and_per_host_limits, ::test_a_hanging_host_does_not_hold_up_the_others
(B10), test_refresh.py::test_validators_change_only_after_a_successful_parse (B7).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import certifi
import pytest
from hostile import memory_peak, rss

from fetch.conftest import FAST
from fetch.test_http import gzip_bomb, reset_mid_body, respond, sequence, trickle
from tui_reader.net.errors import FetchError
from tui_reader.net.http import Fetcher, MiB
from tui_reader.net.session import tls_context
from tui_reader.refresh import FEED_CAP, RefreshReport, refresh_all
from tui_reader.store import Store

Site = Any
FEED = rss("Fine", [{"title": "One", "guid": "1"}])


async def _refresh(store: Store, fetcher: Fetcher, **feeds: str) -> dict[str, tuple[str, str]]:
    """Subscribe to name=url feeds, refresh once, and return name -> (outcome, error)."""
    names = {url: name for name, url in feeds.items()}
    for name, url in feeds.items():
        store.add_feed(url, name)
    report: RefreshReport = await refresh_all(store, fetcher, download=False)
    return {names[r.url]: (r.outcome, r.error or "") for r in report.results if r.url in names}


# B1–B3: bombs, unasked-for encodings, bodies over the cap or shorter than announced


async def test_b1_b2_bombs_fail_one_feed_each_with_memory_bounded(site: Site, store: Store,
                                                                  fetcher: Fetcher) -> None:
    bomb = gzip_bomb(256 * MiB)
    zstd = b"\x28\xb5\x2f\xfd" + b"\x00" * 400  # a zstd frame header: never decoded at all
    encoded = {"gzip-bomb": (bomb, "gzip"), "br-bomb": (b"\x1b\xff\xff" * 140, "br"),
               "zstd-bomb": (zstd, "zstd"), "stacked": (bomb, "gzip, gzip, br"),
               "unknown": (b"x" * 100, "x-snappy")}
    feeds = {name: site.handle(f"/{name}", lambda h, b=body, e=enc: respond(
        h, 200, b, {"Content-Encoding": e})) for name, (body, enc) in encoded.items()}
    feeds["Fine"] = site.add("/fine.xml", FEED, "application/rss+xml")
    with memory_peak() as peak:
        outcomes = await _refresh(store, fetcher, **feeds)
    assert outcomes.pop("Fine") == ("ok", "")
    assert outcomes.pop("gzip-bomb") == ("failed", f"response larger than {FEED_CAP / MiB:g} "
                                         "MiB, cut off")
    for outcome, error in outcomes.values():
        assert outcome == "failed" and "which was not asked for" in error
    assert peak[0] < FEED_CAP * 4
    assert {f.title: bool(f.last_error) for f in store.feeds()}["Fine"] is False


def _gzip_then_endless(h: BaseHTTPRequestHandler) -> None:
    """A whole gzip stream, then bytes without end: they inflate to nothing, so only counting
    what arrives stops them (zlib would keep them all in memory)."""
    h.send_response(200)
    h.send_header("Content-Encoding", "gzip")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    with contextlib.suppress(OSError):
        for chunk in itertools.chain([gzip.compress(FEED)], itertools.repeat(b"\0" * 65536)):
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


async def test_b1_bytes_after_the_end_of_a_gzip_stream_count_against_the_cap(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    with memory_peak() as peak:
        outcomes = await _refresh(store, fetcher, Tail=site.handle("/tail.xml",
                                                                   _gzip_then_endless))
    assert outcomes["Tail"] == ("failed", f"response larger than {FEED_CAP / MiB:g} MiB, cut off")
    assert peak[0] < FEED_CAP * 4


def _lying_length(declared: int, body: bytes) -> Any:
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Length", str(declared))
        h.send_header("Connection", "close")
        h.end_headers()
        with contextlib.suppress(OSError):
            h.wfile.write(body)
    return handler


async def test_b3_a_body_shorter_than_announced_is_a_failure_not_a_partial_feed(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    outcomes = await _refresh(store, fetcher, Short=site.handle(
        "/short.xml", _lying_length(len(FEED) + 5000, FEED)))
    assert outcomes["Short"] == ("failed", "server closed the connection mid-response "
                                 "(gave up after 3 tries)")
    assert store.articles() == []
    [feed] = store.feeds()
    assert feed.etag is None and feed.last_success is None


async def test_b3_a_body_longer_than_announced_is_read_only_as_far_as_announced(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    """The client cannot know; the cut document is not a feed, or a partial one at worst."""
    cut = FEED.index(b"<item>")
    outcomes = await _refresh(store, fetcher, Long=site.handle("/long.xml",
                                                               _lying_length(cut, FEED)))
    assert outcomes["Long"][0] in ("ok", "failed")
    assert store.articles() == []


# B4: slow servers


def slow_headers(h: BaseHTTPRequestHandler) -> None:
    with contextlib.suppress(OSError):
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Padding: " + b"x" * 10_000:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(0.02)


@pytest.mark.parametrize("handler", [trickle, slow_headers], ids=["slow-body", "slow-headers"])
async def test_b4_a_stalled_server_cannot_hold_a_refresh_past_its_deadline(
    site: Site, store: Store, handler: Any
) -> None:
    settings = replace(FAST, read_timeout=5.0, deadline=0.5)
    async with Fetcher(settings) as fetcher:
        outcomes = await _refresh(store, fetcher, Slow=site.handle("/slow", handler),
                                  Fine=site.add("/fine.xml", FEED, "application/rss+xml"))
    assert outcomes["Slow"] == ("failed", "no complete answer within 0.5 s, gave up")
    assert outcomes["Fine"] == ("ok", "")


def _trickle_then_hang_up(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    with contextlib.suppress(OSError):
        for _ in range(15):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.02)
    h.close_connection = True


async def test_b4_one_deadline_covers_every_retry(site: Site, store: Store) -> None:
    """A server that trickles and then drops the connection is retried only while the one
    deadline lasts, not given a fresh deadline on each try."""
    settings = replace(FAST, deadline=1.0, retries=20)
    async with Fetcher(settings) as fetcher:
        outcomes = await _refresh(store, fetcher, Drops=site.handle("/drops.xml",
                                                                    _trickle_then_hang_up))
    outcome, error = outcomes["Drops"]
    assert outcome == "failed" and "within 1 s" in error
    assert len(site.seen("/drops.xml")) < 10


# B5: connection-level failures, each with its own message, never retried into a storm


@contextlib.contextmanager
def tls_server(context: ssl.SSLContext) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            respond(self, 200, FEED)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # the failed handshakes are the point

    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def _certificate(ca: Any, expired: bool) -> ssl.SSLContext:
    now = datetime.now(UTC)
    cert = ca.issue_cert("127.0.0.1", not_before=now - timedelta(days=30),
                         not_after=now - timedelta(days=1) if expired else now + timedelta(1))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    return context


async def test_b5_each_connection_failure_has_its_own_message(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    with socket_port() as refused:
        feeds = {"refused": f"http://127.0.0.1:{refused}/feed.xml",
                 "dns": "http://no-such-host.invalid/feed.xml",
                 "plain-http-on-https": site.url("/feed.xml").replace("http:", "https:")}
        site.add("/feed.xml", FEED)
        with tls_server(_certificate(ca, expired=False)) as untrusted:
            async with Fetcher(FAST) as fetcher:
                outcomes = await _refresh(store, fetcher, untrusted=untrusted, **feeds)
        # Now trust the CA: the expired certificate is refused for being expired. The TLS
        # context is made once per process, so it is made again with the CA, and again after.
        monkeypatch.setattr(certifi, "where", lambda: str(bundle))
        tls_context.cache_clear()
        try:
            with tls_server(_certificate(ca, expired=True)) as expired, \
                    tls_server(_certificate(ca, expired=False)) as valid:
                async with Fetcher(FAST) as fetcher:
                    outcomes |= await _refresh(store, fetcher, expired=expired, valid=valid)
        finally:
            tls_context.cache_clear()
    assert outcomes == {
        "refused": ("failed", "cannot connect (host unreachable or offline) "
                              "(gave up after 3 tries)"),
        "dns": ("failed", "host name not found (check the address, or the network's DNS)"),
        "plain-http-on-https": ("failed", "TLS handshake failed (the server does not speak "
                                          "https properly); not fetched"),
        "untrusted": ("failed", "the site's TLS certificate is not valid (unable to get local "
                                "issuer certificate); not fetched"),
        "expired": ("failed", "the site's TLS certificate is not valid (certificate has "
                              "expired); not fetched"),
        "valid": ("ok", ""),
    }
    assert len(site.seen("/feed.xml")) == 0  # the TLS hello is not a request


@contextlib.contextmanager
def socket_port() -> Iterator[int]:
    """A port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


async def test_b5_a_reset_mid_body_is_one_feeds_error(site: Site, store: Store,
                                                      fetcher: Fetcher) -> None:
    outcomes = await _refresh(store, fetcher, Reset=site.handle("/reset", reset_mid_body))
    assert outcomes["Reset"] == ("failed", "server closed the connection mid-response "
                                 "(gave up after 3 tries)")
    assert len(site.seen("/reset")) == 3  # two retries with backoff, not a storm


# B6: redirects, and automatic downloads that lead to private addresses


async def test_b6_bad_redirects_are_refused_in_a_refresh(site: Site, store: Store,
                                                         fetcher: Fetcher) -> None:
    for n in range(7):
        site.add(f"/r{n}", "", status=302, headers={"Location": f"/r{n + 1}"})
    site.add("/loop", "", status=301, headers={"Location": "/loop2"})
    site.add("/loop2", "", status=301, headers={"Location": "/loop"})
    site.add("/file", "", status=302, headers={"Location": "file:///etc/passwd"})
    site.add("/js", "", status=302, headers={"Location": "javascript:alert(1)"})
    outcomes = await _refresh(store, fetcher, Many=site.url("/r0"), Loop=site.url("/loop"),
                              File=site.url("/file"), Js=site.url("/js"))
    assert outcomes["Many"] == ("failed", "more than 5 redirects")
    assert outcomes["Loop"][1].startswith("redirect loop at")
    assert outcomes["File"][1].startswith("redirect to a non-http(s) URL refused")
    assert outcomes["Js"][1].startswith("redirect to a")


async def test_b6_public_only_refuses_private_servers_on_every_hop(site: Site,
                                                                   fetcher: Fetcher) -> None:
    site.add("/page", "<p>internal</p>")
    site.add("/jump", "", status=302, headers={"Location": site.url("/page")})
    for path in ("/page", "/jump"):
        with pytest.raises(FetchError, match=r"not fetched automatically: .* private address"):
            await fetcher.get(site.url(path), public_only=True)
    # What the person opens is still fetched, wherever it is.
    assert (await fetcher.get(site.url("/jump"))).content == b"<p>internal</p>"


# B7: conditional requests


async def test_b7_validators_are_echoed_byte_for_byte_and_304_means_unchanged(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    etag, modified = 'W/"v1-\\"quoted\\""', "Mon, 06 May 2024 10:00:00 GMT"
    site.handle("/f.xml", sequence(
        lambda h: respond(h, 200, FEED, {"ETag": etag, "Last-Modified": modified}),
        lambda h: respond(h, 304),
        lambda h: respond(h, 200, FEED),  # a server that ignores validators
    ))
    store.add_feed(site.url("/f.xml"), "F")
    results = [(await refresh_all(store, fetcher, force=True)).results[0] for _ in range(3)]
    assert [(r.outcome, r.new) for r in results] == [("ok", 1), ("unchanged", 0), ("ok", 0)]
    second = site.seen("/f.xml")[1]
    assert (second["if-none-match"], second["if-modified-since"]) == (etag, modified)
    assert len(store.articles()) == 1


# B8: Retry-After


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [("120", 110, 130), ("315360000", 86000, 86400), ("soon-ish", None, None),
     ("HTTP-DATE", 3500, 3600)],
    ids=["seconds", "ten-years", "garbage", "http-date"],
)
async def test_b8_retry_after_sets_the_next_poll_clamped(
    site: Site, store: Store, value: str, low: float | None, high: float | None
) -> None:
    if value == "HTTP-DATE":
        value = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    site.add("/busy", "", status=429, headers={"Retry-After": value})
    store.add_feed(site.url("/busy"), "Busy")
    async with Fetcher(replace(FAST, max_retry_after=1.0)) as fetcher:
        [result] = (await refresh_all(store, fetcher)).results
    assert result.outcome == "failed" and result.status == 429
    [feed] = store.feeds()
    if low is None:
        assert feed.next_due is None
        assert len(site.seen("/busy")) == 3  # the default backoff, retried in place
    else:
        assert feed.next_due is not None and high is not None
        wait = (feed.next_due - datetime.now(UTC)).total_seconds()
        assert low <= wait <= high
        assert len(site.seen("/busy")) == 1


# B9: a 200 that is not a feed, and gone feeds


async def test_b9_login_pages_and_gone_feeds_leave_the_cache_alone(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    site.handle("/f.xml", sequence(
        lambda h: respond(h, 200, FEED, {"ETag": '"good"'}),
        lambda h: respond(h, 200, b"<!DOCTYPE html><html><body><form>Log in</form></body>"
                          b"</html>", {"Content-Type": "text/html", "ETag": '"portal"'}),
        lambda h: respond(h, 410),
    ))
    store.add_feed(site.url("/f.xml"), "F")
    outcomes = [(await refresh_all(store, fetcher, force=True)).results[0] for _ in range(3)]
    assert [r.outcome for r in outcomes] == ["ok", "failed", "failed"]
    assert outcomes[1].error == "not a feed: got an HTML page"
    assert outcomes[2].error and "gone (HTTP 410); unsubscribe with: tui-reader remove" in \
        outcomes[2].error
    [feed] = store.feeds()
    assert feed.etag == '"good"' and len(store.articles()) == 1
    site.add("/404.xml", "", status=404)
    assert (await _refresh(store, fetcher, Missing=site.url("/404.xml")))["Missing"] == (
        "failed", "HTTP 404 (not found)")


# B10: many feeds, one hanging host, cancellation


async def test_b10_many_feeds_and_a_hanging_host(site: Site, store: Store,
                                                       black_hole: str) -> None:
    site.add("/f.xml", FEED, "application/rss+xml")
    # One loopback host, four connections to it: 150 keep the test quick and still queue
    # most feeds behind the per-host limit while the hanging host holds its slots.
    for n in range(150):
        store.add_feed(site.url(f"/f.xml?n={n}"), f"Feed {n}")
    for n in range(5):
        store.add_feed(f"{black_hole}/hang{n}.xml", f"Hanging {n}")
    settings = replace(FAST, concurrency=16, per_host=4, deadline=2.0, read_timeout=2.0,
                       retries=0)
    async with Fetcher(settings) as fetcher:
        report = await refresh_all(store, fetcher, download=False)
    assert report.count("ok") == 150
    assert {r.error for r in report.failed} == {"no complete answer within 2 s, gave up"}


async def test_b10_cancelling_a_refresh_is_prompt(site: Site, store: Store,
                                                  black_hole: str) -> None:
    for n in range(20):
        store.add_feed(f"{black_hole}/hang{n}.xml", f"Hanging {n}")
    settings = replace(FAST, deadline=60.0, read_timeout=60.0)
    async with Fetcher(settings) as fetcher:
        task = asyncio.create_task(refresh_all(store, fetcher, download=False))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=10)


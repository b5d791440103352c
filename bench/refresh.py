"""Refresh benchmark: many feeds with article pages on a loopback server.

    .venv/bin/python bench/refresh.py [--feeds 200] [--items 25] [--ports 8] [--concurrency 16]
                                      [--rounds 3]

A child process serves the feeds (RSS 2.0, with ETag and Last-Modified, answering 304 to a
matching If-None-Match) and a small article page per item, spread over several ports on
127.0.0.1 so that the per-host limit behaves as it would with many sites. It prints:

* a cold refresh with every article page downloaded and cleaned,
* a second refresh where every feed answers 304,
* a cold feeds-only refresh (no article pages), for comparison,
* bytes received and CPU seconds (this process and its refresh workers) for each, each
  timed up to its store's close (which groups the new articles into stories), with the
  close's share,
* newsboat's `-x reload` on the same feeds (feeds only, `reload-threads` set to our
  concurrency) when newsboat is installed,
* our feeds-only and with-articles cold refreshes against newsboat's feeds-only reload, by
  the medians of `--rounds` cold runs of each, run in turn, and
* the client CPU per request of our Fetcher against plain aiohttp (the library under it),
  for 2,000 GETs at our concurrency of 4 KiB and 64 KiB bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import aiohttp

from compiled import build_line
from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.refresh import Outcome, RefreshReport, forking, format_size, refresh_all
from tui_reader.store import Store

WORDS = ("premiere", "studio", "sequel", "festival", "trailer", "casting", "composer", "season",
         "finale", "director", "box office", "review", "streaming", "soundtrack", "critics")


@dataclass(frozen=True, slots=True)
class Layout:
    feeds: int
    items: int
    ports: list[int]

    def feed_path(self, n: int) -> str:
        return f"/feeds/{n}.xml"

    def feed_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.ports[n % len(self.ports)]}{self.feed_path(n)}"

    def page_path(self, feed: int, item: int) -> str:
        return f"/news/{feed}/{item}.html"


def _words(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(count))


def feed_xml(layout: Layout, n: int, port: int) -> bytes:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = []
    for i in range(layout.items):
        link = f"http://127.0.0.1:{port}{layout.page_path(n, i)}"
        when = format_datetime(start + timedelta(hours=n + i), usegmt=True)
        items.append(
            f"<item><title>{_words(n + i, 6).capitalize()} ({n}.{i})</title><link>{link}</link>"
            f"<guid isPermaLink='false'>feed{n}-item{i}</guid><pubDate>{when}</pubDate>"
            f"<dc:creator>Desk {n % 17}</dc:creator><category>Film</category>"
            f"<description>{_words(i, 25)}.</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>"
        f"<title>Screen News {n}</title><link>http://127.0.0.1:{port}/</link>"
        f"<description>Entertainment news, desk {n}.</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def page_html(feed: int, item: int) -> bytes:
    paragraphs = "".join(f"<p>{_words(feed * 31 + item + k, 40).capitalize()}.</p>"
                         for k in range(6))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Story {feed}.{item} | Screen News</title>"
        "<meta property='og:site_name' content='Screen News'></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/film'>Film</a> <a href='/tv'>TV</a></nav>"
        f"</header><main><article><h1>Story {feed}.{item}</h1>"
        f"<p class='byline'>By Desk {feed % 17}</p>{paragraphs}</article>"
        "<aside><h2>Most read</h2><ul><li><a href='/x'>Another story</a></li></ul></aside>"
        "</main><footer>© Screen News</footer></body></html>"
    ).encode()


BLOBS = (4096, 65536)


def build_site(layout: Layout) -> dict[tuple[int, str], bytes]:
    routes: dict[tuple[int, str], bytes] = {
        (port, f"/blob/{size}"): bytes(range(256)) * (size // 256)
        for port in layout.ports for size in BLOBS}
    for n in range(layout.feeds):
        port = layout.ports[n % len(layout.ports)]
        routes[(port, layout.feed_path(n))] = feed_xml(layout, n, port)
        for i in range(layout.items):
            routes[(port, layout.page_path(n, i))] = page_html(n, i)
    return routes


ETAG = '"bench-1"'
LAST_MODIFIED = "Sun, 01 Nov 2026 00:00:00 GMT"


async def _serve_connection(routes: dict[tuple[int, str], bytes], port: int,
                            reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Minimal HTTP/1.1 with keep-alive; feeds answer 304 to their own ETag."""
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = routes.get((port, path))
            extra = ""
            if body is None:
                status, body = "404 Not Found", b""
            elif path.endswith(".xml"):
                extra = f"ETag: {ETAG}\r\nLast-Modified: {LAST_MODIFIED}\r\n"
                status = "200 OK"
                if headers.get("if-none-match") == ETAG:
                    status, body = "304 Not Modified", b""
                extra += "Content-Type: application/rss+xml; charset=utf-8\r\n"
            else:
                status, extra = "200 OK", "Content-Type: text/html; charset=utf-8\r\n"
            writer.write(f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
                         .encode() + body)
            await writer.drain()


def _serve(layout: Layout, sockets: list[socket.socket], ready: Any) -> None:
    routes = build_site(layout)

    async def main() -> None:
        servers = []
        for sock in sockets:
            port = sock.getsockname()[1]

            async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter,
                             port: int = port) -> None:
                await _serve_connection(routes, port, r, w)
                w.close()

            servers.append(await asyncio.start_server(handle, sock=sock, backlog=512))
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


@contextlib.contextmanager
def serving(feeds: int, items: int, ports: int) -> Iterator[Layout]:
    sockets = []
    for _ in range(ports):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(512)
        sockets.append(sock)
    layout = Layout(feeds, items, [s.getsockname()[1] for s in sockets])
    fork = multiprocessing.get_context("fork")
    ready = fork.Event()
    server = fork.Process(target=_serve, args=(layout, sockets, ready), daemon=True)
    server.start()
    # Building the site takes the server a while: the first timed run must not wait on it.
    if not ready.wait(120):
        raise SystemExit("the loopback server did not start")
    try:
        yield layout
    finally:
        server.terminate()
        server.join()
        for sock in sockets:
            sock.close()


def cpu_seconds() -> float:
    """CPU used by this process and its reaped children: the refresh workers (the server is
    reaped only at the end)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                           resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass(frozen=True, slots=True)
class Timed:
    seconds: float
    cpu: float
    # Of `seconds`, closing the store: grouping what arrived into stories.
    closing: float
    report: RefreshReport


def timed_refresh(db: Path, settings: HttpSettings, *, download: bool) -> Timed:
    """The refresh as `tui-reader refresh` runs it, its workers forked from a copy of this
    process made before the store opens, and waits for it: up to its store's close, whose
    grouping of new articles into stories is part of a refresh."""
    start, cpu = time.perf_counter(), cpu_seconds()
    with forking():
        store = Store.open(db)
        try:
            report = asyncio.run(_refresh(store, settings, download=download))
        finally:
            closing = time.perf_counter()
            store.close()
    end = time.perf_counter()
    return Timed(end - start, cpu_seconds() - cpu, end - closing, report)


async def _refresh(store: Store, settings: HttpSettings, *, download: bool) -> RefreshReport:
    async with Fetcher(settings) as fetcher:
        return await refresh_all(store, fetcher, force=True, download=download)


def ours(layout: Layout, folder: Path, settings: HttpSettings, *, download: bool,
         label: str, round_: int) -> float:
    """Prints each run (the all-304 one in the first round only); returns the cold run's
    seconds."""
    db = folder / f"{label}-{round_}.sqlite3"
    first = round_ == 0
    with Store.open(db) as store:
        for n in range(layout.feeds):
            store.add_feed(layout.feed_url(n), f"feed {n}")
    runs: list[tuple[str, Outcome]] = [("cold", "ok")]
    if download and first:
        runs.append(("all-304", "unchanged"))
    cold = 0.0
    for name, expected in runs:
        timed = timed_refresh(db, settings, download=download)
        report = timed.report
        cold = cold or timed.seconds
        good = report.count(expected)
        print(f"tui-reader {label:<14} {name:<8} {timed.seconds:7.2f} s  ({timed.cpu:.2f} s CPU)  "
              f"{good}/{layout.feeds} {expected}, {report.new_articles} new articles, "
              f"{format_size(report.bytes_received)} received; closing the store "
              f"{timed.closing:.2f} s")
        if report.failed:
            print(f"  first failure: {report.failed[0].url}: {report.failed[0].error}")
    return cold


def newsboat(layout: Layout, folder: Path, threads: int, round_: int) -> float | None:
    """Prints each run (the all-304 one in the first round only); returns the cold run's
    seconds, None without newsboat."""
    first = round_ == 0
    binary = shutil.which("newsboat")
    if binary is None:
        if first:
            print("newsboat: not installed, skipped")
        return None
    urls = folder / "urls"
    urls.write_text("".join(layout.feed_url(n) + "\n" for n in range(layout.feeds)))
    config = folder / "config"
    config.write_text(f"reload-threads {threads}\nshow-read-feeds yes\n")
    cache = folder / f"newsboat-cache-{round_}.db"
    cold = 0.0
    for name in ("cold", "all-304") if first else ("cold",):
        start = time.perf_counter()
        done = subprocess.run([binary, "-x", "reload", "-u", str(urls), "-C", str(config),
                               "-c", str(cache)], capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        cold = cold or seconds
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[:200]}"
        print(f"newsboat   feeds only     {name:<8} {seconds:7.2f} s  ({status})")
    return cold


async def _gets(get: Any, urls: list[str], concurrency: int) -> float:
    """CPU seconds of this process (the client alone: the server is another process)."""
    slots = asyncio.Semaphore(concurrency)

    async def one(url: str) -> None:
        async with slots:
            await get(url)

    start = time.process_time()
    await asyncio.gather(*(one(url) for url in urls))
    return time.process_time() - start


async def _client_cpu(urls: list[str], settings: HttpSettings) -> tuple[float, float]:
    async with Fetcher(settings) as fetcher:
        ours = await _gets(fetcher.get, urls, settings.concurrency)
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async def plain(url: str) -> None:
            async with session.get(url) as response:
                await response.read()
        theirs = await _gets(plain, urls, settings.concurrency)
    return ours, theirs


def client_cpu(layout: Layout, settings: HttpSettings, requests: int = 2000) -> None:
    """Prints the client CPU per request: our Fetcher (policies included) and plain aiohttp."""
    for size in BLOBS:
        urls = [f"http://127.0.0.1:{layout.ports[n % len(layout.ports)]}/blob/{size}"
                for n in range(requests)]
        ours, theirs = asyncio.run(_client_cpu(urls, settings))
        print(f"client CPU per GET, {size // 1024:>2} KiB bodies: Fetcher "
              f"{ours / requests * 1e6:5.0f} µs, plain aiohttp {theirs / requests * 1e6:5.0f} µs "
              f"({ours / theirs:.2f}x), {requests} GETs at concurrency {settings.concurrency}")


def _median(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument("--ports", type=int, default=8, help="sites to spread the feeds over")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3,
                        help="cold runs of each, compared by their medians")
    args = parser.parse_args()
    settings = HttpSettings(concurrency=args.concurrency)
    print(f"{args.feeds} feeds × {args.items} items, {args.ports} loopback sites, "
          f"concurrency {args.concurrency} (per host {settings.per_host}); "
          f"Python {sys.version.split()[0]}")
    print(build_line())
    with_articles: list[float] = []
    feeds_only: list[float] = []
    peer: list[float] = []
    with tempfile.TemporaryDirectory(prefix="tui-reader-bench-") as tmp, \
            serving(args.feeds, args.items, args.ports) as layout:
        folder = Path(tmp)
        # Each cold run in turn, round after round, each on a new database or cache: the
        # machine's speed drifts, and one run of each is at the mercy of a moment.
        for round_ in range(args.rounds):
            with_articles.append(ours(layout, folder, settings, download=True,
                                      label="with articles", round_=round_))
            feeds_only.append(ours(layout, folder, settings, download=False,
                                   label="feeds only", round_=round_))
            if (seconds := newsboat(layout, folder, args.concurrency, round_)) is not None:
                peer.append(seconds)
        client_cpu(layout, settings)
    if peer:
        ours_median, peer_median = statistics.median(feeds_only), statistics.median(peer)
        verdict = "met" if ours_median <= peer_median else "missed"
        print(f"cold, median of {args.rounds}: feeds only {_median(feeds_only)}, with articles "
              f"{_median(with_articles)}; newsboat feeds only {_median(peer)}")
        print(f"target (our feeds-only refresh no slower than newsboat's): {verdict}, "
              f"{ours_median / peer_median:.2f}x newsboat's time")
        print(f"our cold refresh with articles: "
              f"{statistics.median(with_articles) / peer_median:.2f}x newsboat's feeds-only time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

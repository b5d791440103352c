"""A refresh spread over worker processes: the protocol, a worker's death, the whole run."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from fetch.conftest import FAST
from fetch.test_refresh import page, rss
from http_support import reply
from tui_reader.feeds.parse import parse_feed
from tui_reader.net.http import Fetcher, HttpSettings, host_key
from tui_reader.refresh import FeedResult, refresh_all, spread
from tui_reader.refresh import run as run_module
from tui_reader.refresh.run import Run
from tui_reader.refresh.turns import Turns, shared_turns
from tui_reader.store import FeedRow, Store

Site = Any


def publish_feeds(site: Site, store: Store, count: int) -> list[FeedRow]:
    """`count` feeds of two articles each, alternately on two host names of one server."""
    for n in range(count):
        items = [(f"f{n}-{i}", f"Story {n}.{i}", f"/p/{n}/{i}.html") for i in range(2)]
        for _, title, path in items:
            site.add(path, page(title))
        url = site.add(f"/f{n}.xml", rss(items), "application/rss+xml")
        if n % 2:
            url = url.replace("127.0.0.1", "localhost")
        store.add_feed(url, f"Feed {n}")
    return store.feeds()


@contextlib.asynccontextmanager
async def running(store: Store) -> AsyncIterator[Run]:
    """This process's side of a refresh, which records what a dead worker held."""
    async with Fetcher(FAST) as fetcher:
        run = Run(store, fetcher, download=True)
        try:
            yield run
        finally:
            run.close()


def job(store: Store, settings: HttpSettings = FAST) -> spread.Job:
    return spread.Job(store.path, settings, lanes=2, force=True, download=True, pictures=None,
                      options={}, turns=None)


async def test_feeds_are_handed_out_by_host_a_few_at_a_time_largest_first(
        site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 7)
    hosts = spread.Hosts(feeds, chunk=3)
    first = hosts.take()
    assert first is not None and [f.url for f in first] == [feeds[n].url for n in (0, 2, 4)]
    second = hosts.take()
    assert second is not None and [f.url for f in second] == [feeds[n].url for n in (1, 3, 5)]
    assert hosts.take() is None  # both hosts are out
    # The rest of the first host waits until all that was handed out of it is done.
    waiting = asyncio.create_task(hosts.next())
    for feed in first[:2]:
        hosts.done(feed)
    await asyncio.sleep(0)
    assert not waiting.done()
    hosts.done(first[2])
    assert [f.url for f in await waiting] == [feeds[6].url]
    assert len(hosts) == 0 and await hosts.next() is None
    assert spread.processes_for(due_feeds=5, hosts=2) == 1
    assert spread.processes_for(due_feeds=1000, hosts=1) == 1


def test_one_spare_process_when_workers_are_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spread.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(spread.forks, "current", lambda: None)
    assert spread.processes_for(due_feeds=1000, hosts=8) == 2
    monkeypatch.setattr(spread.forks, "current", lambda: object())
    assert spread.processes_for(due_feeds=1000, hosts=8) == 3
    assert spread.processes_for(due_feeds=1000, hosts=2) == 2  # a host is one process's
    assert spread.processes_for(due_feeds=100, hosts=8) == 2  # too few feeds for a third


def test_a_process_keeps_to_the_host_it_just_finished(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 6)
    hosts = spread.Hosts(feeds, chunk=1)
    taken = hosts.take()
    assert taken is not None
    host = hosts.done(taken[0])
    after = hosts.take(prefer=host)  # not the larger host, whose connections are elsewhere
    assert after is not None and host_key(after[0].url) == host


async def test_a_worker_process_refreshes_what_it_is_given(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 4)
    results: list[tuple[int, FeedResult]] = []
    worker = spread._Worker(job(store))
    try:
        async with running(store) as run:
            await worker.serve(spread.Hosts(feeds, chunk=1),
                               lambda f, r: results.append((f.id, r)), run)
    finally:
        worker.stop()
    assert sorted(feed_id for feed_id, _ in results) == [f.id for f in feeds]
    assert {(r.outcome, r.new) for _, r in results} == {("ok", 2)}
    assert store.counts()["all"] == 8 and worker.bytes_received > 0
    assert all(f.etag is None and f.last_error is None for f in store.feeds())
    # This process's store groups what the worker stored into stories, with its own, and
    # has the signatures the worker made.
    handed = store.hand_over()
    assert len(handed) == 8 and all(signature is not None for _, signature in handed)


async def test_a_worker_that_dies_fails_only_the_feeds_it_held(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 2)
    asked, release = threading.Event(), threading.Event()

    def stall(h: BaseHTTPRequestHandler) -> None:
        asked.set()
        release.wait(10)

    site.handle("/f0.xml", stall)
    results: list[FeedResult] = []
    worker = spread._Worker(job(store))
    hosts = spread.Hosts(feeds, chunk=1)
    try:
        async with running(store) as run:
            serving = asyncio.create_task(worker.serve(hosts, lambda f, r: results.append(r),
                                                       run))
            assert await asyncio.to_thread(asked.wait, 30)
            worker._process.kill()
            await serving
    finally:
        release.set()
        worker.stop()
    held = [r for r in results if r.url == feeds[0].url]
    assert held and held[0].outcome == "failed" and held[0].error == spread.WORKER_DIED
    assert store.feed(feeds[0].id).last_error == spread.WORKER_DIED  # type: ignore[union-attr]


async def test_refresh_all_over_two_processes(site: Site, store: Store,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    publish_feeds(site, store, 8)
    for n in range(8):  # slow pages, so this process is still busy when the worker asks
        for i in range(2):
            site.handle(f"/p/{n}/{i}.html", slow_page(f"Story {n}.{i}"))
    via_worker: list[str] = []
    serve = spread._Worker.serve

    async def watched(worker: spread._Worker, hosts: spread.Hosts, done: spread.Done,
                      run: Run) -> None:
        def noted(feed: FeedRow, result: FeedResult) -> None:
            via_worker.append(feed.url)
            done(feed, result)
        await serve(worker, hosts, noted, run)

    monkeypatch.setattr(spread._Worker, "serve", watched)
    made: list[Turns | None] = []

    @contextlib.contextmanager
    def noted_turns() -> Iterator[Turns | None]:
        with shared_turns() as turns:
            made.append(turns)
            yield turns

    monkeypatch.setattr(spread, "shared_turns", noted_turns)
    seen: list[int] = []
    # One site at a time per process: the two host names are two groups, one for each.
    async with Fetcher(HttpSettings(concurrency=1, per_host=1, retries=0)) as fetcher:
        report = await refresh_all(store, fetcher, force=True, processes=2,
                                   progress=lambda r, done, total: seen.append(done))
    assert (report.count("ok"), report.new_articles) == (8, 16)
    assert seen == list(range(1, 9))
    assert store.counts()["all"] == 16 and report.bytes_received > 0
    assert all(f.last_success is not None for f in store.feeds())
    assert 0 < len(via_worker) < 8
    # The processes took turns at the store through a lock file of this refresh's own.
    assert made and made[0] is not None and not made[0].path.exists()


def slow_page(title: str) -> Any:
    def handler(h: BaseHTTPRequestHandler) -> None:
        # Long enough to outlast a worker's start, aiohttp's import (~0.5 s) included.
        time.sleep(0.3)
        reply(h, page(title))
    return handler


async def test_nothing_new_starts_no_worker(site: Site, store: Store,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    publish_feeds(site, store, 4)
    async with Fetcher(FAST) as fetcher:
        await refresh_all(store, fetcher, force=True, processes=1)
        started: list[object] = []
        monkeypatch.setattr(spread, "_Worker", lambda job: started.append(job))
        report = await refresh_all(store, fetcher, force=True, processes=2)
    assert report.count("ok") == 4 and report.new_articles == 0
    assert started == []


async def test_feeds_never_read_start_the_workers_before_any_feed_is_read(
        site: Site, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry of a feed never read is new: the work is certain from the start."""
    publish_feeds(site, store, 4)
    events: list[str] = []

    def no_process(job: spread.Job) -> spread._Worker:
        events.append("worker")
        raise OSError("Resource temporarily unavailable")

    def parse(*args: Any) -> Any:
        events.append("parsed")
        return parse_feed(*args)

    monkeypatch.setattr(spread, "_Worker", no_process)
    monkeypatch.setattr(run_module, "parse_feed", parse)
    async with Fetcher(FAST) as fetcher:
        report = await refresh_all(store, fetcher, force=True, processes=2)
    assert report.count("ok") == 4
    assert events[0] == "worker" and events.count("parsed") == 4


async def test_workers_that_cannot_start_leave_the_work_here(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_feeds(site, store, 6)
    tried: list[spread.Job] = []

    def no_process(job: spread.Job) -> spread._Worker:
        tried.append(job)
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(spread, "_Worker", no_process)
    # One site at a time here, so the second site is still waiting when workers are wanted.
    async with Fetcher(HttpSettings(concurrency=1, per_host=1, retries=0)) as fetcher:
        report = await refresh_all(store, fetcher, force=True, processes=2)
    assert (report.count("ok"), report.new_articles) == (6, 12)
    assert len(tried) == 1

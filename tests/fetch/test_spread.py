"""A refresh spread over worker processes: the protocol, a worker's death, the whole run."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from fetch.conftest import FAST
from fetch.test_refresh import page, rss
from http_support import reply
from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.refresh import FeedResult, refresh_all, spread
from tui_reader.refresh.run import Run
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
                      options={})


def test_feeds_are_grouped_by_host_largest_first(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 5)
    groups = spread.host_groups(feeds)
    assert [len(g) for g in groups] == [3, 2]
    assert spread.processes_for(due_feeds=5, hosts=2) == 1
    assert spread.processes_for(due_feeds=1000, hosts=1) == 1


async def test_a_worker_process_refreshes_what_it_is_given(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 4)
    results: list[tuple[int, FeedResult]] = []
    worker = spread._Worker(job(store))
    try:
        async with running(store) as run:
            await worker.serve(spread.host_groups(feeds),
                               lambda f, r: results.append((f.id, r)), run)
    finally:
        worker.stop()
    assert sorted(feed_id for feed_id, _ in results) == [f.id for f in feeds]
    assert {(r.outcome, r.new) for _, r in results} == {("ok", 2)}
    assert store.counts()["all"] == 8 and worker.bytes_received > 0
    assert all(f.etag is None and f.last_error is None for f in store.feeds())


async def test_a_worker_that_dies_fails_only_the_feeds_it_held(site: Site, store: Store) -> None:
    feeds = publish_feeds(site, store, 2)
    asked, release = threading.Event(), threading.Event()

    def stall(h: BaseHTTPRequestHandler) -> None:
        asked.set()
        release.wait(10)

    site.handle("/f0.xml", stall)
    results: list[FeedResult] = []
    worker = spread._Worker(job(store))
    groups = deque([[feeds[0]], [feeds[1]]])
    try:
        async with running(store) as run:
            serving = asyncio.create_task(worker.serve(groups, lambda f, r: results.append(r),
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

    async def watched(worker: spread._Worker, groups: spread.Groups, done: spread.Done,
                      run: Run) -> None:
        def noted(feed: FeedRow, result: FeedResult) -> None:
            via_worker.append(feed.url)
            done(feed, result)
        await serve(worker, groups, noted, run)

    monkeypatch.setattr(spread._Worker, "serve", watched)
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

"""A large refresh spread over processes: parsing and cleaning are CPU work, and one Python
process uses one core.

Feeds are grouped by host, so each site is talked to by one process and the per-host limit
still holds. Groups are handed out as processes ask for them, this one included: a worker's
interpreter takes a few tenths of a second to start, and the groups it would have taken are
done meanwhile. Each process has its own store connection and a fetcher with its share of
the concurrency, and reports each feed as it finishes. A worker that dies fails only the
feeds it held; nothing it committed is lost.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from tui_reader.config import FeedOptions
from tui_reader.net.http import Fetcher, HttpSettings, host_key
from tui_reader.pictures import Pictures
from tui_reader.refresh.channel import Channel
from tui_reader.refresh.report import FeedResult
from tui_reader.refresh.run import Run
from tui_reader.store import FeedRow, Store, StoreError

# Fewer due feeds than this per process and a worker costs more to start than it saves.
MIN_FEEDS_PER_PROCESS = 40
WORKER_DIED = "the refresh worker process stopped unexpectedly"
Groups = deque[list[FeedRow]]
Done = Callable[[FeedRow, FeedResult], None]


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker process needs to refresh as this one does; pickled once, at its start."""

    db: Path
    settings: HttpSettings
    lanes: int
    force: bool
    download: bool
    pictures: Pictures | None
    options: Mapping[str, FeedOptions]


def processes_for(due_feeds: int, hosts: int) -> int:
    """How many processes a refresh of this size is worth: one per core at most."""
    if not sys.executable:  # embedded: no interpreter to start workers with
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, hosts, due_feeds // MIN_FEEDS_PER_PROCESS))


def host_groups(feeds: list[FeedRow]) -> Groups:
    """Feeds by host, the largest groups first so the longest work starts earliest."""
    by_host: dict[str, list[FeedRow]] = {}
    for feed in feeds:
        by_host.setdefault(host_key(feed.url), []).append(feed)
    return deque(sorted(by_host.values(), key=len, reverse=True))


async def refresh_spread(store: Store, settings: HttpSettings, groups: Groups,
                         processes: int, done: Done, *, force: bool, download: bool,
                         pictures: Pictures | None,
                         options: Mapping[str, FeedOptions]) -> int:
    """Refresh the `host_groups` here and in up to `processes - 1` workers, taking them off
    `groups`; returns bytes received.

    The workers start once a feed turns out to have new entries, so a refresh where every
    feed answers 304 never pays for them.
    """
    # Each process keeps as many sites going as the whole concurrency could serve, and its
    # fetcher's share of the concurrency bounds what is really in flight.
    share = replace(settings, concurrency=max(settings.per_host,
                                              settings.concurrency // processes))
    lanes = max(1, settings.concurrency // settings.per_host)
    job = Job(store.path, share, lanes, force, download, pictures, dict(options))
    async with Fetcher(share) as fetcher:
        run = Run(store, fetcher, download, pictures, options)
        helpers = asyncio.create_task(_workers(run, job, processes - 1, groups, done))
        try:
            await asyncio.gather(*(_lane(run, groups, force, done) for _ in range(lanes)))
            if not run.found_work.is_set():
                helpers.cancel()
            await asyncio.wait([helpers])
        finally:
            if not helpers.done():
                helpers.cancel()
                await asyncio.wait([helpers])
            run.close()
        return fetcher.bytes_received + (0 if helpers.cancelled() else helpers.result())


async def _lane(run: Run, groups: Groups, force: bool, done: Done) -> None:
    while groups:
        await run.feeds(groups.popleft(), force, done)


async def _workers(run: Run, job: Job, count: int, groups: Groups, done: Done) -> int:
    """Start `count` workers once there is work to share, and serve them; bytes received."""
    await run.found_work.wait()
    if not groups:
        return 0
    workers: list[_Worker] = []
    try:
        # A worker that cannot start (no interpreter to spawn, no processes left) leaves its
        # share to the others and to this process.
        with contextlib.suppress(OSError):
            for _ in range(count):
                workers.append(_Worker(job))
        await asyncio.gather(*(worker.serve(groups, done, run) for worker in workers))
    finally:
        for worker in workers:
            worker.stop()
    return sum(worker.bytes_received for worker in workers)


class _Worker:
    """A worker process seen from this one: hands it groups, passes its results on.

    A process of its own (`refresh.worker`) rather than a multiprocessing one: that would
    re-run this program's main module, and starting it needs a real stderr, which the
    reader's screen does not have. It is in a session of its own, so Ctrl-C reaches only
    this process, which decides what becomes of it.
    """

    def __init__(self, job: Job) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tui_reader.refresh.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._channel = Channel(self._process.stdout, self._process.stdin)
        # Its blocking reads wait on a thread of its own: in the loop's shared pool, many
        # workers' reads could hold every thread and stall this process's DNS lookups.
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tui-reader-pipe")
        _running.add(self._process)
        self._held: dict[int, FeedRow] = {}
        self._finished = False
        self.bytes_received = 0
        try:
            self._channel.send(job)
        except OSError:  # it died at once
            self.stop()
            raise

    async def serve(self, groups: Groups, done: Done, run: Run) -> None:
        """Answer the worker until it has finished, or fail what it held if it dies (its
        errors recorded through `run`, whose store calls take their turn on its thread)."""
        error = WORKER_DIED
        loop = asyncio.get_running_loop()
        try:
            while True:
                kind, value = await loop.run_in_executor(self._reader, self._channel.receive)
                if kind == "next":
                    group = groups.popleft() if groups else None
                    self._held.update((feed.id, feed) for feed in group or ())
                    self._channel.send(group)
                elif kind == "result":
                    feed_id, result = value
                    done(self._held.pop(feed_id), result)
                elif kind == "crashed":
                    error = f"{WORKER_DIED}: {value}"
                else:
                    self.bytes_received, self._finished = value, True
                    return
        except (EOFError, OSError):
            pass
        for feed in self._held.values():
            with contextlib.suppress(StoreError):
                await run.db(run.store.record_feed_result, feed.id, error=error, status=None)
            done(feed, FeedResult(feed.url, feed.title, "failed", error=error))
        self._held.clear()

    def stop(self) -> None:
        """Reap a finished worker; one still working (the refresh was cancelled) is killed:
        what it committed stays, and the rest is fetched again next time."""
        if not self._finished:
            self._process.kill()
        self._process.wait()
        _running.discard(self._process)
        self._reader.shutdown(wait=True)  # a read still waiting met the end of the pipe
        with contextlib.suppress(OSError):
            self._channel.close()


# Workers of a refresh abandoned when the program exits (the reader quit mid-refresh).
_running: set[subprocess.Popen[bytes]] = set()


@atexit.register
def _stop_running() -> None:
    for process in _running:
        process.kill()

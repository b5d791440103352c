"""A large refresh spread over processes: parsing and cleaning are CPU work, and one Python
process uses one core.

Feeds are handed out by host, a few at a time, to whichever process asks, this one included:
a host is worked on by one process at a time, so the per-host limit still holds, but its next
feeds can go to another process once the last ones are done. A worker's interpreter takes a
few tenths of a second to start, and it is started as soon as there is work to share; what it
would have taken is done here meanwhile, and at the end work moves to whichever process is
free instead of waiting on one that started late. Each process has its own store connection
and a fetcher with its share of the concurrency, and reports each feed as it finishes. A
worker that dies fails only the feeds it held; nothing it committed is lost.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import heapq
import logging
import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from tui_reader.config import FeedOptions
from tui_reader.net.http import Fetcher, HttpSettings, host_key
from tui_reader.pictures import Pictures
from tui_reader.refresh import forks
from tui_reader.refresh.channel import Channel
from tui_reader.refresh.forks import Forked
from tui_reader.refresh.report import FeedResult
from tui_reader.refresh.run import Run
from tui_reader.refresh.turns import Turns, shared_turns
from tui_reader.store import FeedRow, Store, StoreError

# Fewer due feeds than this per process and a worker costs more to start than it saves.
MIN_FEEDS_PER_PROCESS = 40
# Feeds of one host handed out at once, in per-host slots: enough to keep the host's slots
# busy, few enough that the last of a large refresh is shared out evenly.
CHUNK_PER_SLOT = 2
WORKER_DIED = "the refresh worker process stopped unexpectedly"
log = logging.getLogger(__name__)
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
    turns: Path | None


def processes_for(due_feeds: int, hosts: int) -> int:
    """How many processes a refresh of this size is worth: one per core, and one more when
    workers are forked (see `forks`).

    Each process waits at times: for its turn at the database, for a host another process
    holds, for the answer to its ask for feeds. A spare process keeps the cores busy
    meanwhile: on two cores it takes about 8% off a large refresh of feeds only and 2-3%
    with articles. It is not worth a new interpreter's start-up."""
    if not sys.executable:  # embedded: no interpreter to start workers with
        return 1
    cores = _cores()
    if forks.current() is not None:  # made only where there are two cores or more
        cores += 1
    return max(1, min(cores, hosts, due_feeds // MIN_FEEDS_PER_PROCESS))


def most_workers() -> int:
    """The most workers a refresh forks: `processes_for` a large one, less its own."""
    return _cores()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Hosts:
    """The feeds of a refresh by host, handed out `chunk` at a time, the host with the most
    waiting first so the longest work starts earliest.

    A host is out to one process at a time: its next feeds wait until every feed handed out
    before is reported `done` by whoever took it, so two processes never talk to one site at
    once.
    """

    def __init__(self, feeds: list[FeedRow], chunk: int) -> None:
        self.chunk = max(1, chunk)
        self._waiting: dict[str, deque[FeedRow]] = {}
        for feed in feeds:
            self._waiting.setdefault(host_key(feed.url), deque()).append(feed)
        # Feeds out per host, and the host of each feed out.
        self._out: dict[str, int] = {}
        self._host_of: dict[int, str] = {}
        self._changed = asyncio.Event()
        # The free hosts, most feeds waiting first, then in the order they came: an entry
        # is (-feeds waiting, rank, host), and one whose host has since been taken, or has
        # fewer waiting, is passed over (a host is pushed again once it is free). Picking
        # the largest by a scan of every host made a refresh of thousands of sites quadratic.
        self._rank = {host: rank for rank, host in enumerate(self._waiting)}
        self._free = [(-len(queue), self._rank[host], host)
                      for host, queue in self._waiting.items()]
        heapq.heapify(self._free)

    def __len__(self) -> int:
        """Hosts with feeds still waiting."""
        return len(self._waiting)

    def take(self, prefer: str | None = None) -> list[FeedRow] | None:
        """The next feeds of `prefer` if it is free (the host the asker just finished: its
        connections are still open there), else of the largest host not out; None when every
        waiting host is out."""
        if prefer in self._waiting and prefer not in self._out:
            host = prefer
        else:
            while True:
                if not self._free:
                    return None
                size, _, host = heapq.heappop(self._free)
                waiting = self._waiting.get(host)
                if waiting is not None and host not in self._out and -size == len(waiting):
                    break
        queue = self._waiting[host]
        feeds = [queue.popleft() for _ in range(min(self.chunk, len(queue)))]
        if not queue:
            del self._waiting[host]
            self._notify()  # those waiting for a host learn there is none left
        self._out[host] = len(feeds)
        self._host_of.update((feed.id, host) for feed in feeds)
        return feeds

    async def next(self, prefer: str | None = None) -> list[FeedRow] | None:
        """The next feeds, waiting for a host to be done if all are out; None once none wait."""
        while self._waiting:
            feeds = self.take(prefer)
            if feeds is not None:
                return feeds
            changed = self._changed
            await changed.wait()
        return None

    def done(self, feed: FeedRow) -> str:
        """A feed handed out is finished (or failed): its host, free once all its are."""
        host = self._host_of.pop(feed.id)
        self._out[host] -= 1
        if not self._out[host]:
            del self._out[host]
            if (queue := self._waiting.get(host)) is not None:
                heapq.heappush(self._free, (-len(queue), self._rank[host], host))
            self._notify()
        return host

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()


async def refresh_spread(store: Store, settings: HttpSettings, feeds: list[FeedRow],
                         processes: int, done: Done, *, force: bool, download: bool,
                         pictures: Pictures | None,
                         options: Mapping[str, FeedOptions]) -> int:
    """Refresh `feeds` here and in up to `processes - 1` workers; returns bytes received.

    The workers start once a feed turns out to have new entries, or at once when a feed has
    never been read, so a refresh where every feed answers 304 never pays for them.
    """
    # Each process keeps as many sites going as the whole concurrency could serve, and its
    # fetcher's share of the concurrency bounds what is really in flight.
    share = replace(settings, concurrency=max(settings.per_host,
                                              settings.concurrency // processes))
    lanes = max(1, settings.concurrency // settings.per_host)
    hosts = Hosts(feeds, CHUNK_PER_SLOT * settings.per_host)
    # A due feed never read has nothing but new entries: with one, the work is certain and
    # the workers start at once, not once the first answer is in (some 15 ms on loopback).
    now = datetime.now(UTC)
    certain = any(feed.last_success is None and feed.due(now, force=force) for feed in feeds)
    with shared_turns() as turns:
        job = Job(store.path, share, lanes, force, download, pictures, dict(options),
                  turns.path if turns else None)
        return await _spread(store, share, job, hosts, processes, done, turns, certain)


async def _spread(store: Store, share: HttpSettings, job: Job, hosts: Hosts, processes: int,
                  done: Done, turns: Turns | None, certain: bool) -> int:
    async with Fetcher(share) as fetcher:
        run = Run(store, fetcher, job.download, job.pictures, job.options, turns)
        helpers = _Helpers(run, job, processes - 1, hosts, done)
        run.on_work = helpers.start
        if certain:
            helpers.start()
        try:
            await asyncio.gather(*(_lane(run, hosts, job.force, done)
                                   for _ in range(job.lanes)))
            await helpers.finish()
        finally:
            await helpers.stop()
            run.close()
        return fetcher.bytes_received + helpers.bytes_received


async def _lane(run: Run, hosts: Hosts, force: bool, done: Done) -> None:
    last: str | None = None

    def finished(feed: FeedRow, result: FeedResult) -> None:
        nonlocal last
        last = hosts.done(feed)
        done(feed, result)

    while (feeds := await hosts.next(last)) is not None:
        await run.feeds(feeds, force, finished)


class _Helpers:
    """The workers of one refresh, started on the first sign of work (`start`, called by the
    run as soon as a feed has new entries) and served until they are done."""

    def __init__(self, run: Run, job: Job, count: int, hosts: Hosts, done: Done) -> None:
        self._run = run
        self._job = job
        self._count = count
        self._hosts = hosts
        self._done = done
        self._workers: list[_Worker] = []
        self._serving: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start the workers now, once, if feeds are still waiting for a process."""
        if self._count == 0 or not self._hosts:
            return
        count, self._count = self._count, 0
        # A worker that cannot start (no interpreter to spawn, no processes left) leaves its
        # share to the others and to this process.
        with contextlib.suppress(OSError):
            for _ in range(count):
                self._workers.append(_Worker(self._job))
        # Each is sent its first feeds at once, as the answer to the ask it is about to make:
        # this process's loop, busy with its own first feeds, took some 60 ms to get to
        # that ask, while the worker waited with a core free.
        for worker in self._workers:
            if (feeds := self._hosts.take()) is not None:
                worker.answer_ahead(feeds)
        self._serving = [asyncio.create_task(worker.serve(self._hosts, self._done, self._run))
                         for worker in self._workers]

    async def finish(self) -> None:
        """Wait for the workers to finish what they hold."""
        await asyncio.gather(*self._serving)

    async def stop(self) -> None:
        """Stop serving the workers, and kill any still working (the refresh was cancelled)."""
        for task in self._serving:
            task.cancel()
        if self._serving:
            await asyncio.wait(self._serving)
        for worker in self._workers:
            worker.stop()

    @property
    def bytes_received(self) -> int:
        return sum(worker.bytes_received for worker in self._workers)


class _Worker:
    """A worker process seen from this one: hands it feeds, passes its results on.

    Forked by the zygote (`forks`) when this process made one, else a process of its own
    (`refresh.worker`) rather than a multiprocessing one: that would re-run this program's
    main module, and starting it needs a real stderr, which the reader's screen does not
    have. Either way it is in a session of its own, so Ctrl-C reaches only this process,
    which decides what becomes of it.
    """

    def __init__(self, job: Job) -> None:
        self._process: subprocess.Popen[bytes] | Forked
        zygote = forks.current()
        forked = None
        if zygote is not None:
            with contextlib.suppress(OSError):  # started as an interpreter instead
                forked = zygote.fork_worker()
        log.debug("refresh worker %s", "forked" if forked else "started as an interpreter")
        if forked is not None:
            self._process, sock = forked
            self._channel = Channel(sock.makefile("rb"), sock.makefile("wb"))
            sock.close()  # the channel's files keep it open
        else:
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
        # Asks already answered before they arrived (`answer_ahead`).
        self._answered = 0
        self._finished = False
        self.bytes_received = 0
        try:
            self._channel.send(job)
        except OSError:  # it died at once
            self.stop()
            raise

    async def serve(self, hosts: Hosts, done: Done, run: Run) -> None:
        """Answer the worker until it has finished, or fail what it held if it dies (its
        errors recorded through `run`, whose store calls take their turn on its thread). The
        articles it stored come with its reports, to be grouped by `run`'s store.

        Its asks for feeds are answered on a task of their own: one may wait for a host this
        very worker holds, whose results must keep coming meanwhile.
        """
        error = WORKER_DIED
        loop = asyncio.get_running_loop()
        asked: asyncio.Task[None] | None = None
        last: str | None = None  # the host of the last feed it finished
        try:
            while True:
                kind, value = await loop.run_in_executor(self._reader, self._channel.receive)
                if kind == "next" and self._answered:
                    self._answered -= 1
                elif kind == "next":
                    asked = asyncio.create_task(self._hand_out(hosts, last))
                elif kind == "result":
                    feed_id, result, arrived = value
                    run.store.take_over(arrived)
                    feed = self._held.pop(feed_id)
                    last = hosts.done(feed)
                    done(feed, result)
                elif kind == "crashed":
                    error = f"{WORKER_DIED}: {value}"
                else:
                    self.bytes_received, arrived = value
                    run.store.take_over(arrived)
                    self._finished = True
                    return
        except (EOFError, OSError):
            pass
        finally:
            if asked is not None:
                asked.cancel()
        for feed in self._held.values():
            with contextlib.suppress(StoreError):
                await run.db(run.store.record_feed_result, feed.id, error=error, status=None)
            hosts.done(feed)
            done(feed, FeedResult(feed.url, feed.title, "failed", error=error))
        self._held.clear()

    def answer_ahead(self, feeds: list[FeedRow]) -> None:
        """Send `feeds` as the answer to the worker's next ask, before it arrives."""
        self._answered += 1
        self._send(feeds)

    async def _hand_out(self, hosts: Hosts, prefer: str | None) -> None:
        self._send(await hosts.next(prefer))

    def _send(self, feeds: list[FeedRow] | None) -> None:
        self._held.update((feed.id, feed) for feed in feeds or ())
        with contextlib.suppress(OSError):  # it died: `serve` fails what it held
            self._channel.send(feeds)

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
_running: set[subprocess.Popen[bytes] | Forked] = set()


@atexit.register
def _stop_running() -> None:
    for process in _running:
        process.kill()

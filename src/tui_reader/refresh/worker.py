"""A refresh worker process, started by `spread`: forked (see `forks`) where it can be,
else as `python -m tui_reader.refresh.worker`.

It reads its Job, then asks for feeds and refreshes them until there are none, reporting
each feed, and at the end the articles it stored, which the parent groups into stories. Its
channel is a socket when forked, its standard output otherwise, and anything else that
would print is sent to /dev/null: it writes nothing to the terminal, which may be showing
the reader, and a failure goes to the parent as a message.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

from tui_reader import log
from tui_reader.collector import spaced
from tui_reader.net.http import Fetcher
from tui_reader.refresh.channel import Channel
from tui_reader.refresh.report import FeedResult
from tui_reader.refresh.run import Run
from tui_reader.refresh.spread import Job
from tui_reader.refresh.turns import Turns
from tui_reader.store import FeedRow, Store


def main() -> None:
    """A worker started as an interpreter: its channel is its standard input and output."""
    asked = log.asked_in_environment()
    log.start(asked if isinstance(asked, Path) else None)  # the parent's debug log, if any
    channel = Channel(sys.stdin.buffer, os.fdopen(os.dup(1), "wb"))
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)  # sys.stdout now writes there too
    os.close(nowhere)
    _serve(channel)


def serve_socket(sock: socket.socket) -> NoReturn:
    """A worker forked by `forks`: it has the parent's modules and log already, and its
    channel is a socket."""
    _serve(Channel(sock.makefile("rb"), sock.makefile("wb")))


def preload() -> None:
    """What a worker needs that the refresh loads only when an article arrives: grouping's
    word lists and stemmer (about 26 ms of imports), loaded by `forks` before it forks any
    worker, so that each has them."""
    import tui_reader.store.stories  # noqa: F401


def _serve(channel: Channel) -> NoReturn:
    try:
        job: Job = channel.receive()
        asyncio.run(_work(channel, job))
    except EOFError:  # the parent has gone: nobody to report to
        os._exit(1)
    except Exception as exc:
        try:
            channel.send(("crashed", f"{type(exc).__name__}: {exc}"))
        finally:
            os._exit(1)
    # Everything is committed and reported: skip the interpreter's slow tidy-up.
    os._exit(0)


async def _work(channel: Channel, job: Job) -> None:
    asking = asyncio.Lock()

    async def next_group() -> list[FeedRow] | None:
        async with asking:
            channel.send(("next", None))
            group: list[FeedRow] | None = await asyncio.to_thread(channel.receive)
            return group

    def done(feed: FeedRow, result: FeedResult) -> None:
        # With the articles stored since the last report and their signatures: handed over
        # as they come, they are unpickled while the refresh still runs, not at its end.
        channel.send(("result", (feed.id, result, store.hand_over())))

    async def lane(run: Run) -> None:
        while (group := await next_group()) is not None:
            await run.feeds(group, job.force, done)

    turns = Turns(job.turns) if job.turns else None
    with spaced(), Store.open(job.db) as store:
        async with Fetcher(job.settings) as fetcher:
            run = Run(store, fetcher, job.download, job.pictures, job.options, turns)
            try:
                await asyncio.gather(*(lane(run) for _ in range(job.lanes)))
            finally:
                run.close()
            # What it stored is grouped into stories by the parent, with the rest of the refresh.
            channel.send(("done", (fetcher.bytes_received, store.hand_over())))


if __name__ == "__main__":
    main()

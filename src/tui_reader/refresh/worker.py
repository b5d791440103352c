"""A refresh worker process: `python -m tui_reader.refresh.worker`, started by `spread`.

It reads its Job, then asks for feeds and refreshes them until there are none, reporting
each feed, and at the end the articles it stored, which the parent groups into stories. Its
standard output is the channel back, so anything else that would print there is sent to
/dev/null, and it writes nothing to the terminal, which may be showing the reader: a failure
goes to the parent as a message.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tui_reader import log
from tui_reader.net.http import Fetcher
from tui_reader.refresh.channel import Channel
from tui_reader.refresh.report import FeedResult
from tui_reader.refresh.run import Run
from tui_reader.refresh.spread import Job
from tui_reader.refresh.turns import Turns
from tui_reader.store import FeedRow, Store


def main() -> None:
    asked = log.asked_in_environment()
    log.start(asked if isinstance(asked, Path) else None)  # the parent's debug log, if any
    channel = Channel(sys.stdin.buffer, os.fdopen(os.dup(1), "wb"))
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)  # sys.stdout now writes there too
    os.close(nowhere)
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
        channel.send(("result", (feed.id, result)))

    async def lane(run: Run) -> None:
        while (group := await next_group()) is not None:
            await run.feeds(group, job.force, done)

    turns = Turns(job.turns) if job.turns else None
    with Store.open(job.db) as store:
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

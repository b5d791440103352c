"""Refreshing: feeds fetched, new articles downloaded, cleaned and stored. No UI.

`run` is the pipeline in one process, `spread` the same over several processes for a large
refresh, `report` what came of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from tui_reader.collector import spaced
from tui_reader.config import FeedOptions
from tui_reader.net.http import Fetcher, host_key
from tui_reader.pictures import Pictures
from tui_reader.refresh import forks
from tui_reader.refresh.report import (
    FeedResult,
    Outcome,
    Progress,
    RefreshReport,
    feed_status,
    format_size,
)
from tui_reader.refresh.run import (
    FEED_CAP,
    PAGE_CAP,
    Run,
    entry_hash,
    fetch_article,
    refresh_feed,
    subscribe,
)
from tui_reader.refresh.spread import most_workers, processes_for, refresh_spread
from tui_reader.store import FeedRow, Store

__all__ = [
    "FEED_CAP",
    "PAGE_CAP",
    "FeedResult",
    "Outcome",
    "Progress",
    "RefreshReport",
    "entry_hash",
    "feed_status",
    "fetch_article",
    "forking",
    "format_size",
    "refresh_all",
    "refresh_feed",
    "subscribe",
]


def forking() -> AbstractContextManager[None]:
    """Let the refreshes inside fork their workers (see `forks`): entered before the
    database is opened and the event loop started, as `tui-reader refresh` does."""
    # Here, not at the top: `python -m tui_reader.refresh.worker` runs this package first,
    # which must not have imported the worker's module already.
    from tui_reader.refresh.worker import preload, serve_socket

    return forks.forking(serve_socket, preload, ahead=most_workers())


async def refresh_all(store: Store, fetcher: Fetcher, feeds: list[FeedRow] | None = None, *,
                      force: bool = False, download: bool = True,
                      progress: Progress | None = None,
                      pictures: Pictures | None = None,
                      options: Mapping[str, FeedOptions] | None = None,
                      processes: int | None = None) -> RefreshReport:
    """Every feed concurrently; one feed's failure never stops the others.

    `options` are the per-feed settings from config.toml, keyed by feed URL. `processes`
    defaults to what the refresh is worth (see `spread`); 1 keeps it all in this process.
    """
    # See `collector`: a refresh makes objects in bulk, nearly none of them in a cycle.
    with spaced():
        feeds = store.feeds() if feeds is None else feeds
        options = options or {}
        report = RefreshReport()

        def done(feed: FeedRow, result: FeedResult) -> None:
            report.results.append(result)
            if progress:
                progress(result, len(report.results), len(feeds))

        if processes is None:
            now = datetime.now(UTC)
            due = sum(1 for f in feeds if f.due(now, force=force))
            processes = processes_for(due, len({host_key(f.url) for f in feeds}))
        if processes > 1:
            report.bytes_received = await refresh_spread(
                store, fetcher.settings, feeds, processes, done, force=force, download=download,
                pictures=pictures, options=options)
            return report
        start = fetcher.bytes_received
        run = Run(store, fetcher, download, pictures, options)
        try:
            await run.feeds(feeds, force, done)
        finally:
            run.close()
        report.bytes_received = fetcher.bytes_received - start
        return report

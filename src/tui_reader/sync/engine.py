"""One sync: the outbox pushed first, then the server's subscriptions, state and new articles.

A field with a local change still queued keeps the local value; everything else takes the
server's. Every step commits on its own and the outbox loses a row only once the server has
taken it, so a sync cut short (a kill, a dropped connection) loses nothing: the next one
sends again what may not have arrived, and sending the same mark twice does no harm.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tui_reader.config import FeedOptions
from tui_reader.models import FeedEntry
from tui_reader.net.errors import FetchError
from tui_reader.net.http import Fetcher, check_url
from tui_reader.net.session import private_address
from tui_reader.pictures import Pictures
from tui_reader.refresh.run import NO_OPTIONS, Run
from tui_reader.store import Incoming, Prepared, Store, prepare
from tui_reader.store.outbox import Field, Mark, SyncStore
from tui_reader.sync.backend import Backend, Headline, RemoteArticle, RemoteFeed, SyncError

COUNTS = ("read", "unread", "starred", "unstarred", "subscribed", "unsubscribed", "feeds",
          "articles")
_MARK_NAMES: dict[tuple[Field, bool], str] = {
    ("read", True): "read", ("read", False): "unread",
    ("starred", True): "starred", ("starred", False): "unstarred"}
# New articles are saved in batches of this many, each batch one transaction.
_BATCH = 20

#: (what is happening, done, total)
SyncProgress = Callable[[str, int, int], None]


def _counts() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


@dataclass
class SyncReport:
    """`pushed.feeds`: subscription changes sent; `pushed.articles`: articles whose marks were
    sent. `pulled.feeds`: subscriptions on the server; `pulled.articles`: new articles stored."""

    pushed: dict[str, int] = field(default_factory=_counts)
    pulled: dict[str, int] = field(default_factory=_counts)
    queued: int = 0
    error: str | None = None
    # What the server refused while the rest went through, one line each.
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "pulled": self.pulled, "queued": self.queued,
                "error": self.error}

    def complaints(self) -> list[str]:
        """The lines for stderr: each change the server refused, then why the sync stopped."""
        return [*self.problems, *([self.error] if self.error else [])]

    def summary(self) -> str:
        if self.error:
            return self.error
        pushed = sum(self.pushed[k] for k in COUNTS[:6])
        pulled = self.pulled
        line = (f"synced: sent {pushed} changes; {pulled['feeds']} feeds,"
                f" {pulled['articles']} new articles")
        state = ", ".join(f"{pulled[k]} {k}" for k in COUNTS[:6] if pulled[k])
        return line + (f"; from the server: {state}" if state else "")


class _Sync:
    def __init__(self, store: Store, fetcher: Fetcher, backend: Backend,
                 pictures: Pictures | None, options: Mapping[str, FeedOptions] | None,
                 progress: SyncProgress | None) -> None:
        # Every store call runs on the refresh's own store thread, one at a time.
        self.run = Run(store, fetcher, download=True, pictures=pictures, options=options)
        self.local = SyncStore(store.conn)
        self.backend = backend
        self.progress = progress or (lambda _what, _done, _total: None)
        self.report = SyncReport()
        self.options = options or {}
        # A server on this machine or the local network may list pages there, as a feed on
        # the local network may (see refresh.run); a server on the internet may not.
        self.public_only = not _local(backend.url)

    async def db(self, call: Callable[..., Any], *args: Any) -> Any:
        return await self.run.db(call, *args)

    async def go(self) -> SyncReport:
        self.progress(f"signing in to {self.backend.url}", 0, 0)
        await self.backend.login()
        await self.push_feeds()
        remote = await self.backend.feeds()
        await self.pull_feeds(remote)
        marks: list[Mark] = await self.db(self.local.pending_marks)
        if any(m.remote_id is None for m in marks):
            # Articles stored from a direct subscription get their server ids first, so
            # their marks go out with the rest.
            await self.db(self.local.match, _keys(await self.backend.headlines()))
            marks = await self.db(self.local.pending_marks)
        await self.push_marks(marks)
        self.progress("reading the server's articles", 0, 0)
        headlines = await self.backend.headlines()
        await self.pull_articles(headlines)
        unread = {h.id for h in headlines if h.unread}
        starred = {h.id for h in headlines if h.starred}
        listed = {h.id for h in headlines}
        counts = await self.db(self.local.apply_state, listed, unread, starred)
        for key, value in counts.items():
            self.report.pulled[key] += value
        return self.report

    async def push_feeds(self) -> None:
        changes = await self.db(self.local.pending_feeds)
        if not changes:
            return
        by_url = {f.url: f for f in await self.backend.feeds()}
        for n, change in enumerate(changes):
            self.progress("sending subscriptions", n, len(changes))
            remote = by_url.get(change.url)
            if change.subscribed and remote is None:
                try:
                    feed_id = await self.backend.subscribe(change.url, change.folder)
                except SyncError as exc:
                    if exc.kept:  # the server is gone: try again next time
                        raise
                    # Refused for good (it cannot fetch the feed): the feed stays here, fetched
                    # by the refresh itself, and the other changes still go out.
                    self.report.problems.append(str(exc))
                else:
                    if feed_id is not None:
                        await self.backend.update_feed(feed_id)
                    self.report.pushed["subscribed"] += 1
            elif not change.subscribed and remote is not None:
                await self.backend.unsubscribe(remote)
                self.report.pushed["unsubscribed"] += 1
            self.report.pushed["feeds"] += 1
            await self.db(self.local.sent_feed, change)

    async def pull_feeds(self, remote: list[RemoteFeed]) -> None:
        mapped: dict[str, int] = await self.db(self.local.mapped_feeds)
        for feed in remote:
            try:
                check_url(feed.url)  # the server's word only goes as far as http and https
            except FetchError:
                continue
            # A title or folder set in config.toml wins, as in a refresh.
            options = self.options.get(feed.url) or NO_OPTIONS
            title, folder = options.title or feed.title, options.folder or feed.folder
            if await self.db(self.local.adopt_feed, feed.id, feed.url, title, folder):
                self.report.pulled["subscribed"] += 1
        present = {f.id for f in remote}
        for remote_id, feed_id in mapped.items():
            if remote_id not in present:
                await self.db(self.local.drop_feed, feed_id)
                self.report.pulled["unsubscribed"] += 1
        self.report.pulled["feeds"] = len(remote)

    async def push_marks(self, marks: list[Mark]) -> None:
        groups: dict[tuple[Field, bool], list[Mark]] = defaultdict(list)
        for mark in marks:
            if mark.remote_id is not None:
                groups[(mark.field, mark.value)].append(mark)
        articles: set[int] = set()
        for (kind, value), group in groups.items():
            self.progress(f"sending {_MARK_NAMES[(kind, value)]} marks", 0, len(group))
            await self.backend.mark([m.remote_id for m in group if m.remote_id], kind, value)
            await self.db(self.local.sent_marks, group)
            self.report.pushed[_MARK_NAMES[(kind, value)]] += len(group)
            articles.update(m.article_id for m in group)
        self.report.pushed["articles"] = len(articles)
        # A mark on an article the server never had (a feed it does not carry) has nowhere
        # to go.
        await self.db(self.local.sent_marks, [m for m in marks if m.remote_id is None])

    async def pull_articles(self, headlines: list[Headline]) -> None:
        known: dict[str, int] = await self.db(self.local.mapped_articles)
        fresh = [h for h in headlines if h.id not in known]
        if fresh:
            matched = await self.db(self.local.match, _keys(fresh))
            fresh = [h for h in fresh if h.id not in matched]
        feeds: dict[str, int] = await self.db(self.local.mapped_feeds)
        fresh = [h for h in fresh if h.feed_id in feeds]
        if not fresh:
            return
        by_id = {h.id: h for h in fresh}
        urls: dict[int, str] = await self.db(self.run.store.feed_urls)
        done = 0
        for start in range(0, len(fresh), _BATCH):
            batch = fresh[start:start + _BATCH]
            texts = await self.backend.articles([h.id for h in batch])
            stored = await asyncio.gather(*(
                self.article(by_id[t.id], t, feeds[by_id[t.id].feed_id], urls)
                for t in texts if t.id in by_id))
            await self.db(self.local.save_new, stored)
            done += len(batch)
            self.report.pulled["articles"] += len(stored)
            self.progress("downloading new articles", done, len(fresh))

    async def article(self, headline: Headline, text: RemoteArticle, feed_id: int,
                      urls: Mapping[int, str]) -> tuple[str, Prepared, bool, bool]:
        """The page downloaded and cleaned as in a refresh, the server's text the fallback.
        `urls` gives the feed's address, under which config.toml keeps its options."""
        entry = FeedEntry(guid=headline.guid, link=text.link, title=text.title,
                          author=text.author, published=text.published, content=text.content)
        options = self.options.get(urls.get(feed_id, "")) or NO_OPTIONS
        async with self.run.in_flight:
            article, page = await self.run.entry_article(entry, not options.content_only,
                                                         public_only=self.public_only)
        if self.run.pictures:
            await self.run.pictures.save(self.run.fetcher, article, public_only=self.public_only)
        guid = headline.guid or text.link or f"{self.backend.name}:{headline.id}"
        prepared = prepare(Incoming.of(article, feed_id, guid, page))
        return headline.id, prepared, headline.unread, headline.starred


def _keys(headlines: list[Headline]) -> list[tuple[str, str | None, str | None]]:
    return [(h.id, h.guid, h.link) for h in headlines]


def _local(url: str) -> bool:
    """Whether the server is on this machine or its network: then the pages its articles
    link to may be too, and refusing private addresses would refuse the person's own setup."""
    host = urlsplit(url).hostname or ""
    return host == "localhost" or bool(private_address(host))


async def sync(store: Store, fetcher: Fetcher, backend: Backend, *,
               pictures: Pictures | None = None,
               options: Mapping[str, FeedOptions] | None = None,
               progress: SyncProgress | None = None) -> SyncReport:
    """Push the outbox, then pull. Raises SyncError (nothing lost) when the server cannot be
    used; the report's `queued` counts the local changes still waiting either way."""
    work = _Sync(store, fetcher, backend, pictures, options, progress)
    try:
        report = await work.go()
        report.queued = await work.db(work.local.queued)
        return report
    finally:
        work.run.close()

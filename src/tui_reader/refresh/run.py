"""The refresh pipeline in one process: fetch feeds, download and clean new articles, store.

Shared by the CLI and the UI (which runs it in a worker thread with its own Store). Articles
are committed as they are ready and a feed's validators only once all of its entries are
in, so a refresh cut short loses nothing and the next one picks up where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tui_reader.clean import article_with_fallback, extract_article
from tui_reader.clean.charset import decode
from tui_reader.config import FeedOptions
from tui_reader.feeds.discover import discover_feeds
from tui_reader.feeds.entries import former_key
from tui_reader.feeds.parse import parse_feed
from tui_reader.models import Article, FeedEntry, ParsedFeed
from tui_reader.net.errors import FetchError, NotAFeed
from tui_reader.net.http import (
    Fetcher,
    MiB,
    Response,
    cache_lifetime,
    check_url,
    status_message,
)
from tui_reader.pictures import Pictures
from tui_reader.refresh.report import FeedResult
from tui_reader.refresh.turns import Turns
from tui_reader.store import FeedRow, Incoming, Prepared, Store, StoreError, prepare

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
FEED_CAP = 5 * MiB
PAGE_CAP = 10 * MiB
# Seconds one feed's new entries (their pages and pictures) may take in one refresh. Each
# request has its own deadline, but 500 entries of slow pages would add up to hours; what is
# not done by then is left for the next refresh, which finds those entries still new.
FEED_BUDGET = 180.0
T = TypeVar("T")
NO_OPTIONS = FeedOptions()


def entry_hash(entry: FeedEntry) -> str:
    """What makes an entry worth updating in place when it comes back changed."""
    parts = (entry.title, entry.link or "", entry.content, entry.summary,
             entry.updated.isoformat() if entry.updated else "")
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def _http_error(response: Response, url: str) -> FetchError | None:
    """The failure a status means for a subscribed feed, with advice where there is some."""
    if response.status == 410:
        return FetchError(f"feed is gone (HTTP 410); unsubscribe with: tui-reader remove {url}",
                          410)
    if response.status >= 400:
        return FetchError(status_message(response.status), response.status)
    return None


def _wait(server: float | None, options: FeedOptions) -> float | None:
    """The longer of what the server asks and the feed's own interval from config.toml."""
    if options.refresh_minutes is None:
        return server
    return max(server or 0.0, options.refresh_minutes * 60.0)


def _due(seconds: float | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(seconds=seconds) if seconds else None


class Run:
    """One refresh run: the shared store and fetcher, and a bound on articles in flight.

    Feeds are parsed and pages cleaned right on the run's event loop, which is its own (the
    reader runs a refresh on a worker thread, and a large one spreads over processes): with
    that CPU work on a thread beside the loop, every socket call would wait for the GIL.

    Pages wait for the cleaner once downloaded; the bound keeps a fast network from piling
    thousands of them up in memory. Store calls run one at a time on their own thread: SQLite
    lets go of the GIL, so commits overlap with downloads instead of stalling them. Articles
    are saved in batches, everything ready since the last commit in the next one. With
    `turns`, each store call waits for its turn among the refresh's processes.
    """

    def __init__(self, store: Store, fetcher: Fetcher, download: bool,
                 pictures: Pictures | None = None,
                 options: Mapping[str, FeedOptions] | None = None,
                 turns: Turns | None = None) -> None:
        self.store = store
        self.turns = turns
        self.fetcher = fetcher
        self.download = download
        self.pictures = pictures
        self.options = options or {}
        self.in_flight = asyncio.Semaphore(fetcher.settings.concurrency * 2)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tui-reader-store")
        self._unsaved: list[tuple[Prepared, asyncio.Future[tuple[int, bool]]]] = []
        self._saving: asyncio.Task[None] | None = None
        # Called (once per feed, as soon as it is known) when a feed has entries to download
        # or clean: CPU work worth sharing out.
        self.on_work: Callable[[], None] | None = None

    async def db(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A store call that writes, in this process's turn."""
        job = functools.partial(call, *args, **kwargs)
        if self.turns is not None:
            job = functools.partial(self.turns.run, job)
        return await asyncio.get_running_loop().run_in_executor(self._writer, job)

    async def read(self, call: Callable[..., T], *args: Any) -> T:
        """A store call that only reads: no turn needed, as readers never wait in WAL."""
        return await asyncio.get_running_loop().run_in_executor(
            self._writer, functools.partial(call, *args))

    def save(self, item: Incoming) -> asyncio.Future[tuple[int, bool]]:
        """(id, new) once the article is committed, with whatever else was ready by then.

        Its columns are made here, on the loop: the writer thread then only waits on
        SQLite, which lets go of the GIL, instead of taking it from the loop for JSON and
        zlib."""
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self._unsaved.append((prepare(item), future))
        if self._saving is None:
            self._saving = asyncio.create_task(self._save_batches())
        return future

    async def _save_batches(self) -> None:
        try:
            while self._unsaved:
                batch, self._unsaved = self._unsaved, []
                try:
                    saved = await self.db(self.store.save_articles, [item for item, _ in batch])
                except Exception as exc:  # each article's feed fails with it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                else:
                    for (_, future), result in zip(batch, saved, strict=True):
                        if not future.done():
                            future.set_result(result)
        finally:
            self._saving = None

    def close(self) -> None:
        if self._saving is not None:
            self._saving.cancel()
        self._writer.shutdown(wait=True)

    def _found_work(self) -> None:
        if self.on_work is not None:
            self.on_work()

    async def feeds(self, feeds: Iterable[FeedRow], force: bool,
                    done: Callable[[FeedRow, FeedResult], None]) -> None:
        """Every feed concurrently, each result to `done`; one feed's failure never stops
        the others."""

        async def one(feed: FeedRow) -> None:
            try:
                result = await self.feed(feed, force)
            except Exception as exc:  # a bug or a full disk must not take the other feeds down
                error = f"unexpected error: {type(exc).__name__}: {exc}"
                result = FeedResult(feed.url, feed.title, "failed", error=error)
                with contextlib.suppress(StoreError):
                    await self.db(self.store.record_feed_result, feed.id, error=error,
                                  status=None)
            done(feed, result)

        await asyncio.gather(*(one(f) for f in feeds))

    async def feed(self, feed: FeedRow, force: bool) -> FeedResult:
        options = (self.options.get(feed.url) or self.options.get(feed.first_url or "")
                   or NO_OPTIONS)
        if options.folder is not None and options.folder != feed.folder:
            await self.db(self.store.set_folder, feed.id, options.folder)
        result = FeedResult(feed.url, options.title or feed.title, "ok")
        if not feed.due(datetime.now(UTC), force=force):
            result.outcome = "skipped"
            return result
        try:
            response = await self.fetcher.get(feed.url, max_bytes=FEED_CAP, etag=feed.etag,
                                              last_modified=feed.last_modified, accept=FEED_ACCEPT)
            result.status = response.status
            if response.not_modified:
                lifetime = cache_lifetime(response.headers, feed.ttl_minutes)
                await self.db(self.store.record_feed_result, feed.id, error=None, status=304,
                              next_due=_due(_wait(lifetime, options)))
                result.outcome = "unchanged"
                return result
            error = _http_error(response, feed.url)
            if error:
                raise error
            parsed = parse_feed(response.content, response.url, response.content_type)
            if feed.last_success is None and parsed.entries:
                self._found_work()  # never read before: every entry is new
        except (FetchError, NotAFeed) as exc:
            status = exc.status if isinstance(exc, FetchError) else result.status
            retry = exc.retry_after if isinstance(exc, FetchError) else None
            await self.db(self.store.record_feed_result, feed.id, error=str(exc),
                          status=status, next_due=_due(retry))
            result.outcome, result.error, result.status = "failed", str(exc), status
            return result
        if response.moved_to and response.moved_to != feed.url:
            await self.db(self.store.move_feed, feed.id, response.moved_to)
        result.title = options.title or parsed.title or feed.title
        download = self.download and not options.content_only
        # A public feed's links are never followed to a private address: no feed gets the
        # reader to probe the local network. A feed on the local network may link there.
        await self._entries(feed, parsed, result, response.url, download=download,
                            public_only=not response.private)
        lifetime = _wait(cache_lifetime(response.headers, parsed.ttl_minutes), options)
        # Cut short by the budget: no validators (a 304 next time would hide the entries
        # left) and due again at once.
        whole = not result.left
        await self.db(
            self.store.record_feed_result, feed.id, error=None, status=response.status,
            title=result.title, site_url=parsed.site_url, etag=response.etag,
            last_modified=response.last_modified, validators=whole,
            bozo=parsed.bozo, next_due=_due(lifetime) if whole else None,
            ttl_minutes=parsed.ttl_minutes, entries_cut=parsed.cut,
        )
        return result

    async def _entries(self, feed: FeedRow, parsed: ParsedFeed, result: FeedResult, base: str,
                       *, download: bool, public_only: bool) -> None:
        known = await self.read(self.store.entry_hashes, feed.id)
        # Entries stored by a release that resolved RSS and Atom ids against the feed's address
        # take the id as written as their key, so they are not stored a second time (a feed
        # with nothing stored has nothing to take over, and resolving is a tenth of its work).
        rekeyed: dict[str, str] = {}
        for entry in [] if not known or parsed.kind.startswith("json") else parsed.entries:
            if entry.guid and entry.guid not in known:
                former = former_key(entry.guid, base)
                if former and former in known:
                    rekeyed[former] = entry.guid
        if rekeyed:
            await self.db(self.store.rekey, feed.id, rekeyed)
            for former, new in rekeyed.items():
                known[new] = known.pop(former)
        todo: dict[str, tuple[FeedEntry, str]] = {}
        for entry in parsed.entries:
            key = entry.key
            if not key or key in todo:
                continue
            digest = entry_hash(entry)
            if known.get(key) != digest:
                todo[key] = (entry, digest)
        if todo:
            self._found_work()

        if not download and not self.pictures:
            # The feed's own text is each article: nothing to wait for but the store.
            saved = await asyncio.gather(*(
                self.save(Incoming.of(article_with_fallback(None, entry), feed.id, key, None,
                                      digest)) for key, (entry, digest) in todo.items()))
            added = sum(new for _, new in saved)
            result.new += added
            result.updated += len(saved) - added
            return

        stored = 0

        async def one(key: str, entry: FeedEntry, digest: str) -> None:
            nonlocal stored
            async with self.in_flight:
                article, page = await self.entry_article(entry, download, public_only)
            _, new = await self.save(Incoming.of(article, feed.id, key, page, digest))
            stored += 1
            if new:
                result.new += 1
            else:
                result.updated += 1
            if self.pictures:
                await self.pictures.save(self.fetcher, article, public_only=public_only)

        try:
            async with asyncio.timeout(FEED_BUDGET):
                await asyncio.gather(*(one(k, e, d) for k, (e, d) in todo.items()))
        except TimeoutError:
            result.left = len(todo) - stored

    async def entry_article(self, entry: FeedEntry, download: bool,
                            public_only: bool) -> tuple[Article, Response | None]:
        """The cleaned page, or the feed's own text when the page cannot be had (a sync
        passes the server's copy of the entry); and the page as downloaded, to keep."""
        cleaned: Article | None = None
        page: Response | None = None
        if download and entry.link:
            try:
                response = await self.fetcher.get(entry.link, max_bytes=PAGE_CAP,
                                                  public_only=public_only)
            except FetchError:
                response = None
            if response is not None and response.status == 200:
                page = response
                cleaned = extract_article(page.content, page.url, page.content_type)
        return article_with_fallback(cleaned, entry), page


async def refresh_feed(store: Store, fetcher: Fetcher, feed: FeedRow, *, force: bool = False,
                       download: bool = True, pictures: Pictures | None = None,
                       options: Mapping[str, FeedOptions] | None = None) -> FeedResult:
    """One feed; its failure is recorded and returned, never raised."""
    run = Run(store, fetcher, download, pictures, options)
    try:
        return await run.feed(feed, force)
    finally:
        run.close()


async def subscribe(store: Store, fetcher: Fetcher, url: str,
                    folder: str | None = None) -> tuple[FeedRow, list[str]]:
    """Subscribe to a feed URL, or to the first feed an HTML page names; returns the others."""
    url = check_url(url)
    response = await _get_feed(fetcher, url)
    others: list[str] = []
    try:
        parsed = await asyncio.to_thread(parse_feed, response.content, response.url,
                                         response.content_type)
    except NotAFeed as exc:
        if "HTML" not in str(exc):
            raise
        html = decode(response.content, response.content_type)
        found = discover_feeds(html, response.url)
        if not found:
            raise NotAFeed(f"not a feed: {url} is an HTML page that names no feed") from None
        url, others = found[0], found[1:]
        response = await _get_feed(fetcher, url)
        parsed = await asyncio.to_thread(parse_feed, response.content, response.url,
                                         response.content_type)
    feed, _ = store.add_feed(url, parsed.title, parsed.site_url, folder)
    return feed, others


async def _get_feed(fetcher: Fetcher, url: str) -> Response:
    response = await fetcher.get(url, max_bytes=FEED_CAP, accept=FEED_ACCEPT)
    if response.status >= 400:
        raise FetchError(f"{url}: {status_message(response.status)}", response.status)
    return response


async def fetch_article(store: Store, fetcher: Fetcher, url: str, *,
                        pictures: Pictures | None = None) -> int:
    """Download, clean and cache a page that is in no feed; returns its article id."""
    url = check_url(url)
    response = await fetcher.get(url, max_bytes=PAGE_CAP)
    if response.status >= 400:
        raise FetchError(f"{url}: {status_message(response.status)}", response.status)
    article = await asyncio.to_thread(extract_article, response.content, response.url,
                                      response.content_type)
    article.url = article.url or url
    if not article.text:
        raise FetchError(f"no article found at {url}")
    article_id, _ = store.save_article(article, feed_id=None, guid=url, raw_html=response.content,
                                       content_type=response.content_type)
    if pictures:
        await pictures.save(fetcher, article)
    return article_id

"""The refresh pipeline: fetch feeds, download and clean new articles, store them.

Shared by the CLI and the UI (which runs it in a worker thread with its own Store).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from tui_reader.fetch.charset import decode
from tui_reader.fetch.clean import article_with_fallback, extract_article
from tui_reader.fetch.discover import discover_feeds
from tui_reader.fetch.errors import FetchError, NotAFeed
from tui_reader.fetch.feeds import parse_feed
from tui_reader.fetch.http import MiB, Fetcher, Response, cache_lifetime
from tui_reader.models import Article, FeedEntry, ParsedFeed
from tui_reader.store import FeedRow, Store

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
FEED_CAP = 5 * MiB
PAGE_CAP = 10 * MiB
Outcome = Literal["ok", "unchanged", "failed", "skipped"]


@dataclass(slots=True)
class FeedResult:
    url: str
    title: str
    outcome: Outcome
    new: int = 0
    updated: int = 0
    error: str | None = None


@dataclass(slots=True)
class RefreshReport:
    results: list[FeedResult] = field(default_factory=list)
    bytes_received: int = 0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def new_articles(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.outcome == "failed"]

    def summary(self) -> str:
        return (
            f"{self.count('ok')} feeds ok, {self.count('failed')} failed, "
            f"{self.count('unchanged')} unchanged, {self.count('skipped')} not due; "
            f"{self.new_articles} new articles, {_size(self.bytes_received)} downloaded"
        )

    def to_json(self) -> dict[str, object]:
        return {
            "feeds": [
                {"url": r.url, "title": r.title, "outcome": r.outcome, "new": r.new,
                 "updated": r.updated, "error": r.error}
                for r in self.results
            ],
            "new_articles": self.new_articles,
            "bytes": self.bytes_received,
        }


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / 1024:.0f} KiB"


Progress = Callable[[FeedResult, int, int], None]


def entry_hash(entry: FeedEntry) -> str:
    parts = (entry.title, entry.link or "", entry.content, entry.summary,
             entry.updated.isoformat() if entry.updated else "")
    return hashlib.sha1("\x1f".join(parts).encode(), usedforsecurity=False).hexdigest()


def _http_error(response: Response) -> str | None:
    if response.status == 410:
        return "feed is gone (HTTP 410); remove it with: tui-reader remove URL"
    if response.status >= 400:
        return f"HTTP {response.status}"
    return None


async def _clean_entry(fetcher: Fetcher, entry: FeedEntry, download: bool) -> tuple[Article, bytes | None]:
    page: Article | None = None
    raw: bytes | None = None
    if download and entry.link:
        try:
            response = await fetcher.get(entry.link, max_bytes=PAGE_CAP)
        except FetchError:
            response = None
        if response is not None and response.status == 200:
            raw = response.content
            html = decode(raw, response.content_type)
            page = await asyncio.to_thread(extract_article, html, response.url)
    return article_with_fallback(page, entry), raw


async def refresh_feed(store: Store, fetcher: Fetcher, feed: FeedRow, *, force: bool = False,
                       download: bool = True) -> FeedResult:
    """One feed; its failure is recorded and returned, never raised."""
    result = FeedResult(feed.url, feed.title, "ok")
    if not force and feed.next_due and feed.next_due > datetime.now(UTC):
        result.outcome = "skipped"
        return result
    try:
        response = await fetcher.get(feed.url, max_bytes=FEED_CAP, etag=feed.etag,
                                     last_modified=feed.last_modified, accept=FEED_ACCEPT)
        if response.not_modified:
            store.record_feed_result(feed.id, error=None, status=304,
                                     next_due=_due(cache_lifetime(response.headers)))
            result.outcome = "unchanged"
            return result
        error = _http_error(response)
        if error:
            raise FetchError(error, response.status)
        parsed = await asyncio.to_thread(parse_feed, response.content, response.url, response.content_type)
    except (FetchError, NotAFeed) as exc:
        status = exc.status if isinstance(exc, FetchError) else None
        store.record_feed_result(feed.id, error=str(exc), status=status)
        result.outcome, result.error = "failed", str(exc)
        return result
    result.title = parsed.title or feed.title
    await _store_entries(store, fetcher, feed, parsed, result, download)
    store.record_feed_result(
        feed.id, error=None, status=response.status, title=parsed.title, site_url=parsed.site_url,
        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
        validators=True, bozo=parsed.bozo,
        next_due=_due(cache_lifetime(response.headers, parsed.ttl_minutes)),
    )
    return result


def _due(seconds: float | None) -> datetime | None:
    return datetime.now(UTC) + timedelta(seconds=seconds) if seconds else None


async def _store_entries(store: Store, fetcher: Fetcher, feed: FeedRow, parsed: ParsedFeed,
                         result: FeedResult, download: bool) -> None:
    known = store.entry_hashes(feed.id)
    todo: dict[str, tuple[FeedEntry, str]] = {}
    for entry in parsed.entries:
        key = entry.key
        if not key or key in todo:
            continue
        digest = entry_hash(entry)
        if known.get(key) != digest:
            todo[key] = (entry, digest)

    async def one(key: str, entry: FeedEntry, digest: str) -> None:
        article, raw = await _clean_entry(fetcher, entry, download)
        _, new = store.save_article(article, feed_id=feed.id, guid=key, raw_html=raw, entry_hash=digest)
        if new:
            result.new += 1
        else:
            result.updated += 1

    await asyncio.gather(*(one(k, e, d) for k, (e, d) in todo.items()))


async def refresh_all(store: Store, fetcher: Fetcher, feeds: list[FeedRow] | None = None, *,
                      force: bool = False, progress: Progress | None = None) -> RefreshReport:
    """Every feed concurrently; one feed's failure never stops the others."""
    feeds = store.feeds() if feeds is None else feeds
    report = RefreshReport()
    done = 0

    async def one(feed: FeedRow) -> None:
        nonlocal done
        result = await refresh_feed(store, fetcher, feed, force=force)
        report.results.append(result)
        done += 1
        if progress:
            progress(result, done, len(feeds))

    await asyncio.gather(*(one(f) for f in feeds))
    report.bytes_received = fetcher.bytes_received
    return report


async def subscribe(store: Store, fetcher: Fetcher, url: str,
                    folder: str | None = None) -> tuple[FeedRow, list[str]]:
    """Subscribe to a feed URL, or to the first feed an HTML page names; returns the others."""
    response = await fetcher.get(url, max_bytes=FEED_CAP, accept=FEED_ACCEPT)
    if response.status >= 400:
        raise FetchError(f"HTTP {response.status} for {url}", response.status)
    others: list[str] = []
    try:
        parsed = parse_feed(response.content, response.url, response.content_type)
    except NotAFeed:
        found = discover_feeds(decode(response.content, response.content_type), response.url)
        if not found:
            raise NotAFeed(f"not a feed, and the page names no feed: {url}") from None
        url, others = found[0], found[1:]
        response = await fetcher.get(url, max_bytes=FEED_CAP, accept=FEED_ACCEPT)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status} for {url}", response.status) from None
        parsed = parse_feed(response.content, response.url, response.content_type)
    feed, _ = store.add_feed(url, parsed.title, parsed.site_url, folder)
    return feed, others


async def fetch_article(store: Store, fetcher: Fetcher, url: str) -> int:
    """Download, clean and cache a page that is in no feed; returns its article id."""
    response = await fetcher.get(url, max_bytes=PAGE_CAP)
    if response.status >= 400:
        raise FetchError(f"HTTP {response.status} for {url}", response.status)
    html = decode(response.content, response.content_type)
    article = await asyncio.to_thread(extract_article, html, response.url)
    article.url = article.url or url
    if not article.text:
        raise FetchError(f"no article found at {url}")
    article_id, _ = store.save_article(article, feed_id=None, guid=url, raw_html=response.content)
    return article_id

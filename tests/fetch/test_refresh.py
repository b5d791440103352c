"""The refresh pipeline end to end: loopback feeds and pages into a real SQLite store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from http_support import reply
from tui_reader import refresh
from tui_reader.net.errors import FetchError, NotAFeed
from tui_reader.net.http import Fetcher
from tui_reader.store import FeedRow, Prepared, Store, StoreError

Site = Any

PARAGRAPH = ("The studio confirmed the casting on Tuesday, ending weeks of speculation among "
             "fans who had followed every rumour since the first teaser. ")


def rss(items: list[tuple[str, str, str]], *, ttl: str = "") -> str:
    """Items as (guid, title, page path)."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{path}</link>"
        f"<description>Summary of {title}.</description>"
        f"<pubDate>Mon, 06 May 2024 1{n}:00:00 GMT</pubDate></item>"
        for n, (guid, title, path) in enumerate(items)
    )
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Screen Daily</title>"
            f"<link>https://screen.example/</link>{ttl}{body}</channel></rss>")


def page(title: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p></article></body></html>")


ITEMS = [("g1", "Casting news", "/a/1.html"), ("g2", "Box office", "/a/2.html"),
         ("g3", "Festival", "/a/3.html")]


def publish(site: Site, items: list[tuple[str, str, str]] = ITEMS, **headers: str) -> str:
    for _, title, path in items:
        site.add(path, page(title))
    return site.add("/feed.xml", rss(items), "application/rss+xml",
                    headers={k.replace("_", "-"): v for k, v in headers.items()})


def subscribed(store: Store, url: str) -> FeedRow:
    feed, _ = store.add_feed(url, "pending")
    return feed


async def run(store: Store, fetcher: Fetcher, *, force: bool = True) -> refresh.RefreshReport:
    return await refresh.refresh_all(store, fetcher, force=force)


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = refresh.run.parse_feed

    def counting(data: bytes, url: str, content_type: str | None = None) -> Any:
        calls.append(url)
        return real(data, url, content_type)

    monkeypatch.setattr(refresh.run, "parse_feed", counting)
    return calls


async def test_cold_refresh_stores_articles_and_outcome(site: Site, store: Store,
                                                        fetcher: Fetcher) -> None:
    url = publish(site, ETag='"v1"', Last_Modified="Mon, 06 May 2024 12:00:00 GMT")
    subscribed(store, url)
    report = await run(store, fetcher)
    [result] = report.results
    assert (result.outcome, result.new, result.title) == ("ok", 3, "Screen Daily")
    assert report.bytes_received > 0
    assert report.summary().startswith("1 feeds ok, 0 failed, 0 unchanged, 0 not due; 3 new")
    rows = store.articles()
    assert {r.title for r in rows} == {"Casting news", "Box office", "Festival"}
    article = store.article(rows[0].id)
    assert article is not None and article.source == "page" and "studio confirmed" in article.text
    # Each page is kept with the Content-Type it came with, for cleaning it again.
    assert [p.content_type for p in store.raw_pages()] == ["text/html; charset=utf-8"] * 3
    feed = store.feeds()[0]
    assert (feed.title, feed.status, feed.last_error) == ("Screen Daily", 200, None)
    assert (feed.etag, feed.last_modified) == ('"v1"', "Mon, 06 May 2024 12:00:00 GMT")
    assert feed.last_success is not None and not feed.bozo


def conditional(body: str, etag: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        reply(h, body, "application/rss+xml", headers={"ETag": etag})

    return handler


async def test_304_means_unchanged_and_nothing_is_reparsed(
    site: Site, store: Store, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(site)
    url = site.handle("/feed.xml", conditional(rss(ITEMS), '"abc-123"'))
    subscribed(store, url)
    parses = count_parses(monkeypatch)
    await run(store, fetcher)
    report = await run(store, fetcher)
    assert [r.outcome for r in report.results] == ["unchanged"]
    assert report.summary().startswith("0 feeds ok, 0 failed, 1 unchanged")
    first, second = site.seen("/feed.xml")
    assert "if-none-match" not in first
    assert second["if-none-match"] == '"abc-123"'  # sent back exactly as received
    assert len(parses) == 1
    assert len(site.seen("/a/1.html")) == 1
    assert store.feeds()[0].status == 304


async def test_last_modified_is_sent_back(site: Site, store: Store, fetcher: Fetcher) -> None:
    url = publish(site, Last_Modified="Sun, 05 May 2024 08:00:00 GMT")
    subscribed(store, url)
    await run(store, fetcher)
    await run(store, fetcher)
    assert site.seen("/feed.xml")[1]["if-modified-since"] == "Sun, 05 May 2024 08:00:00 GMT"


async def test_validators_change_only_after_a_successful_parse(site: Site, store: Store,
                                                               fetcher: Fetcher) -> None:
    url = publish(site, ETag='"v1"')
    subscribed(store, url)
    await run(store, fetcher)
    site.add("/feed.xml", "<html><body>Down for maintenance</body></html>", "text/html",
             headers={"ETag": '"v2"'})
    report = await run(store, fetcher)
    assert report.failed[0].error == "not a feed: got an HTML page"
    feed = store.feeds()[0]
    assert feed.etag == '"v1"'
    assert feed.last_error == "not a feed: got an HTML page"
    assert len(store.articles()) == 3  # nothing already stored is lost


async def test_changed_entries_update_in_place_keeping_state(site: Site, store: Store,
                                                             fetcher: Fetcher) -> None:
    url = publish(site)
    subscribed(store, url)
    await run(store, fetcher)
    casting = next(r for r in store.articles() if r.title == "Casting news")
    store.set_read([casting.id])
    store.set_bookmarked(casting.id, True)
    changed = [("g1", "Casting news (updated)", "/a/1.html"), *ITEMS[1:]]
    site.add("/feed.xml", rss(changed), "application/rss+xml")
    [result] = (await run(store, fetcher)).results
    assert (result.new, result.updated) == (0, 1)
    row = store.row(casting.id)
    assert row is not None and row.read and row.bookmarked
    assert len(store.articles()) == 3
    # Unchanged entries are not downloaded again.
    assert len(site.seen("/a/2.html")) == 1 and len(site.seen("/a/1.html")) == 2


async def test_entries_without_guid_dedupe_by_link_else_by_content(site: Site, store: Store,
                                                                   fetcher: Fetcher) -> None:
    site.add("/a/x.html", page("Linked only"))
    doc = ("<rss version='2.0'><channel><title>T</title>"
           "<item><title>Linked only</title><link>/a/x.html</link></item>"
           "<item><title>Linked only (again)</title><link>/a/x.html</link></item>"
           "<item><title>No identity at all</title></item>"
           "<item><title>No identity at all</title></item></channel></rss>")
    url = site.add("/feed.xml", doc, "application/rss+xml")
    subscribed(store, url)
    [result] = (await run(store, fetcher)).results
    assert result.new == 2
    linked, unlinked = sorted(store.articles(), key=lambda row: row.url is None)
    assert linked.url == site.url("/a/x.html")
    assert (unlinked.url, unlinked.title) == (None, "No identity at all")
    assert (await run(store, fetcher)).results[0].new == 0


async def test_article_page_failure_falls_back_to_feed_text(site: Site, store: Store,
                                                            fetcher: Fetcher) -> None:
    url = site.add("/feed.xml", rss([("g9", "Missing page", "/a/missing.html")]),
                   "application/rss+xml")
    subscribed(store, url)
    [result] = (await run(store, fetcher)).results
    assert (result.outcome, result.new) == ("ok", 1)
    article = store.article(store.articles()[0].id)
    assert article is not None and article.source == "feed-summary"
    assert article.text == "Summary of Missing page."


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "HTTP 404 (not found)"), (500, "HTTP 500 (internal server error)"),
     (410, "feed is gone (HTTP 410); unsubscribe with: tui-reader remove ")],
)
async def test_http_failures_are_recorded(site: Site, store: Store, fetcher: Fetcher,
                                          status: int, message: str) -> None:
    url = publish(site)
    subscribed(store, url)
    await run(store, fetcher)
    site.add("/feed.xml", "error page", status=status)
    [result] = (await run(store, fetcher)).results
    assert result.outcome == "failed" and result.status == status
    assert result.error is not None and result.error.startswith(message)
    feed = store.feeds()[0]
    assert (feed.status, feed.last_error) == (status, result.error)
    assert feed.last_success is not None  # the earlier success is kept
    assert len(store.articles()) == 3


async def test_one_failing_feed_never_stops_the_others(site: Site, store: Store,
                                                       fetcher: Fetcher) -> None:
    subscribed(store, publish(site))
    subscribed(store, site.add("/broken.xml", "", status=500))
    subscribed(store, site.add("/html", "<!DOCTYPE html><html><body>hi</body></html>"))
    report = await run(store, fetcher)
    assert report.count("ok") == 1 and len(report.failed) == 2
    assert report.new_articles == 3
    assert report.to_json()["failed"] == 2


async def test_cache_headers_and_ttl_make_feeds_not_due(site: Site, store: Store,
                                                        fetcher: Fetcher) -> None:
    subscribed(store, publish(site, Cache_Control="max-age=3600"))
    subscribed(store, site.add("/ttl.xml", rss([], ttl="<ttl>120</ttl>"), "application/rss+xml"))
    await run(store, fetcher, force=False)
    due = {f.url.rsplit("/", 1)[1]: f.next_due for f in store.feeds()}
    now = datetime.now(UTC)
    assert due["feed.xml"] is not None and due["feed.xml"] - now > timedelta(minutes=59)
    assert due["ttl.xml"] is not None and due["ttl.xml"] - now > timedelta(minutes=119)
    report = await run(store, fetcher, force=False)
    assert [r.outcome for r in report.results] == ["skipped", "skipped"]
    assert len(site.seen("/feed.xml")) == 1
    forced = await run(store, fetcher, force=True)
    assert [r.outcome for r in forced.results] == ["ok", "ok"]
    assert len(site.seen("/feed.xml")) == 2


async def test_ttl_still_holds_after_a_304(site: Site, store: Store, fetcher: Fetcher) -> None:
    """A 304 has no body to read <ttl> from; the one parsed last time still counts."""
    subscribed(store, site.handle("/feed.xml", conditional(rss([], ttl="<ttl>120</ttl>"),
                                                             '"t1"')))
    await run(store, fetcher, force=False)
    assert store.feeds()[0].ttl_minutes == 120
    report = await run(store, fetcher, force=True)
    assert [r.outcome for r in report.results] == ["unchanged"]
    [feed] = store.feeds()
    assert feed.next_due is not None
    assert feed.next_due - datetime.now(UTC) > timedelta(minutes=119)
    assert (await run(store, fetcher, force=False)).results[0].outcome == "skipped"


async def test_long_retry_after_postpones_the_feed(site: Site, store: Store,
                                                   fetcher: Fetcher) -> None:
    subscribed(store, site.add("/feed.xml", "", status=429, headers={"Retry-After": "7200"}))
    [result] = (await run(store, fetcher, force=False)).results
    assert result.outcome == "failed" and result.error is not None
    assert "asks to wait 2.0 h" in result.error
    feed = store.feeds()[0]
    assert feed.next_due is not None and feed.next_due > datetime.now(UTC) + timedelta(hours=1)
    assert (await run(store, fetcher, force=False)).results[0].outcome == "skipped"


async def test_a_refresh_cut_short_loses_nothing_and_resumes(
    site: Site, store: Store, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = publish(site, ETag='"v1"')
    subscribed(store, url)
    real = store.save_articles

    def flaky(items: list[Prepared]) -> list[tuple[int, bool]]:
        """The disk fills up after two articles: the first commit holds, the next fails."""
        room = 2 - len(store.articles())
        if len(items) <= room:
            return real(items)
        real(items[:room])
        raise StoreError("could not save: disk full")

    monkeypatch.setattr(store, "save_articles", flaky)
    [result] = (await run(store, fetcher)).results
    assert result.outcome == "failed" and "disk full" in (result.error or "")
    assert len(store.articles()) == 2
    assert store.feeds()[0].etag is None  # not marked as seen: the next run fetches it all
    monkeypatch.setattr(store, "save_articles", real)
    [result] = (await run(store, fetcher)).results
    assert (result.outcome, result.new) == ("ok", 1)
    assert "if-none-match" not in site.seen("/feed.xml")[1]
    assert len(store.articles()) == 3


async def test_subscribe_to_a_feed_url(site: Site, store: Store, fetcher: Fetcher) -> None:
    url = publish(site)
    feed, others = await refresh.subscribe(store, fetcher, url, folder="Film")
    assert (feed.url, feed.title, feed.folder, others) == (url, "Screen Daily", "Film", [])


async def test_subscribe_discovers_feeds_on_a_page(site: Site, store: Store,
                                                   fetcher: Fetcher) -> None:
    site.add("/blog/feed/", rss(ITEMS), "application/rss+xml")
    html = (Path(__file__).parent / "data" / "page.html").read_text().replace("{base}", site.base)
    site.add("/blog/", html)
    feed, others = await refresh.subscribe(store, fetcher, site.url("/blog/"))
    assert feed.url == site.url("/blog/feed/")
    assert others == [site.url("/feed/atom/"), site.url("/feed.json")]


async def test_subscribe_refuses_pages_without_feeds_and_errors(site: Site, store: Store,
                                                                fetcher: Fetcher) -> None:
    site.add("/plain", "<!DOCTYPE html><html><head></head><body>No feeds here</body></html>")
    with pytest.raises(NotAFeed, match="is an HTML page that names no feed"):
        await refresh.subscribe(store, fetcher, site.url("/plain"))
    with pytest.raises(FetchError, match=r"HTTP 404 \(not found\)"):
        await refresh.subscribe(store, fetcher, site.url("/nowhere"))
    with pytest.raises(NotAFeed, match="root is <sitemap>"):
        await refresh.subscribe(store, fetcher,
                                site.add("/sitemap.xml", "<sitemap/>", "application/xml"))
    assert store.feeds() == []

"""Refreshing feeds whose entries have no guid or link, opaque ids, or too many entries:
loopback feeds into a real store, and what `tui-reader feeds` then says."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from http_support import reply
from tui_reader import refresh
from tui_reader.cli import main
from tui_reader.feeds.entries import MAX_ENTRIES
from tui_reader.models import Article, Block, Span
from tui_reader.net.http import Fetcher
from tui_reader.store import FeedRow, Store

Site = Any


def grateful_dead(count: int = 22) -> str:
    """The classic RSS 0.92 shape: each item a description and an mp3, nothing else."""
    items = "".join(
        f"<item><description>Show {n}: a song from the vault, recorded live in the spring of"
        f" 1977 and not heard since.</description>"
        f"<enclosure url='http://archive.example/mp3s/show{n}.mp3' length='{6182912 + n}'"
        " type='audio/mpeg'/></item>"
        for n in range(count))
    return (f"<?xml version='1.0'?><rss version='0.92'><channel><title>Dead Tapes</title>"
            f"<link>http://archive.example/</link>{items}</channel></rss>")


def opaque(ids: list[str]) -> str:
    items = "".join(f"<item><title>Thread {i}</title><guid>{i}</guid>"
                    f"<description>Comments on {i}, read in the feed.</description></item>"
                    for i in ids)
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Threads</title>"
            f"{items}</channel></rss>")


def subscribed(store: Store, url: str) -> FeedRow:
    feed, _ = store.add_feed(url, "pending")
    return feed


async def test_every_item_of_an_rss_092_feed_is_shown(site: Site, store: Store,
                                                      fetcher: Fetcher) -> None:
    url = site.add("/dead.xml", grateful_dead(), "application/rss+xml")
    subscribed(store, url)
    [result] = (await refresh.refresh_all(store, fetcher, force=True)).results
    assert (result.outcome, result.new) == ("ok", 22)
    rows = store.articles()
    assert len(rows) == 22
    # Listed by the start of their text, not as 22 blank titles.
    assert {row.title for row in rows} == {
        f"Show {n}: a song from the vault, recorded live in the spring of 1977 and not…"
        for n in range(22)}
    texts = set()
    for row in rows:
        article = store.article(row.id)
        assert article is not None and article.source == "feed-summary"
        texts.add(article.text)
    assert texts == {f"Show {n}: a song from the vault, recorded live in the spring of 1977"
                     " and not heard since." for n in range(22)}
    # Read again, nothing is new and nothing is duplicated.
    [again] = (await refresh.refresh_all(store, fetcher, force=True)).results
    assert (again.new, again.updated) == (0, 0)
    assert len(store.articles()) == 22


async def test_opaque_ids_keep_their_articles_when_the_feed_moves(site: Site, store: Store,
                                                                 fetcher: Fetcher) -> None:
    ids = ["t3_157awnr", "0b5a7c5e-8f44-4c7a-9d1e-3f5c2b1a9e77", "9f86d081884c7d65"]
    url = site.add("/r/films.xml", opaque(ids), "application/rss+xml")
    feed = subscribed(store, url)
    assert (await refresh.refresh_all(store, fetcher, force=True)).results[0].new == 3
    assert set(store.entry_hashes(feed.id)) == set(ids)
    assert all(row.url is None for row in store.articles())

    new = site.add("/v2/films.xml", opaque(ids), "application/rss+xml")

    def moved(request: BaseHTTPRequestHandler) -> None:
        reply(request, status=301, content_type=None, headers={"Location": new})

    site.handle("/r/films.xml", moved)
    [result] = (await refresh.refresh_all(store, fetcher, force=True)).results
    assert (result.new, result.updated) == (0, 0)
    assert store.feeds()[0].url == new and len(store.articles()) == 3


async def test_articles_stored_under_resolved_ids_are_not_stored_again(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    """Earlier releases stored "t3_157awnr" as "http://host/r/t3_157awnr": the next refresh
    gives such articles their id as written, keeping them read or bookmarked."""
    url = site.add("/r/films.xml", opaque(["t3_157awnr", "t3_2"]), "application/rss+xml")
    feed = subscribed(store, url)
    old = Article(url=None, title="Thread t3_157awnr",
                  blocks=[Block("p", [[Span("Comments on t3_157awnr, read in the feed.")]])])
    article_id, _ = store.save_article(old, feed_id=feed.id, guid=site.url("/r/t3_157awnr"),
                                       entry_hash="from an earlier release")
    store.set_read([article_id])
    store.set_bookmarked(article_id, True)

    [result] = (await refresh.refresh_all(store, fetcher, force=True)).results
    assert (result.new, result.updated) == (1, 1)  # t3_2 is new; the old one is rekeyed
    assert set(store.entry_hashes(feed.id)) == {"t3_157awnr", "t3_2"}
    kept = store.row(article_id)
    assert kept is not None and kept.read and kept.bookmarked
    assert len(store.articles()) == 2


async def test_json_feed_ids_were_never_resolved_so_nothing_is_rekeyed(
    site: Site, store: Store, fetcher: Fetcher
) -> None:
    doc = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Posts",
                      "items": [{"id": "1", "content_text": "The first post."}]})
    url = site.add("/posts.json", doc, "application/feed+json")
    feed = subscribed(store, url)
    # Stored under its link by an entry without an id, not under a resolved id.
    linked = Article(url=site.url("/1"), title="Linked",
                     blocks=[Block("p", [[Span("An older post.")]])])
    store.save_article(linked, feed_id=feed.id, guid=site.url("/1"), entry_hash="x")
    [result] = (await refresh.refresh_all(store, fetcher, force=True)).results
    assert result.new == 1
    assert set(store.entry_hashes(feed.id)) == {"1", site.url("/1")}


def long_feed(count: int) -> str:
    text = "A long transcript of the episode. " * 150
    items = "".join(f"<item><title>Episode {n}</title><guid>ep-{n}</guid>"
                    f"<description>{text}</description></item>" for n in range(count))
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Long Pod</title>"
            f"{items}</channel></rss>")


def test_feeds_says_when_a_feed_was_cut(site: Site, home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/pod.xml", long_feed(MAX_ENTRIES + 25), "application/rss+xml")
    assert main(["add", url]) == 0
    assert main(["refresh", "--force"]) == 0
    capsys.readouterr()
    assert main(["feeds"]) == 0
    assert "too long: its last 25 entries were left out" in capsys.readouterr().out
    assert main(["feeds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["entries_cut"] == 25

    site.add("/pod.xml", long_feed(10), "application/rss+xml")
    assert main(["refresh", "--force"]) == 0
    capsys.readouterr()
    assert main(["feeds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["entries_cut"] == 0

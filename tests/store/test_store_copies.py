"""One article carried by several feeds is stored once, whichever feed brings it first."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.store import Store
from tui_reader.store.copies import _split, _split_by_urllib, canonical_url
from tui_reader.store.schema import migrate

_URLS = st.builds(
    "{}://{}{}{}{}{}".format,
    st.sampled_from(["http", "https", "HTTPS", "ftp", ""]),
    st.sampled_from(["www.", "WWW.", "", "www.www."]),
    st.sampled_from(["example.com", "Example.COM.", "[::1]", "a.b.c", "", "x:99", "x:443"]),
    st.text(st.sampled_from("/ab%?=&#.:@\\ é"), max_size=12),
    st.sampled_from(["", "?utm_source=x", "?a=1&utm_medium=y&fbclid=z", "?gclid=1&b=2&a=1"]),
    st.sampled_from(["", "#top", "/", "//"]),
)


@settings(max_examples=500)
@given(st.text() | _URLS)
def test_the_canonical_url_is_total_and_idempotent(url: str) -> None:
    once = canonical_url(url)
    if once is not None:
        assert canonical_url(once) == once


@settings(max_examples=1000)
@given(st.text() | _URLS | st.text(st.sampled_from("htps:/[]?#@ab.%\t\x7f1é"), max_size=30))
def test_a_plain_link_is_split_as_urllib_splits_it(url: str) -> None:
    assert _split(url) == _split_by_urllib(url)


def test_what_differs_between_feeds_is_taken_out() -> None:
    same = ["https://www.example.com/film/review/", "http://example.com/film/review",
            "https://EXAMPLE.com:443/film/review?utm_source=rss&utm_medium=feed#comments",
            "https://example.com/film/review?fbclid=abc", "https://example.com/film/review?gclid=1"]
    assert {canonical_url(u) for u in same} == {"https://example.com/film/review"}
    assert canonical_url("https://e.com/a?b=2&a=1&utm_x=3") == canonical_url("https://e.com/a?a=1&b=2")
    different = ["https://example.com/film/review?page=2", "https://example.com/film/other",
                 "https://example.com:8080/film/review", "https://news.example.com/film/review"]
    assert len({canonical_url(u) for u in different}) == len(different)
    assert canonical_url("mailto:a@b.c") is None
    assert canonical_url("not a url") is None


@pytest.fixture
def feeds(store: Store) -> tuple[int, int, int]:
    return tuple(store.add_feed(f"https://{n}.example/feed", f"Feed {n}")[0].id  # type: ignore[return-value]
                 for n in "ABC")


def test_an_article_from_three_feeds_is_stored_once_and_lists_them(
        store: Store, feeds: tuple[int, int, int], make: Any) -> None:
    a, b, c = feeds
    first = make(1)
    first.url = "https://www.example.com/review/?utm_source=a"
    article_id, new = store.save_article(first, feed_id=a, guid="a-1")
    assert new
    for feed, url in ((b, "https://example.com/review"), (c, "http://example.com/review#x")):
        copy = make(1)
        copy.url = url
        assert store.save_article(copy, feed_id=feed, guid=f"guid-{feed}") == (article_id, False)
    assert store.counts()["all"] == 1
    [row] = store.articles()
    assert row.feed_title == "Feed A" and row.also_in == ("Feed B", "Feed C")
    assert row.to_json()["also_in"] == ["Feed B", "Feed C"]
    assert [r.id for r in store.articles(feed_id=c)] == [article_id]
    assert store.entry_hashes(c) == {f"guid-{c}": None}
    assert [f.unread for f in store.feeds()] == [1, 1, 1]
    assert store.mark_all_read(feed_id=b) == [article_id]
    assert [f.unread for f in store.feeds()] == [0, 0, 0]
    assert store.row(article_id).read  # type: ignore[union-attr]


def test_a_copy_seen_again_stays_one_article(
        store: Store, feeds: tuple[int, int, int], make: Any) -> None:
    a, b, _ = feeds
    article_id, _ = store.save_article(make(1), feed_id=a, guid="g")
    store.save_article(make(1), feed_id=b, guid="h", entry_hash="1")
    changed = make(1, "a new text")
    assert store.save_article(changed, feed_id=b, guid="h", entry_hash="2") == (article_id, False)
    assert store.entry_hashes(b) == {"h": "2"}
    assert store.counts()["all"] == 1


def test_a_guid_unique_everywhere_joins_copies_and_a_local_one_does_not(
        store: Store, feeds: tuple[int, int, int], make: Any) -> None:
    a, b, c = feeds
    one, _ = store.save_article(make(1), feed_id=a, guid="tag:studio.example,2026:42")
    assert store.save_article(make(2), feed_id=b, guid="tag:studio.example,2026:42")[0] == one
    store.save_article(make(3), feed_id=a, guid="1234")
    assert store.save_article(make(4), feed_id=c, guid="1234")[1] is True
    assert store.counts()["all"] == 3


def test_removing_the_first_feed_leaves_the_article_to_the_others(
        store: Store, feeds: tuple[int, int, int], make: Any) -> None:
    a, b, _ = feeds
    article_id, _ = store.save_article(make(1), feed_id=a, guid="g")
    store.save_article(make(1), feed_id=b, guid="h")
    store.save_article(make(2), feed_id=a, guid="only-a")
    assert store.remove_feed("https://A.example/feed")
    [row] = store.articles()
    assert (row.id, row.feed_title, row.also_in) == (article_id, "Feed B", ())
    assert store.entry_hashes(b) == {"h": None}


def test_pruning_remembers_every_feed_that_carried_the_article(
        store: Store, feeds: tuple[int, int, int], make: Any) -> None:
    a, b, _ = feeds
    article_id, _ = store.save_article(make(1), feed_id=a, guid="g", entry_hash="x")
    store.save_article(make(1), feed_id=b, guid="h", entry_hash="y")
    store.set_read([article_id])
    store.conn.execute("UPDATE articles SET fetched = '2020-01-01T00:00:00+00:00'")
    assert store.prune(max_age_days=1) == 1
    assert store.entry_hashes(a) == {"g": "x"} and store.entry_hashes(b) == {"h": "y"}


def test_stored_copies_are_merged_keeping_bookmarks_and_read_state(
        db_path: Path, make: Any) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    migrate(conn, db_path, target=6)
    for n, title in enumerate("ABC"):
        conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (?, ?, ?, '2026')",
                     (n + 1, f"https://{title}.example/feed", f"Feed {title}"))
    rows = [  # feed, guid, url, read, bookmarked_at
        (1, "a1", "https://www.example.com/story/", 0, None),
        (2, "b1", "https://example.com/story?utm_source=b", 1, None),
        (3, "c1", "http://example.com/story", 0, "2026-01-02T00:00:00+00:00"),
        (3, "c2", "https://example.com/other", 0, None),
    ]
    when = "2026-01-01T00:00:00+00:00"
    for feed, guid, url, read, bookmarked in rows:
        conn.execute("INSERT INTO articles (feed_id, guid, url, title, body, fetched, sort_time,"
                     " read, bookmarked_at) VALUES (?, ?, ?, 'Story', 'text', ?, ?, ?, ?)",
                     (feed, guid, url, when, when, read, bookmarked))
    conn.execute("INSERT INTO articles_fts (rowid, title, author, body)"
                 " SELECT id, title, '', body FROM articles")
    conn.close()
    with Store.open(db_path) as store:
        story, other = sorted(store.articles(), key=lambda r: r.id)
        assert store.counts() == {"all": 2, "unread": 1, "bookmarks": 1}
        assert story.url == "https://www.example.com/story/"
        assert (story.feed_title, story.also_in, story.read, story.bookmarked) == (
            "Feed A", ("Feed B", "Feed C"), True, True)
        assert store.entry_hashes(2) == {"b1": None}
        assert other.also_in == ()
        assert store.check_search_index() is False

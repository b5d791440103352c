"""The Store API the refresh and the reader use: paging, upserts, read state."""

from __future__ import annotations

from collections.abc import Callable

from tui_reader.models import Article
from tui_reader.store import Store

MakeArticle = Callable[..., Article]


def test_keyset_and_offset_pages_walk_every_article_once(
    store: Store, feed_id: int, make: MakeArticle
) -> None:
    for n in range(25):
        store.save_article(make(n), feed_id=feed_id, guid=f"g{n}")
    by_key, page = [], store.articles(limit=10)
    while page:
        by_key += page
        page = store.articles(limit=10, before=page[-1])
    by_offset = [r for o in (0, 10, 20) for r in store.articles(limit=10, offset=o)]
    assert [r.id for r in by_key] == [r.id for r in by_offset]
    assert len({r.id for r in by_key}) == 25
    assert [r.sort_time for r in by_key] == sorted((r.sort_time for r in by_key), reverse=True)
    assert len(store.articles(feed_id=feed_id, unread=True, limit=100)) == 25


def test_an_update_keeps_read_bookmark_and_the_stored_page(
    store: Store, feed_id: int, make: MakeArticle
) -> None:
    article_id, new = store.save_article(make(1), feed_id=feed_id, guid="g", raw_html=b"<p>x</p>")
    store.set_read([article_id])
    store.set_bookmarked(article_id, True)
    again, new_again = store.save_article(make(1, "changed"), feed_id=feed_id, guid="g")
    row = store.row(article_id)
    assert (new, new_again, again) == (True, False, article_id)
    assert row is not None and row.read and row.bookmarked
    assert store.raw_html(article_id) == b"<p>x</p>"
    assert [h.row.id for h in store.search("changed")] == [article_id]


def test_mark_all_read_returns_the_ids_for_undo(
    store: Store, feed_id: int, make: MakeArticle
) -> None:
    ids = [store.save_article(make(n), feed_id=feed_id, guid=f"g{n}")[0] for n in range(3)]
    other = store.save_article(make(9), feed_id=None, guid=None)[0]
    store.set_read([ids[0]])
    assert sorted(store.mark_all_read(feed_id=feed_id)) == ids[1:]
    assert store.counts()["unread"] == 1
    assert store.mark_all_read() == [other]
    [feed] = store.feeds()
    assert feed.unread == 0

"""Stories in the store: grouped as articles arrive, listed once, read together."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

from tui_reader.models import Article, Block, Span
from tui_reader.store import Store
from tui_reader.store.stories import decode, site_of

T0 = datetime.now(UTC) - timedelta(days=1)

# One event from three sites, and another film's news the same day.
RELEASE = [
    ("https://reelwire.test/lantern-date", "Northlight sets 'Lantern Keepers' for wide release",
     "Northlight Pictures will open the fantasy Lantern Keepers in 3,200 theaters on May 15.", 0),
    ("https://screenbeat.test/lantern", "'Lantern Keepers' gets May 15 wide release from "
     "Northlight", "The Hana Corvell fantasy goes wide: Northlight dated Lantern Keepers for "
     "May 15.", 3),
    ("https://www.popdesk.test/lk", "Lantern Keepers is coming to theaters this May",
     "Fans of Hana Corvell's fantasy won't wait long: Northlight confirmed a May 15 date.", 5),
]
OTHER = ("https://reelwire.test/orchard", "Hollow Orchard video game adaptation finds its "
         "director", "Kestrel+ has hired Mina Oduya to direct the farming-sim series.", 2)


def _article(url: str, title: str, lead: str, hours: float) -> Article:
    return Article(url=url, title=title, published=T0 + timedelta(hours=hours),
                   blocks=[Block("p", [[Span(lead)]]), Block("p", [[Span("More text.")]])])


def _save(store: Store, feed_id: int, *rows: tuple[str, str, str, float]) -> list[int]:
    return [store.save_article(_article(*row), feed_id=feed_id, guid=row[0])[0] for row in rows]


def _feed(store: Store, name: str) -> int:
    return store.add_feed(f"https://{name}.test/feed", name)[0].id


def test_articles_from_other_sites_on_one_event_are_one_story(store: Store) -> None:
    ids = [*_save(store, _feed(store, "trade"), RELEASE[0], OTHER),
           *_save(store, _feed(store, "fans"), RELEASE[1], RELEASE[2])]
    first, other, second, third = ids
    story = store.story(first)
    assert [r.id for r in story] == [first, second, third]
    assert all(r.story == first and r.sources == 3 for r in story)
    alone = store.row(other)
    assert alone is not None and alone.story is None and alone.sources == 1
    assert alone.to_json()["story"] is None and story[0].to_json()["story"] == first


def test_a_story_is_listed_once_by_its_first_article(store: Store) -> None:
    trade, fans = _feed(store, "trade"), _feed(store, "fans")
    first, other = _save(store, trade, RELEASE[0], OTHER)
    second, third = _save(store, fans, RELEASE[1], RELEASE[2])
    listed = [r.id for r in store.articles()]
    assert sorted(listed) == sorted([first, other])
    assert next(r for r in store.articles() if r.id == first).sources == 3
    # A feed lists its own articles, a story's or not.
    assert sorted(r.id for r in store.articles(feed_id=fans)) == sorted([second, third])


def test_reading_one_article_marks_the_story_read(store: Store) -> None:
    first, second, third = _save(store, _feed(store, "trade"), *RELEASE)
    store.set_read([second])
    assert all(store.row(i).read for i in (first, second, third))  # type: ignore[union-attr]
    store.set_read([third], False)
    assert not any(store.row(i).read for i in (first, second, third))  # type: ignore[union-attr]


def test_story_read_article_marks_only_that_article(store: Store) -> None:
    first, second, third = _save(store, _feed(store, "trade"), *RELEASE)
    store.story_read = False
    store.set_read([second])
    assert [store.row(i).read for i in (first, second, third)] == [False, True, False]  # type: ignore[union-attr]


def test_story_read_article_lists_the_rest_of_a_story_unread_once_its_first_is_read(
        store: Store) -> None:
    first, second, third = _save(store, _feed(store, "trade"), *RELEASE)
    assert [r.id for r in store.articles(unread=True)] == [first]
    store.story_read = False
    store.set_read([first])
    assert sorted(r.id for r in store.articles(unread=True)) == [second, third]
    assert [r.id for r in store.articles()] == [first]


def test_the_related_reads_lead_with_the_same_story(store: Store) -> None:
    first, second, third = _save(store, _feed(store, "trade"), *RELEASE)
    reads = store.related(second)
    assert [(r.article_id, r.same_story) for r in reads[:2]] == [(first, True), (third, True)]
    assert not any(r.article_id == second for r in reads)
    assert not any(r.same_story for r in reads[2:])


def test_a_later_arrival_joins_and_one_site_never_tells_a_story_twice(store: Store) -> None:
    trade = _feed(store, "trade")
    first, = _save(store, trade, RELEASE[0])
    assert store.row(first).story is None  # type: ignore[union-attr]
    again = ("https://reelwire.test/lantern-2", *RELEASE[1][1:])
    second, = _save(store, trade, again)
    assert store.row(first).story is None  # type: ignore[union-attr]
    third, = _save(store, _feed(store, "fans"), RELEASE[2])
    joined = store.row(third)
    assert joined is not None and joined.sources == 2 and joined.story in (first, second)
    assert {r.id for r in store.story(joined.story)} == {third, joined.story}


def test_signatures_are_kept_with_articles_and_worked_out_again_when_missing(
        store: Store) -> None:
    """Grouping reads each article's kept signature: one worked out at prepare time (in a
    refresh's workers), or, for an older or re-cleaned article, once and then kept."""
    trade, fans = _feed(store, "trade"), _feed(store, "fans")
    first, other = _save(store, trade, RELEASE[0], OTHER)
    kept = dict(store.conn.execute("SELECT id, signature FROM articles").fetchall())
    assert kept[first] and kept[other]
    store.conn.execute("UPDATE articles SET signature = NULL WHERE id = ?", (first,))
    later = Store.open(store.path)  # no signatures cached in memory
    try:
        second, third = _save(later, fans, RELEASE[1], RELEASE[2])
        assert [r.id for r in later.story(first)] == [first, second, third]
        again = dict(later.conn.execute("SELECT id, signature FROM articles").fetchall())
        assert again[first] == kept[first]
    finally:
        later.close()


def test_a_damaged_kept_signature_is_worked_out_again(store: Store) -> None:
    trade, fans = _feed(store, "trade"), _feed(store, "fans")
    (first,) = _save(store, trade, RELEASE[0])
    store.conn.execute("UPDATE articles SET signature = '[1, \"x\"' WHERE id = ?", (first,))
    later = Store.open(store.path)
    try:
        second, _ = _save(later, fans, RELEASE[1], RELEASE[2])
        assert [r.id for r in later.story(first)][:2] == [first, second]
    finally:
        later.close()


def test_the_signatures_a_store_has_in_hand_are_the_ones_it_would_read_back(
        store: Store) -> None:
    """Grouping takes the signatures a store prepared itself as they were made, without
    reading them back: each must be exactly what reading it back would give (times with
    microseconds included, which the store keeps to the second)."""
    trade = _feed(store, "trade")
    ids = [*_save(store, trade, RELEASE[0], OTHER), *_save(store, _feed(store, "fans"),
                                                          RELEASE[1])]
    assert sorted(store._signatures) == sorted(ids)
    # An article that comes back changed before grouping is read back, not taken as made.
    url, _, lead, hours = OTHER
    store.save_article(_article(url, "Hollow Orchard adaptation loses its director", lead,
                                hours), feed_id=trade, guid=url)
    in_hand = dict(store._signatures)
    assert sorted(in_hand) == sorted(ids[:1] + ids[2:])
    for article_id, url, feed_id, sort_time, kept in store.conn.execute(
            "SELECT id, url, feed_id, sort_time, signature FROM articles"):
        read_back = decode(kept, site_of(url, feed_id), datetime.fromisoformat(sort_time))
        assert article_id not in in_hand or read_back == in_hand[article_id]


def test_a_store_takes_over_another_stores_articles_with_their_signatures(
        store: Store) -> None:
    """A refresh worker's store hands its new articles over with the signatures it made
    (through a pipe, pickled); the refresh's own store groups them as if it had read each
    back, and reads back only those handed over without one."""
    worker = Store.open(store.path)
    try:
        ids = [*_save(worker, _feed(worker, "trade"), RELEASE[0], OTHER),
               *_save(worker, _feed(worker, "fans"), RELEASE[1], RELEASE[2])]
        handed = pickle.loads(pickle.dumps(worker.hand_over()))
    finally:
        worker.close()
    assert [article_id for article_id, _ in handed] == ids
    for article_id, signature in handed:
        url, feed_id, sort_time, kept = store.conn.execute(
            "SELECT url, feed_id, sort_time, signature FROM articles WHERE id = ?",
            (article_id,)).fetchone()
        assert signature == decode(kept, site_of(url, feed_id), datetime.fromisoformat(sort_time))
    handed[1] = (handed[1][0], None)  # read back
    store.take_over(handed)
    assert sorted(store._signatures) == sorted(ids[:1] + ids[2:])
    first, other, second, third = ids
    assert [r.id for r in store.story(first)] == [first, second, third]
    assert store.row(other).story is None  # type: ignore[union-attr]


def test_a_new_article_joins_a_later_one_stored_before(store: Store) -> None:
    """An entry can arrive after an article published later than it (a feed read late, a
    date set back): grouping the new one takes in the article it matches, whichever is
    newer."""
    (later,) = _save(store, _feed(store, "fans"), RELEASE[1])
    store.group_stories()
    (earlier,) = _save(store, _feed(store, "trade"), RELEASE[0])
    assert [r.id for r in store.story(earlier)] == [earlier, later]

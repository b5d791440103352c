"""Folders as views: their articles, their unread counts, and marking one read with undo."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.conftest import MakeArticle
from tui_reader.store import Store
from tui_reader.store.filters import Filter
from tui_reader.store.folders import folder_key, within
from tui_reader.store.outbox import SyncStore


@pytest.fixture
def filed(store: Store) -> dict[str, int]:
    """Feeds in "Film", in its subfolder "Film/Korean", in "Music", and in no folder."""
    return {name: store.add_feed(f"https://{name}.example/feed", name.title(), folder=folder)[0].id
            for name, folder in (("reel", "Film"), ("seoul", "Film/Korean"),
                                 ("tunes", "Music"), ("loose", None))}


def _save(store: Store, make: MakeArticle, feed: int, n: int, url: str | None = None) -> int:
    article = make(n)
    if url:
        article.url = url
    return store.save_article(article, feed_id=feed, guid=f"g{feed}-{n}")[0]


def test_a_folder_lists_its_feeds_and_subfolders_and_each_article_once(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    reel = _save(store, make, filed["reel"], 1)
    seoul = _save(store, make, filed["seoul"], 2)
    tune = _save(store, make, filed["tunes"], 3)
    # One story carried by a Film feed and a Music feed: stored once, listed in both.
    shared = _save(store, make, filed["tunes"], 4, "https://example.com/shared")
    assert _save(store, make, filed["reel"], 5, "https://example.com/shared") == shared
    # And one carried by both Film feeds: listed once in Film.
    both = _save(store, make, filed["reel"], 6, "https://example.com/both")
    assert _save(store, make, filed["seoul"], 7, "https://example.com/both") == both

    def ids(name: str) -> set[int]:
        rows = store.articles(folder=name)
        assert len(rows) == len({r.id for r in rows})
        return {r.id for r in rows}

    assert ids("Film") == {reel, seoul, shared, both}
    assert ids(" film / KOREAN ") == {seoul, both}  # case and spaces aside
    assert ids("Music") == {tune, shared}
    assert ids("Korean") == ids("Fil") == set()  # a whole level, from the top
    assert store.folders() == {"Film": 4, "Film/Korean": 2, "Music": 2}
    store.set_read([shared])
    assert store.folders() == {"Film": 3, "Film/Korean": 2, "Music": 1}
    # Newest first by keyset, across the folder's feeds.
    first = store.articles(folder="Film", limit=2)
    rest = store.articles(folder="Film", before=first[-1])
    assert [r.id for r in first + rest] == [r.id for r in store.articles(folder="Film")]


def test_a_hidden_article_is_neither_listed_nor_counted_nor_marked(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    _save(store, make, filed["reel"], 1)
    sponsored = store.save_article(make(2, title="Sponsored: a giveaway"),
                                   feed_id=filed["reel"], guid="ad")[0]
    store.use_filters((Filter.make("title", "sponsored", "hide"),))
    assert store.folders()["Film"] == 1
    assert sponsored not in store.mark_all_read(folder="Film")
    assert not store.row(sponsored).read  # type: ignore[union-attr]
    assert store.mark_all_read(folder="Film", hidden=True) == [sponsored]


def test_undo_gives_back_exactly_the_read_states_and_queues_both_changes(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    film = [_save(store, make, filed["reel"], n) for n in range(3)]
    korean = _save(store, make, filed["seoul"], 3)
    music = _save(store, make, filed["tunes"], 4)
    store.set_read([film[0]])
    sync = SyncStore(store.conn)
    sync.sent_marks(sync.pending_marks())  # as if a sync had sent that one

    marked = store.mark_all_read(folder="Film")
    assert sorted(marked) == sorted([*film[1:], korean])
    assert {m.article_id: m.value for m in sync.pending_marks()} == dict.fromkeys(marked, True)
    assert store.mark_all_read(folder="Film") == []  # nothing left to change

    store.undo_mark_read(marked)
    states = {r.id: r.read for r in store.articles()}
    assert states == {film[0]: True, film[1]: False, film[2]: False, korean: False,
                      music: False}
    # The server is told the latest: unread, for those and no others.
    assert {m.article_id: m.value for m in sync.pending_marks()} == dict.fromkeys(marked, False)


def test_an_undo_passes_over_an_article_gone_since(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    kept = _save(store, make, filed["reel"], 1)
    gone = _save(store, make, filed["loose"], 2)
    marked = store.mark_all_read()
    store.remove_feed("https://loose.example/feed")
    store.undo_mark_read(marked)
    assert [(r.id, r.read) for r in store.articles()] == [(kept, False)]
    assert gone not in {m.article_id for m in SyncStore(store.conn).pending_marks()}


def test_mark_all_read_takes_the_list_as_it_is_shown(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    ids = [_save(store, make, filed["loose"], n) for n in range(4)]
    store.set_bookmarked(ids[0], True)
    assert store.mark_all_read(bookmarked=True) == [ids[0]]
    assert store.mark_all_read(only=ids[1:3]) == ids[1:3]  # what a typed filter kept
    assert store.mark_all_read(feed_id=filed["loose"]) == [ids[3]]


def test_the_filter_lines_hold_title_author_and_feed(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    article = _save(store, make, filed["seoul"], 1)
    _save(store, make, filed["tunes"], 2)
    assert store.listed_text(folder="Film") == [(article, "Story 1 · Ada Writer · Seoul")]


def test_a_saved_search_folder_term_takes_subfolders_and_any_case(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    korean = _save(store, make, filed["seoul"], 1)
    reel = _save(store, make, filed["reel"], 2)
    _save(store, make, filed["tunes"], 3)
    assert {r.id for r in store.articles(query="folder:film")} == {korean, reel}
    assert {r.id for r in store.articles(query='folder:"Film/Korean"')} == {korean}
    assert store.saved_unread("folder:FILM") == 2
    assert store.articles(query="folder:Nowhere") == []
    assert sorted(store.mark_all_read(query="folder:film")) == sorted([korean, reel])
    assert store.saved_unread("folder:FILM") == 0 and store.counts()["unread"] == 1


@given(st.lists(st.text(alphabet="ab/ Ä", max_size=4), min_size=1, max_size=3))
def test_a_folder_holds_itself_and_what_is_filed_beneath(levels: list[str]) -> None:
    path = "/".join(levels)
    key = folder_key(path)
    assert within(path, path) == bool(key)
    assert within(path + "/x", path) == bool(key)
    assert not within(path, path + "/x") or not key
    assert folder_key(key) == key


def test_a_folder_lists_each_article_of_a_story_and_marks_the_whole_story(
        store: Store, make: MakeArticle, filed: dict[str, int]) -> None:
    first = _save(store, make, filed["tunes"], 1)  # the story's first article, outside Film
    reel = _save(store, make, filed["reel"], 2)
    seoul = _save(store, make, filed["seoul"], 3)
    store.group_stories()
    with store.conn:  # one story told by three feeds, as store.stories would group them
        store.conn.execute("UPDATE articles SET story = ? WHERE id IN (?, ?, ?)",
                           (first, first, reel, seoul))
    assert [r.id for r in store.articles()] == [first]  # All shows the story once
    assert {r.id for r in store.articles(folder="Film")} == {reel, seoul}
    # With story_read, marking one article of a story read marks the story, so its undo
    # gives back all three; without, the folder's own article alone.
    marked = store.mark_all_read(folder="Film/Korean")
    assert sorted(marked) == sorted([first, reel, seoul])
    store.undo_mark_read(marked)
    assert not any(r.read for r in store.articles(folder="Film"))
    store.story_read = False
    assert store.mark_all_read(folder="Film/Korean") == [seoul]

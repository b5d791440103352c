"""Lists sorted as asked: by date either way, by feed, or unread first; paged in any order."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.conftest import MakeArticle
from tui_reader.store import Store


@pytest.fixture
def store(db_path: Path, make: MakeArticle) -> Store:
    """Six articles, 1 the newest, alternately in feed "Zeta" and feed "alpha"; 2 and 5 read."""
    store = Store.open(db_path)
    zeta, _ = store.add_feed("https://zeta.example/feed", "Zeta")
    alpha, _ = store.add_feed("https://alpha.example/feed", "alpha")
    for n in range(1, 7):
        store.save_article(make(n), feed_id=(zeta if n % 2 else alpha).id, guid=str(n))
    store.set_read([2, 5])
    return store


@pytest.mark.parametrize(("order", "titles"), [
    ("newest", [1, 2, 3, 4, 5, 6]),
    ("oldest", [6, 5, 4, 3, 2, 1]),
    ("feed", [2, 4, 6, 1, 3, 5]),
    ("unread", [1, 3, 4, 6, 2, 5]),
])
def test_every_order_pages_without_gaps_or_repeats(
        store: Store, order: str, titles: list[int]) -> None:
    listed = []
    while page := store.articles(order=order, limit=4, offset=len(listed)):  # type: ignore[arg-type]
        listed += page
    assert [r.title for r in listed] == [f"Story {n}" for n in titles]
    store.close()


def test_one_feed_sorted_oldest_first_and_keyset_paging_is_newest_only(store: Store) -> None:
    zeta = next(f for f in store.feeds() if f.title == "Zeta")
    assert [r.title for r in store.articles(feed_id=zeta.id, order="oldest")] == [
        "Story 5", "Story 3", "Story 1"]
    first = store.articles(limit=1)[0]
    with pytest.raises(ValueError, match="newest first only"):
        store.articles(before=first, order="oldest")
    store.close()

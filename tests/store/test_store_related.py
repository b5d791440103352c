"""Related reads: the site's links first, then similar cached articles, never copies."""

from __future__ import annotations

from collections.abc import Callable

from tui_reader.models import Article, Link
from tui_reader.store import Store

MakeArticle = Callable[..., Article]

TOPICS = {
    "heist": "heist vault thief getaway crew diamonds",
    "space": "astronaut orbit rocket launch capsule nebula",
    "chef": "kitchen recipe chef sauce restaurant tasting",
}


def _corpus(store: Store, make: MakeArticle) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {topic: [] for topic in TOPICS}
    n = 0
    for round_ in range(6):
        for topic, words in TOPICS.items():
            n += 1
            body = f"{words} {words} story {round_} of the {topic} series " + "filler text " * 5
            ids[topic].append(store.save_article(make(n, body), feed_id=None, guid=None)[0])
    return ids


def test_similar_articles_share_the_topic_and_exclude_itself(
    store: Store, make: MakeArticle
) -> None:
    ids = _corpus(store, make)
    reads = store.related(ids["heist"][0])
    assert 5 <= len(reads) <= 10
    assert ids["heist"][0] not in {r.article_id for r in reads}
    assert {r.article_id for r in reads[:5]} == set(ids["heist"][1:])
    assert all(r.cached and not r.from_site for r in reads)
    assert len({r.article_id for r in reads}) == len(reads)


def test_site_links_come_first_marked_cached_or_not(store: Store, make: MakeArticle) -> None:
    ids = _corpus(store, make)
    links = [
        Link("Cached one", "https://example.com/2#comments"),
        Link("Not cached", "https://elsewhere.example/story"),
        Link("Itself", "https://example.com/100"),
        Link("Cached again", "https://example.com/2/"),
    ]
    article = make(100, TOPICS["space"] * 3, related=links)
    article_id, _ = store.save_article(article, feed_id=None, guid=None)
    reads = store.related(article_id)
    assert [(r.title, r.from_site, r.cached) for r in reads[:2]] == [
        ("Cached one", True, True), ("Not cached", True, False)]
    assert reads[0].article_id == store.id_for_url("https://example.com/2")
    assert article_id not in {r.article_id for r in reads}
    assert reads[0].article_id not in {r.article_id for r in reads[2:]}
    assert {r.article_id for r in reads[2:7]} == set(ids["space"]) - {reads[0].article_id}
    assert 5 <= len(reads) <= 10


def test_exact_duplicates_are_never_offered(store: Store, make: MakeArticle) -> None:
    ids = _corpus(store, make)
    original = store.article(ids["chef"][0])
    assert original is not None
    same_body = make(200, original.text, title="Syndicated copy")
    same_body.blocks = original.blocks
    copy_id = store.save_article(same_body, feed_id=None, guid=None)[0]
    same_title = make(201, TOPICS["chef"] + " another take", title=original.title)
    title_id = store.save_article(same_title, feed_id=None, guid=None)[0]
    found = {r.article_id for r in store.related(ids["chef"][0])}
    assert copy_id not in found and title_id not in found
    assert len(found) >= 5


def test_limit_is_kept_between_five_and_ten(store: Store, make: MakeArticle) -> None:
    ids = _corpus(store, make)
    links = [Link(f"Site {n}", f"https://site.example/{n}") for n in range(15)]
    article_id = store.save_article(make(300, TOPICS["heist"], related=links),
                                    feed_id=None, guid=None)[0]
    assert len(store.related(article_id, limit=50)) == 10
    assert len(store.related(ids["heist"][0], limit=1)) == 5
    assert store.related(99999) == []


def test_an_article_with_nothing_distinctive_has_no_similar_reads(
    store: Store, make: MakeArticle
) -> None:
    article_id = store.save_article(make(1, ""), feed_id=None, guid=None)[0]
    assert store.related(article_id) == []

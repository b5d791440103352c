"""Retention, vacuum, export and reclean, through the Store and the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.reclean import reclean
from tui_reader.store import Store

MakeArticle = Callable[..., Article]


def _age(store: Store, article_id: int, days: int) -> None:
    store.conn.execute("UPDATE articles SET fetched = datetime('now', ?) || '+00:00' WHERE id = ?",
                       (f"-{days} days", article_id))


def test_prune_keeps_bookmarks_unread_and_recent_articles(
    store: Store, feed_id: int, make: MakeArticle
) -> None:
    ids = {}
    for n, (name, days, read, marked) in enumerate([
        ("old read", 100, True, False), ("old read bookmarked", 400, True, True),
        ("old unread", 100, False, False), ("recent read", 10, True, False),
    ]):
        ids[name], _ = store.save_article(make(n), feed_id=feed_id, guid=name, entry_hash="h")
        _age(store, ids[name], days)
        store.set_read([ids[name]], read)
        store.set_bookmarked(ids[name], marked)
    assert store.prune(90) == 1
    assert store.row(ids["old read"]) is None
    assert all(store.row(ids[n]) for n in ("old read bookmarked", "old unread", "recent read"))
    assert store.prune(0) == 1
    assert store.counts() == {"all": 2, "unread": 1, "bookmarks": 1}


def test_a_pruned_entry_is_not_fetched_again_as_unread(
    store: Store, feed_id: int, make: MakeArticle
) -> None:
    article_id, _ = store.save_article(make(1), feed_id=feed_id, guid="g", entry_hash="h1")
    store.set_read([article_id])
    _age(store, article_id, 200)
    assert store.prune() == 1
    assert store.entry_hashes(feed_id) == {"g": "h1"}
    again, new = store.save_article(make(1), feed_id=feed_id, guid="g", entry_hash="h2")
    row = store.row(again)
    assert new and row is not None and row.read
    assert store.entry_hashes(feed_id) == {"g": "h2"}


def test_cli_prune_vacuum_and_the_configured_age(home: Path, make: MakeArticle) -> None:
    database = Paths.resolve(home).ensure().database
    with Store.open(database) as store:
        article_id, _ = store.save_article(make(1), feed_id=None, guid=None)
        store.set_read([article_id])
        _age(store, article_id, 30)
    assert main(["prune"]) == 0
    assert main(["prune", "--days", "-1"]) == 2
    with Store.open(database) as store:
        assert store.counts()["all"] == 1
    (home / "config.toml").write_text("[store]\nretention_days = 7\n")
    assert main(["prune"]) == 0
    assert main(["vacuum"]) == 0
    with Store.open(database) as store:
        assert store.counts()["all"] == 0


def _bookmarked(home: Path, make: MakeArticle) -> list[int]:
    with Store.open(Paths.resolve(home).ensure().database) as store:
        ids = []
        for n in range(3):
            article = make(n, f"Body *{n}* with [markup] and <tags>")
            article.blocks.append(Block("h", [[Span("A heading")]], 2))
            ids.append(store.save_article(article, feed_id=None, guid=None)[0])
        for article_id in ids[:2]:
            store.set_bookmarked(article_id, True)
        return ids


def test_export_json_round_trips_the_full_text(
    home: Path, make: MakeArticle, tmp_path: Path
) -> None:
    ids = _bookmarked(home, make)
    target = tmp_path / "out" / "bookmarks.json"
    assert main(["export", "--bookmarked", "--format", "json", str(target)]) == 0
    exported = json.loads(target.read_text())["articles"]
    assert {a["id"] for a in exported} == set(ids[:2])
    with Store.open(Paths.resolve(home).database) as store:
        for item in exported:
            article = store.article(item["id"])
            assert article is not None
            assert (item["text"], item["markdown"], item["title"]) == (
                article.text, article.markdown, article.title)
    assert [p.name for p in target.parent.iterdir()] == ["bookmarks.json"]


def test_export_markdown_escapes_and_goes_to_stdout(
    home: Path, make: MakeArticle, capsys: pytest.CaptureFixture[str]
) -> None:
    _bookmarked(home, make)
    assert main(["export", "--bookmarked"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n# Story ") == 2
    assert r"Body \*1\* with \[markup\] and \<tags\>" in out
    assert "## A heading" in out
    assert main(["export"]) == 2


def test_reclean_replaces_page_text_and_keeps_what_the_cleaner_rejects(
    store: Store, make: MakeArticle
) -> None:
    good, _ = store.save_article(make(1, "old text"), feed_id=None, guid=None,
                                 raw_html=b"<p>good page</p>")
    thin, _ = store.save_article(make(2, "stored feed text"), feed_id=None, guid=None,
                                 raw_html=b"<p>thin</p>")
    broken, _ = store.save_article(make(3, "kept"), feed_id=None, guid=None,
                                   raw_html=b"<p>boom</p>", content_type="text/html")
    store.save_article(make(4, "no page"), feed_id=None, guid=None)
    types: list[str | None] = []

    def cleaner(html: bytes, url: str | None, content_type: str | None) -> Article:
        types.append(content_type)
        if b"boom" in html:
            raise RuntimeError("cleaner bug")
        text = "improved words " * 30 if b"good" in html else "tiny"
        return Article(url=url, blocks=[Block("p", [[Span(text)]])], author="New Author")

    seen: list[tuple[int, int]] = []
    report = reclean(store, cleaner, progress=lambda r, total: seen.append((r.pages, total)))
    assert (report.pages, report.changed, report.unchanged, report.too_little,
            report.failed) == (3, 1, 0, 1, 1)
    assert report.summary() == ("3 stored pages: 1 changed, 0 unchanged, 1 kept as stored"
                                " (the cleaner found too little), 1 failed")
    assert seen == [(3, 3)]
    assert types == [None, None, "text/html"]  # as each page was stored
    article = store.article(good)
    assert article is not None and article.text.startswith("improved words")
    assert article.author == "Ada Writer"
    assert [h.row.id for h in store.search("improved")] == [good]
    assert store.article(thin).text == "stored feed text"  # type: ignore[union-attr]
    assert store.article(broken).text == "kept"  # type: ignore[union-attr]
    again = reclean(store, cleaner)
    assert (again.changed, again.unchanged, again.too_little, again.failed) == (0, 1, 1, 1)


def test_cli_reclean_uses_the_real_cleaner_with_progress(
    home: Path, make: MakeArticle, capsys: pytest.CaptureFixture[str]
) -> None:
    paragraphs = "".join(f"<p>Paragraph {n} of a long review of the new film, with enough words"
                         f" to count as an article body.</p>" for n in range(8))
    page = f"<html><body><article><h1>T</h1>{paragraphs}</article></body></html>".encode()
    with Store.open(Paths.resolve(home).ensure().database) as store:
        article_id, _ = store.save_article(make(1, "feed summary only"), feed_id=None, guid=None,
                                           raw_html=page)
    assert main(["reclean"]) == 0
    captured = capsys.readouterr()
    assert "[1/1]" in captured.err and "1 changed" in captured.out
    with Store.open(Paths.resolve(home).database) as store:
        article = store.article(article_id)
        assert article is not None and "Paragraph 7 of a long review" in article.text

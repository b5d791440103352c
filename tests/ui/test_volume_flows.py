"""Taming the volume in the reader: search in every language covered, one copy of an article."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from pilot_support import NOW, settle
from tui_reader.config import parse_config
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.palette import reader_commands
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.screens.search import SearchScreen
from tui_reader.ui.widgets.article_list import ArticleList
from tui_reader.ui.widgets.feed_list import FeedList

SIZE = (120, 40)


def _article(url: str, title: str, text: str, days: int = 1) -> Article:
    return Article(url=url, title=title, published=NOW - timedelta(days=days),
                   blocks=[Block("p", [[Span(text)]])])


async def test_search_finds_korean_inside_words_and_english_inflections(library: Paths) -> None:
    with Store.open(library.database) as store:
        feed = store.feeds()[0]
        store.save_article(_article("https://seoul.example/iu", "아이유 콘서트 후기",
                                    "가수 아이유가 무대에 섰다."), feed_id=feed.id, guid="iu")
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        search = app.screen
        for query, title in (("아이유", "아이유 콘서트 후기"), ("무대", "아이유 콘서트 후기"),
                             ("renew ", "Harbor Lights renewed for a third season")):
            search.query_one(Input).value = query
            await settle(pilot)
            assert [h.row.title for h in search.hits] == [title], query
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.title == "Harbor Lights renewed for a third season"


async def test_an_article_from_two_feeds_is_listed_once_with_the_other_feed(
        library: Paths) -> None:
    with Store.open(library.database) as store:
        film, kdrama = sorted(store.feeds(), key=lambda f: f.title)
        for feed, url in ((film, "https://seoul.example/casting/?utm_source=rss"),
                          (kdrama, "http://www.seoul.example/casting")):
            store.save_article(_article(url, "Casting news for Moonlit Palace 2", "Cast named."),
                               feed_id=feed.id, guid=url)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        [row] = [r for r in articles.rows if r.title.startswith("Casting")]
        assert (row.feed_title, row.also_in) == ("Marquee Weekly", ("Seoul Screen",))
        prompt = str(articles.get_option(str(row.id)).prompt)
        assert "also in: Seoul Screen" in prompt
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = feeds.get_option_index(f"feed:{kdrama.id}")
        await settle(pilot)
        assert [r.id for r in articles.rows if r.title.startswith("Casting")] == [row.id]
        unread_before = feeds.feeds[film.id].unread
        articles.focus()
        articles.highlighted = next(n for n, r in enumerate(articles.rows) if r.id == row.id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(pilot)
        feeds = app.screen.query_one(FeedList)
        assert feeds.feeds[film.id].unread == unread_before - 1


async def test_filtered_articles_are_hidden_and_shown_on_request(library: Paths) -> None:
    settings = parse_config('[[filter]]\nmatch = "title"\npattern = "moonlit"\n',
                            library.config_file)
    app = ReaderApp(library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert not any("Moonlit" in r.title for r in articles.rows)
        assert "Show or hide filtered articles" in {c.title for c in reader_commands(app)}
        await pilot.press("H")
        await settle(pilot)
        shown = [r for r in articles.rows if "Moonlit" in r.title]
        assert len(shown) == 1 and shown[0].hidden
        assert "hidden by a filter" in str(articles.get_option(str(shown[0].id)).prompt)
        await pilot.press("H")
        await settle(pilot)
        assert not any("Moonlit" in r.title for r in articles.rows)


async def test_a_saved_search_is_listed_with_its_unread_count_and_opens_like_a_feed(
        library: Paths) -> None:
    settings = parse_config('[[query]]\nname = "Moonlit"\nsearch = "moonlit folder:K-Drama"\n',
                            library.config_file)
    app = ReaderApp(library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feeds = app.screen.query_one(FeedList)
        header = feeds.get_option("saved")
        assert str(header.prompt) == "Saved searches" and header.disabled
        assert str(feeds.get_option("query:0").prompt).endswith("Moonlit 2")
        feeds.highlighted = feeds.get_option_index("query:0")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert [r.title for r in articles.rows] == ["Moonlit Palace finale breaks records",
                                                    "Seoul Screen awards shortlist"]
        articles.focus()
        await pilot.press("A")
        await settle(pilot)
        assert str(app.screen.query_one(FeedList).get_option("query:0").prompt).endswith(
            "Moonlit")
        # What the search does not list stays unread.
        assert {f.title: f.unread for f in app.screen.query_one(FeedList).feeds.values()} == {
            "Marquee Weekly": 3, "Seoul Screen": 0}
        await pilot.press("u")
        await settle(pilot)
        assert str(app.screen.query_one(FeedList).get_option("query:0").prompt).endswith(
            "Moonlit 2")

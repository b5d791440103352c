"""Taming the volume in the reader: search in every language covered, one copy of an article."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from pilot_support import NOW, settle
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.screens.search import SearchScreen

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

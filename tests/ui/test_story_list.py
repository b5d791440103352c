"""One event from several sites: listed once with its sources, read as one story."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from pilot_support import NOW, settle
from story_support import LANTERN, store_told
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.widgets.article_list import ArticleList

SIZE = (120, 40)
TOLD = LANTERN


@pytest.fixture
def told(home: Path) -> Paths:
    return store_told(home, TOLD, NOW - timedelta(days=1))


async def test_a_story_is_listed_once_and_read_as_one(told: Paths) -> None:
    app = ReaderApp(told)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(ArticleList)
        assert len(listing.rows) == 1
        assert "3 sources" in str(listing.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.row is not None and screen.row.url == TOLD[0][0]
        reads = screen.sidebar.reads
        assert [(r.url, r.same_story) for r in reads[:2]] == [(TOLD[1][0], True),
                                                              (TOLD[2][0], True)]
        assert "same story" in str(screen.sidebar.options.get_option_at_index(0).prompt)
        await pilot.press("escape")
        await settle(pilot)
        assert listing.rows[0].read
    with Store.open(told.database) as store:
        assert all(r.read for r in store.story(listing.rows[0].id))

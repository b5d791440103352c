"""First run: a welcome that explains how to add feeds and offers the demo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from pilot_support import settle
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen


async def test_welcome_then_demo_for_this_session(home: Path) -> None:
    paths = Paths.resolve(home).ensure()
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, rounds=2)
        welcome = app.main.query_one("#welcome", Static)
        assert welcome.display
        assert "add a feed" in str(welcome.render())
        await pilot.press("d")
        await settle(pilot, rounds=3)
        assert not welcome.display
        assert len(app.main.article_list.rows) >= 22
        status = str(app.main.query_one("#status", Static).render())
        assert status.startswith("updated just now · ") and "failed" not in status
        await pilot.press("enter")
        await settle(pilot, rounds=2)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article is not None and len(app.screen.article.text) > 500
    with Store.open(paths.database) as store:
        assert store.feeds() == []

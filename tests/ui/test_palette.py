"""The command palette: our commands first, then feeds and recent articles; none of Textual's."""

from __future__ import annotations

from typing import Any

from textual.command import CommandList, CommandPalette

from pilot_support import settle
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen

SIZE = (120, 40)


async def offered(app: ReaderApp, pilot: Any, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
        await pilot.pause(0.3)
    listing = app.screen.query_one(CommandList)
    return [str(option.prompt).split("\n")[0] for option in listing.options]


async def test_palette_offers_our_commands_first_then_feeds_and_articles(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = await offered(app, pilot)
    assert titles[:3] == ["Refresh", "Refresh all now", "Add feed"]
    for wanted in ("Export bookmarks", "Change theme", "Search", "Help", "Quit"):
        assert wanted in titles
    assert not {"Maximize", "Screenshot", "Keys", "Theme"} & set(titles)
    assert "Try the demo" not in titles  # feeds are there already
    feeds = [t for t in titles if t.startswith(("Feed: ", "Folder: "))]
    assert feeds == ["Folder: Film & TV", "Folder: K-Drama", "Feed: Marquee Weekly",
                     "Feed: Seoul Screen"]
    reads = [t for t in titles if t.startswith("Read: ")]
    assert titles.index(feeds[-1]) < titles.index(reads[0])
    hostile = reads[0]
    assert "[@click=app.quit]click[/]" in hostile and "\x1b" not in hostile


async def test_jump_to_a_feed_and_open_a_recent_article(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert (await offered(app, pilot, "seoul screen"))[0] == "Feed: Seoul Screen"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.selected_feed is not None
        assert app.main.selected_feed.title == "Seoul Screen"
        assert {r.feed_title for r in app.main.article_list.rows} == {"Seoul Screen"}
        assert (await offered(app, pilot, "folder: film"))[0] == "Folder: Film & TV"
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.feed_list.selected_folder == "Film & TV"
        assert {r.feed_title for r in app.main.article_list.rows} == {"Marquee Weekly"}
        found = await offered(app, pilot, "read: harbor lights")
        assert found[0] == "Read: Harbor Lights renewed for a third season"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article is not None
        assert app.screen.article.title == "Harbor Lights renewed for a third season"

"""The main list under control: sorted as asked, read articles hidden per view, counts (5j)."""

from __future__ import annotations

from textual.widgets import Static

from pilot_support import settle
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)


def titles(app: ReaderApp) -> list[str]:
    return [r.title for r in app.main.article_list.rows]


def status(app: ReaderApp) -> str:
    return str(app.main.query_one("#status", Static).render())


async def test_the_sort_key_cycles_through_the_orders(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        newest = titles(app)
        await pilot.press("s")
        await settle(pilot)
        assert titles(app) == newest[::-1]
        assert status(app).startswith("oldest first · ")
        await pilot.press("s")
        await settle(pilot)
        feeds = [r.feed_title for r in app.main.article_list.rows]
        assert feeds == sorted(feeds, key=str.lower) and "by feed" in status(app)
        await pilot.press("j", "m", "s")  # one read: unread first puts it last
        await settle(pilot)
        assert [r.read for r in app.main.article_list.rows][-1] is True
        assert "unread first" in status(app)
        await pilot.press("s")
        await settle(pilot)
        assert titles(app) == newest and "first" not in status(app)


async def test_read_articles_are_hidden_in_one_view_only(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = titles(app)[0]
        await pilot.press("m", "x")
        await settle(pilot)
        assert first not in titles(app) and len(titles(app)) == 4
        assert "read hidden" in status(app)
        app.main.select_view(f"feed:{app.main.article_list.rows[0].feed_id}")
        await settle(pilot)
        assert first in titles(app) and "read hidden" not in status(app)
        app.main.select_all()
        await settle(pilot)
        assert first not in titles(app)
        await pilot.press("x")
        await settle(pilot)
        assert first in titles(app)


async def test_a_count_moves_that_many_rows(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.main.article_list
        await pilot.press("3", "j")
        assert listing.highlighted == 3
        await pilot.press("2", "k")
        assert listing.highlighted == 1
        await pilot.press("j")
        assert listing.highlighted == 2
        await pilot.press("1", "0", "j")
        assert listing.highlighted == 4
        await pilot.press("0", "k")  # a leading 0 is no count
        assert listing.highlighted == 3
        await pilot.press("5", "b", "k")  # a count is spent by the key after it
        assert listing.highlighted == 2

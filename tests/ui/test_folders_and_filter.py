"""Folders as views, marking a whole list read with undo, type-to-filter, and counts (3J, 2n)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from pilot_support import NOW, settle
from tui_reader.config import parse_config
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)
FILM = ["Harbor Lights renewed for a third season", "Shorts: a night at the drive-in",
        "Inside the score of Glass Orchard"]  # newest first


def titles(app: ReaderApp) -> list[str]:
    return [r.title for r in app.main.article_list.rows]


def notices(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def prompt(app: ReaderApp, option: str) -> str:
    return str(app.main.feed_list.get_option(option).prompt)


def _with_subfolder(library: Paths) -> Paths:
    """A third feed, filed under a subfolder of "Film & TV"."""
    with Store.open(library.database) as store:
        shorts, _ = store.add_feed("https://shorts.example/feed", "Shorts Daily",
                                   folder="Film & TV/Shorts")
        store.save_article(Article(url="https://shorts.example/1", title=FILM[1],
                                   published=NOW - timedelta(days=4),
                                   blocks=[Block("p", [[Span("A double bill.")]])]),
                           feed_id=shorts.id, guid="s1")
    return library


async def test_a_folder_lists_its_feeds_and_marks_read_with_undo(library: Paths) -> None:
    app = ReaderApp(_with_subfolder(library))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hostile = next(t for t in titles(app) if t not in FILM and "Moonlit" not in t
                       and "Seoul" not in t)
        assert prompt(app, "folder:Film & TV").endswith(" 4")
        assert prompt(app, "folder:Film & TV/Shorts").endswith(" 1")
        app.main.feed_list.highlighted = app.main.feed_list.get_option_index("folder:Film & TV")
        await settle(pilot)
        assert titles(app) == [hostile, *FILM]
        await pilot.press("A")
        await settle(pilot)
        assert all(r.read for r in app.main.article_list.rows)
        assert "Marked 4 read in Film & TV · u to undo" in notices(app)
        assert not prompt(app, "folder:Film & TV").endswith(" 4")
        assert {f.title: f.unread for f in app.main.feed_list.feeds.values()}["Seoul Screen"] == 2
        await pilot.press("A")
        await settle(pilot)
        assert "Nothing unread in Film & TV" in notices(app)
        await pilot.press("u")  # still undoes the mark that changed something
        await settle(pilot)
        assert not any(r.read for r in app.main.article_list.rows)
        assert "Marked 4 unread again" in notices(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo" in notices(app)


async def test_undo_gives_back_only_what_the_mark_changed(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "m")  # one read by hand first
        await settle(pilot)
        read_first = app.main.article_list.rows[1].id
        await pilot.press("A", "u")
        await settle(pilot)
        assert [r.id for r in app.main.article_list.rows if r.read] == [read_first]


async def test_typing_narrows_the_list_and_enter_keeps_it(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        everything = titles(app)
        await pilot.press("F")
        assert app.focused is app.main.list_filter.input
        await pilot.press(*"HARBOR")  # case aside
        await settle(pilot)
        assert titles(app) == ["Harbor Lights renewed for a third season"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", *"seoul moonlit")  # every word, anywhere in the line
        await settle(pilot)
        assert titles(app) == ["Moonlit Palace finale breaks records"]
        status = str(app.main.query_one("#status", Static).render())
        assert status.startswith("filter keeps 1 · ")
        await pilot.press("enter")
        assert app.focused is app.main.article_list
        await pilot.press("A")  # marks what the filter kept, nothing else
        await settle(pilot)
        assert "Marked 1 read in All, filtered · u to undo" in notices(app)
        await pilot.press("escape")
        await settle(pilot)
        assert titles(app) == everything and not app.main.list_filter.display
        assert [r.title for r in app.main.article_list.rows if r.read] == [
            "Moonlit Palace finale breaks records"]


async def test_the_filter_follows_the_view_and_escape_closes_it(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F", "e")
        await settle(pilot)
        assert len(titles(app)) == 5  # Marquee Weekly and Seoul Screen both have an e
        app.main.feed_list.highlighted = app.main.feed_list.get_option_index("folder:K-Drama")
        await settle(pilot)
        assert titles(app) == ["Moonlit Palace finale breaks records",
                               "Seoul Screen awards shortlist"]
        await pilot.press("escape")
        await settle(pilot)
        assert not app.main.list_filter.display and app.focused is app.main.article_list
        assert app.main.kept is None


async def test_counts_step_through_feeds_and_unread(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        await pilot.press("3", "J")  # Unread, Bookmarks, then the first folder
        await settle(pilot)
        assert feeds.selection == "folder:Film & TV"
        assert app.focused is app.main.article_list
        await pilot.press("J")
        await settle(pilot)
        assert feeds.selected_feed is not None and feeds.selected_feed.title == "Marquee Weekly"
        await pilot.press("9", "K")  # stops at the top
        await settle(pilot)
        assert feeds.selection == "all"
        listing = app.main.article_list
        await pilot.press("2", "n")
        assert listing.highlighted == 2
        await pilot.press("k", "m")
        await settle(pilot)
        await pilot.press("g", "2", "n")  # skips the read one
        assert listing.highlighted == 3
        await pilot.press("4", "G")
        assert listing.highlighted == 3
        await pilot.press("G", "1", "g")
        assert listing.highlighted == 0


async def test_stepping_with_the_feed_pane_folded_says_where_the_list_is(app: ReaderApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.main.feed_list.display
        await pilot.press("4", "J")
        await settle(pilot)
        assert notices(app)[-1] == "Marquee Weekly"
        assert {r.feed_title for r in app.main.article_list.rows} == {"Marquee Weekly"}


async def test_moving_in_the_feed_pane_steps_over_its_headers(library: Paths) -> None:
    settings = parse_config('[[query]]\nname = "Moonlit"\nsearch = "moonlit"\n',
                            library.config_file)
    app = ReaderApp(library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("h", "G")
        await settle(pilot)
        feeds = app.main.feed_list
        assert feeds.selection == "query:0"
        await pilot.press("k")  # over "Saved searches"
        await settle(pilot)
        assert feeds.selected_feed is not None and feeds.selected_feed.title == "Seoul Screen"
        await pilot.press("2", "j")  # one row left, past the header: it stops there
        await settle(pilot)
        assert feeds.selection == "query:0"


async def test_r_on_a_folder_refreshes_its_feeds(
        library: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    app = ReaderApp(_with_subfolder(library))
    asked: list[tuple[list[int] | None, bool]] = []
    monkeypatch.setattr(app, "start_refresh",
                        lambda ids, *, force=False: asked.append((ids, force)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        feeds.highlighted = feeds.get_option_index("folder:Film & TV")
        await settle(pilot)
        await pilot.press("r")
        film = {f.id for f in feeds.feeds.values() if f.title != "Seoul Screen"}
        assert [(set(ids or ()), force) for ids, force in asked] == [(film, True)]


async def test_a_folder_spelt_two_ways_is_two_whole_groups(library: Paths) -> None:
    with Store.open(library.database) as store:
        for n, folder in enumerate(("k-drama", "K-Drama", "k-drama")):
            store.add_feed(f"https://more{n}.example/feed", f"More {n}", folder=folder)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ids = [o.id for o in app.main.feed_list.options if o.id and o.id.startswith("folder:")]
        assert ids == ["folder:Film & TV", "folder:K-Drama", "folder:k-drama"]

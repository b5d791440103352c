"""Every reader flow, driven through the pilot as a person would use the keys."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Input, Static
from ui_library import HOSTILE

from http_support import reply
from pilot_support import settle
from tui_reader import refresh
from tui_reader.config import Settings
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.refresh import refresh_all, spread
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.dialogs import AddFeedScreen
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.screens.main import MainScreen
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.screens.search import SearchScreen
from tui_reader.ui.widgets.article_text import ArticleText

SIZE = (120, 40)


def reader(app: ReaderApp) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def test_main_lists_feeds_and_articles(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [r.title for r in app.main.article_list.rows]
        assert titles[0] == HOSTILE
        assert titles[-1] == "Seoul Screen awards shortlist"
        feed_prompts = [str(o.prompt) for o in app.main.feed_list.options]
        assert any("Marquee Weekly" in p for p in feed_prompts)
        assert any("K-Drama" in p for p in feed_prompts)


async def test_open_back_next_previous(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert reader(app).article is not None
        assert reader(app).article.title == "Harbor Lights renewed for a third season"
        await pilot.press("n")
        await settle(pilot)
        assert reader(app).article.title == "Moonlit Palace finale breaks records"
        await pilot.press("p", "p")
        await settle(pilot)
        assert reader(app).article.title.startswith("Drake")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        rows = app.main.article_list.rows
        assert [r.read for r in rows[:3]] == [True, True, True]


async def test_reader_shows_structure_and_numbered_links(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        body = app.screen.query_one("#article-body", ArticleText).content.plain
        assert "cast list[1]" in body
        assert "• Mara Ellison returns" in body
        assert "▌ We always knew" in body
        assert "[1] https://marquee.example/harbor-lights-cast" in body
        opened: list[str] = []
        app.open_link = opened.append  # type: ignore[method-assign]
        await pilot.press("1")
        assert opened == ["https://marquee.example/harbor-lights-cast"]


async def test_bookmark_and_read_toggle(app: ReaderApp, library: Paths) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        row = app.main.article_list.rows[0]
        assert row.bookmarked and row.read
        await pilot.press("B")
        await settle(pilot)
        assert [r.id for r in app.main.article_list.rows] == [row.id]
    with Store.open(library.database) as store:
        assert [r.id for r in store.articles(bookmarked=True)] == [row.id]


async def test_mark_feed_read_and_undo(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert all(r.read for r in app.main.article_list.rows)
        await pilot.press("u")
        await settle(pilot)
        assert not any(r.read for r in app.main.article_list.rows)


async def test_sidebar_toggle_and_related_reads(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        screen = reader(app)
        assert screen.sidebar.display
        reads = screen.sidebar.reads
        assert [r.title for r in reads[:2]] == [
            "Inside the score of Glass Orchard",
            "Festival line-up announced",
        ]
        assert reads[0].cached and not reads[1].cached
        await pilot.press("s")
        assert not screen.sidebar.display
        await pilot.press("s")
        assert screen.sidebar.display
        # A cached related read opens from the store.
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article is not None
        assert screen.article.title == "Inside the score of Glass Orchard"
        # Back returns to the article the related read was opened from.
        await pilot.press("escape")
        await settle(pilot)
        assert screen.article.title == "Harbor Lights renewed for a third season"
        # An uncached one is fetched, cleaned, cached and shown.
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
        assert screen.article.title == "Festival line-up announced"
        assert "silent comedy" in screen.article.text


async def test_narrow_terminal_hides_sidebar(app: ReaderApp) -> None:
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not reader(app).sidebar.display


async def test_search_as_you_type(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"moonlit")
        await settle(pilot)
        assert [h.row.title for h in app.screen.hits] == [
            "Moonlit Palace finale breaks records",
            "Seoul Screen awards shortlist",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert reader(app).article.title == "Moonlit Palace finale breaks records"


async def test_search_with_broken_syntax(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for query in ('"unclosed', "a OR", "NEAR(", "*", "col:x", "AND"):
            app.screen.query_one(Input).value = query
            await settle(pilot)
            status = str(app.screen.query_one("#search-status", Static).render())
            assert status == "invalid search" or status.endswith(("result", "results"))
        assert isinstance(app.screen, SearchScreen)


async def test_add_feed_with_bad_url(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedScreen)
        await pilot.press(*"ftp://x", "enter")
        error = str(app.screen.query_one("#add-error", Static).render())
        assert "only http and https" in error
        app.screen.query_one(Input).value = "http://127.0.0.1:9/feed.xml"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddFeedScreen)
        assert "cannot connect" in str(app.screen.query_one("#add-error", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_refresh_with_one_failing_feed(library: Paths, site: Any) -> None:
    good = site.add(
        "/good.xml",
        "<rss version='2.0'><channel><title>Good Feed</title><item><title>Fresh story</title>"
        "<guid>fresh-1</guid><description>A fresh story about the Moonlit Palace cast and "
        "their next drama, long enough to keep.</description></item></channel></rss>",
        "application/rss+xml",
    )
    with Store.open(library.database) as store:
        for feed in store.feeds():
            store.remove_feed(feed.url)
        store.add_feed(good, "Good Feed")
        store.add_feed(site.url("/missing.xml"), "Broken Feed")
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await settle(pilot)
        status = str(app.main.query_one("#status", Static).render())
        assert "1 failed" in status
        prompts = [str(o.prompt) for o in app.main.feed_list.options]
        assert any("Broken Feed" in p and "⚠" in p for p in prompts)
        assert any(r.title == "Fresh story" for r in app.main.article_list.rows)


async def test_hostile_headline_is_literal(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = str(app.main.article_list.get_option_at_index(0).prompt)
        assert "[@click=app.quit]click[/]" in prompt
        assert "\x1b" not in prompt and "\x07" not in prompt
        await pilot.click("#articles", offset=(10, 0))
        await settle(pilot)
        assert app.is_running
        await pilot.press("enter")
        await settle(pilot)
        header = str(app.screen.query_one("#article-header", Static).render())
        assert "[b]bold?[/b]" in header and "\x1b" not in header


async def test_help_lists_every_key(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = str(app.screen.query_one("#help-body Static", Static).render())
        for binding in MainScreen.BINDINGS:
            assert binding.id in listed  # type: ignore[union-attr]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_scroll_position_is_remembered(app: ReaderApp) -> None:
    async with app.run_test(size=(120, 12)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        position = reader(app).view.scroll_y
        assert position > 0
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert reader(app).view.scroll_y == position


async def test_keys_are_rebindable_by_id(library: Paths) -> None:
    from tui_reader.config import Settings

    app = ReaderApp(library, settings=Settings(keys={"main.bookmark": "x"}, refresh_on_start=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.main.article_list.rows[0].bookmarked


async def test_theme_choice_is_remembered(app: ReaderApp, library: Paths) -> None:
    from tui_reader.config import load_settings

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert load_settings(library.config_file).theme == "nord"
    again = ReaderApp(library, settings=load_settings(library.config_file))
    assert again.theme == "nord"


async def test_remove_feed_keeps_bookmarks(app: ReaderApp, library: Paths) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        bookmarked = app.main.article_list.rows[0]
        app.main.feed_list.focus()
        app.main.feed_list.highlighted = app.main.feed_list.get_option_index(
            f"feed:{bookmarked.feed_id}"
        )
        await settle(pilot)
        app.action_remove_feed()
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
    with Store.open(library.database) as store:
        assert [f.title for f in store.feeds()] == ["Seoul Screen"]
        assert [r.id for r in store.articles(bookmarked=True)] == [bookmarked.id]


async def test_export_bookmarks(app: ReaderApp, library: Paths) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "b")
        await settle(pilot)
        await app.action_export_bookmarks()
    exported = (library.data_dir / "bookmarks.md").read_text()
    assert "\n# Harbor Lights renewed for a third season\n" in exported
    assert "Showrunner Priya Castellan" in exported


async def test_back_keeps_the_list_position(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.article_list.highlighted == 2
        assert app.main.article_list.rows[2].read
        await pilot.press("j", "enter")
        await settle(pilot)
        assert reader(app).article.title == "Inside the score of Glass Orchard"


async def test_open_in_browser_only_http(app: ReaderApp, monkeypatch: Any) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "o")
        await settle(pilot)
        expected = [app.main.article_list.rows[1].url]
        assert opened == expected
        app.open_link("javascript:alert(1)")
        app.open_link("file:///etc/passwd")
        app.open_link("-a Calculator")
        await settle(pilot)
    assert opened == expected


async def test_refresh_selected_feed_and_list_keys(library: Paths, site: Any) -> None:
    feed = site.add(
        "/only.xml",
        "<rss version='2.0'><channel><title>Only Feed</title><item><title>Lone story</title>"
        "<guid>lone-1</guid><description>A lone story about a festival line-up that is long "
        "enough to keep as the article text.</description></item></channel></rss>",
        "application/rss+xml",
    )
    with Store.open(library.database) as store:
        only, _ = store.add_feed(feed, "Only Feed")
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.feed_list.highlighted = app.main.feed_list.get_option_index(f"feed:{only.id}")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert [r.title for r in app.main.article_list.rows] == ["Lone story"]
        assert len(site.seen("/only.xml")) == 1
        await pilot.press("h", "g")
        await settle(pilot)
        assert app.main.feed_list.highlighted == 0
        await pilot.press("l", "G")
        assert app.main.article_list.highlighted == len(app.main.article_list.rows) - 1


async def test_a_storage_failure_is_a_notice_not_a_crash(
    app: ReaderApp, monkeypatch: Any
) -> None:
    from tui_reader.store import StoreError
    from tui_reader.ui.library import Library

    async def busy(*args: object, **kwargs: object) -> None:
        raise StoreError("the database is busy: database is locked")

    monkeypatch.setattr(Library, "mark", busy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert app.is_running
        assert any("database is busy" in n.message for n in app._notifications)


def slow_page(request: Any) -> None:
    time.sleep(0.1)
    reply(request, b"<html><body><article><p>" + b"A slow page about a festival. " * 20
          + b"</p>")


def slow_feeds(library: Paths, site: Any, count: int) -> None:
    """`count` feeds of four slow pages each, alternately on two host names."""
    with Store.open(library.database) as store:
        for n in range(count):
            items = "".join(f"<item><title>Story {n}.{i}</title><guid>s{n}-{i}</guid>"
                            f"<link>{site.url(f'/p/{n}/{i}')}</link></item>" for i in range(4))
            for i in range(4):
                site.handle(f"/p/{n}/{i}", slow_page)
            url = site.add(f"/f{n}.xml", f"<rss version='2.0'><channel><title>F{n}</title>"
                           f"{items}</channel></rss>", "application/rss+xml")
            store.add_feed(url.replace("127.0.0.1", "localhost") if n % 2 else url, f"F{n}")


async def test_closing_mid_refresh_stops_it_quietly(
    library: Paths, site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh stops at the next feed to finish, keeps what it stored, and reports
    nothing to the screens that are gone: it is cancelled, not failed."""
    ended: list[str] = []

    async def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            report = await refresh_all(*args, **kwargs)
        except asyncio.CancelledError:
            ended.append("cancelled")
            raise
        except Exception as exc:
            ended.append(f"failed: {exc!r}")
            raise
        ended.append("finished")
        return report

    monkeypatch.setattr(refresh, "refresh_all", watched)

    def pages() -> int:
        return sum(1 for path, _ in site.requests if path.startswith("/p/"))

    slow_feeds(library, site, 6)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        while "Refreshing " not in str(app.main.query_one("#status", Static).render()):
            await pilot.pause(0.02)
    served = -1
    for _ in range(50):  # until the page requests stop
        await asyncio.sleep(0.3)
        if pages() == served:
            break
        served = pages()
    assert served < 24
    assert ended == ["cancelled"]
    with Store.open(library.database) as store:
        assert any(r.title.startswith("Story") for r in store.articles(limit=500))


async def test_a_large_refresh_from_the_reader_shares_work_with_a_worker_process(
    library: Paths, site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the reader, whose screen has no real stderr, a worker process still starts."""
    slow_feeds(library, site, 6)
    monkeypatch.setattr(refresh, "processes_for", lambda due, hosts: 2)
    via_worker: list[str] = []
    serve = spread._Worker.serve

    async def watched(worker: Any, groups: Any, done: Any, store: Store) -> None:
        def noted(feed: Any, result: Any) -> None:
            via_worker.append(feed.url)
            done(feed, result)
        await serve(worker, groups, noted, store)

    monkeypatch.setattr(spread._Worker, "serve", watched)
    # One site at a time in each process: this one takes the first, the worker another.
    one_at_a_time = Settings(concurrency=1, per_host=1, refresh_on_start=False)
    app = ReaderApp(library, settings=one_at_a_time)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot, rounds=2)
        assert "24 new" in str(app.main.query_one("#status", Static).render())
    # Which feeds it took depends on who was free first: only that it took some is certain.
    assert via_worker


async def test_bookmarked_is_said_only_once_it_is_saved(app: ReaderApp, library: Paths) -> None:
    """A notice before the commit would promise a bookmark a crash could still lose."""
    blocker = sqlite3.connect(library.database, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
        try:
            await pilot.press("b")
            await asyncio.sleep(0.3)
            assert "Bookmarked" not in [str(n.message) for n in app._notifications]
        finally:
            blocker.execute("ROLLBACK")
        await settle(pilot)
        assert "Bookmarked" in [str(n.message) for n in app._notifications]
    blocker.close()
    with Store.open(library.database) as store:
        assert len(store.articles(bookmarked=True)) == 1


async def test_a_feed_title_reaches_a_notice_only_as_plain_text(app: ReaderApp,
                                                                 library: Paths) -> None:
    with Store.open(library.database) as store:
        feed = store.feeds()[0]
        store.conn.execute("UPDATE feeds SET title = ? WHERE id = ?",
                           ("Before \x1b]0;PWNED\x07 After", feed.id))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        feeds.highlighted = feeds.get_option_index(f"feed:{feed.id}")
        await pilot.press("A")
        await settle(pilot)
        [notice] = [str(n.message) for n in app._notifications if "Marked" in str(n.message)]
        assert notice.startswith("Marked") and "Before After" in notice
        assert not any(c in notice for c in "\x1b\x07")


async def test_the_feed_pane_folds_on_narrow_screens_and_with_f(app: ReaderApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        assert not feeds.display
        await pilot.press("h")  # h brings it back to choose a feed…
        assert feeds.display and app.main.focused is feeds
        await pilot.press("enter")  # …and it folds away again once one is chosen
        await settle(pilot)
        assert not feeds.display and app.main.focused is app.main.article_list
        await pilot.press("f")
        assert feeds.display
        await pilot.resize_terminal(160, 50)
        await pilot.press("f")
        assert not feeds.display


async def test_feed_names_are_shortened_so_counts_are_never_cut(
    library: Paths,
) -> None:
    with Store.open(library.database) as store:
        feed, _ = store.add_feed("https://long-name.example/feed",
                                 "An Extremely Long Feed Name For Film And Television News")
        store.save_article(Article(url="https://long-name.example/1", title="One",
                                   blocks=[Block("p", [[Span("Text.")]])]),
                           feed_id=feed.id, guid="1")
    app = ReaderApp(library)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        width = feeds.scrollable_content_region.width
        index = feeds.get_option_index(f"feed:{feed.id}")
        shown = feeds.get_option_at_index(index).prompt
        assert isinstance(shown, Content)
        assert shown.plain.endswith("…  1") or shown.plain.endswith("… 1")
        assert shown.cell_length <= width

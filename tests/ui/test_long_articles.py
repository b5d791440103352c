"""Long articles: wrapped lazily, yet whole, numbered, selectable and scrolled back to."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.selection import Selection

from pilot_support import settle
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.widgets import article_text
from tui_reader.ui.widgets.article_text import ArticleText

PARAGRAPHS = 400


def long_read() -> Article:
    """About 100,000 characters: paragraphs with a link each, a heading every tenth."""
    blocks = []
    for n in range(PARAGRAPHS):
        if n % 10 == 9:
            blocks.append(Block("h", [[Span(f"Part {n // 10 + 1}")]], level=2))
        words = " ".join(f"word{n}-{w}" for w in range(30))
        blocks.append(Block("p", [[Span(f"Paragraph {n}: {words} "),
                                   Span(f"link {n}", f"https://long.example/{n}")]]))
    return Article(url="https://long.example/", title="A very long read", blocks=blocks)


def stored(home: Path) -> Paths:
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        feed, _ = store.add_feed("https://long.example/feed", "Long reads")
        store.save_article(long_read(), feed_id=feed.id, guid="long")
    return paths


async def wrapped(pilot: object, app: ReaderApp) -> ArticleText:
    """Wait for the background wrapping to reach the end of the text."""
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    body = screen.view.body
    while not body.complete:
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    await settle(pilot)
    return body


async def test_a_long_article_is_whole_numbered_and_followable(home: Path) -> None:
    app = ReaderApp(stored(home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        body = await wrapped(pilot, app)
        text = body.content.plain
        assert "Paragraph 0: " in text and f"Paragraph {PARAGRAPHS - 1}: " in text
        assert "link 0[1]" in text and f"link {PARAGRAPHS - 1}[{PARAGRAPHS}]" in text
        assert f"[{PARAGRAPHS}] https://long.example/{PARAGRAPHS - 1}" in text
        # Every source line was wrapped, and the widget is as tall as its lines.
        assert body.size.height == body.wrapped_lines > len(text.splitlines())
        opened: list[str] = []
        app.open_link = opened.append  # type: ignore[method-assign]
        await pilot.press("3")
        assert opened == ["https://long.example/2"]


async def test_the_remembered_position_lands_far_down_a_long_article(home: Path) -> None:
    app = ReaderApp(stored(home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wrapped(pilot, app)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        screen.view.scroll_to(y=1500, animate=False)
        await settle(pilot)
        assert screen.view.scroll_y == 1500
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await wrapped(pilot, app)
        assert screen.view.scroll_y == 1500


async def test_narrower_text_is_wrapped_again_and_selection_copies_it(home: Path) -> None:
    app = ReaderApp(stored(home))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        wide = (await wrapped(pilot, app)).wrapped_lines
        await pilot.resize_terminal(80, 24)
        body = await wrapped(pilot, app)
        assert body.wrapped_lines > wide
        whole = body.get_selection(Selection(None, None))
        assert whole is not None and whole[0] == body.content.plain


def two_articles(home: Path) -> Paths:
    paths = stored(home)
    with Store.open(paths.database) as store:
        feed, _ = store.add_feed("https://short.example/feed", "Short news")
        store.save_article(Article(url="https://short.example/1", title="A short item",
                                   blocks=[Block("p", [[Span("Short and sweet.")]])]),
                           feed_id=feed.id, guid="short")
    return paths


async def test_the_reader_comes_up_with_the_new_article_at_its_top(home: Path) -> None:
    """No frame shows the article read before, nor where it was scrolled to."""
    app = ReaderApp(two_articles(home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rows = app.main.article_list.rows
        ids = [r.id for r in rows]
        long_id = next(r.id for r in rows if r.title == "A very long read")
        short_id = next(r.id for r in rows if r.title == "A short item")
        app.open_reader(ids, ids.index(long_id))
        await wrapped(pilot, app)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        reader.view.scroll_to(y=400, animate=False)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        seen: list[tuple[int | None, float]] = []
        app.screen_change_signal.subscribe(
            app, lambda screen: seen.append(
                (screen.row.id if screen.row else None, screen.view.scroll_y))
            if isinstance(screen, ReaderScreen) else None)
        app.open_reader(ids, ids.index(short_id))
        await settle(pilot)
        assert seen == [(short_id, 0)]
        assert "Short and sweet." in reader.view.body.content.plain


async def test_a_long_article_grows_in_few_layouts_and_sooner_when_scrolled_to(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new height lays the screen out again, so the text does not grow at every step
    of the wrapping; scrolled near its wrapped end, it grows at once."""
    app = ReaderApp(stored(home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # Once to compose the reader, then again without the pilot waiting for it to idle,
        # in slices so thin that the wrapping still goes on when the view is scrolled.
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        monkeypatch.setattr(article_text, "SLICE", 0.0002)
        reader = app.get_screen("reader")
        assert isinstance(reader, ReaderScreen)
        body = reader.view.body
        heights: list[int] = []
        measure = body.get_content_height

        def counted(*args: object) -> int:
            heights.append(measure(*args))  # type: ignore[arg-type]
            return heights[-1]

        body.get_content_height = counted  # type: ignore[assignment,method-assign]
        app.main.action_open()
        while not heights:
            await asyncio.sleep(0.01)
        first = heights[-1]
        assert not body.complete and first < 100
        reader.view.scroll_end(animate=False, immediate=True)
        await asyncio.sleep(0.1)
        assert first < heights[-1] and not body.complete
        await wrapped(pilot, app)
        assert body.size.height == body.wrapped_lines
        assert len(set(heights)) <= 4


async def test_leaving_while_the_next_article_loads_does_not_bring_the_reader_back(
        home: Path) -> None:
    app = ReaderApp(two_articles(home))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        reader.action_step(1)
        reader.action_back()
        await settle(pilot)
        assert app.screen is app.main

"""The reader's media and sharing: enclosures as numbered links, the link copied, the article
saved as Markdown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input

from pilot_support import NOW, settle
from tui_reader.models import Article, Block, Enclosure, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.dialogs import SavePathScreen
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.widgets.article_text import ArticleText

SIZE = (120, 40)
EPISODE = "https://cdn.pods.example/ep1.mp3"


def _episode(library: Paths) -> None:
    """The newest article: a podcast episode with one body link and two files."""
    with Store.open(library.database) as store:
        feed = store.feeds()[0]
        store.save_article(Article(
            url="https://pods.example/ep1", title="Screen Talk episode one",
            published=NOW - timedelta(hours=1),
            blocks=[Block("p", [[Span("Show notes and "), Span("the film", "https://film.example/")]])],
            enclosures=[Enclosure(EPISODE, "audio/mpeg", 6182912, 3725),
                        Enclosure("javascript:alert(1)", "text/html"),
                        Enclosure("https://cdn.pods.example/clip.mp4", "video/mp4", None, 95)],
        ), feed_id=feed.id, guid="ep1")


async def _open_episode(app: ReaderApp, pilot: object) -> ReaderScreen:
    await settle(pilot)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, ReaderScreen)
    assert app.screen.article is not None
    assert app.screen.article.title == "Screen Talk episode one"
    return app.screen


async def test_enclosures_are_numbered_links_with_type_and_duration(library: Paths) -> None:
    _episode(library)
    app = ReaderApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await _open_episode(app, pilot)
        body = app.screen.query_one("#article-body", ArticleText).content.plain
        assert "[1] https://film.example" in body
        assert "Media" in body
        assert "[2] https://cdn.pods.example/ep1.mp3  audio/mpeg · 1:02:05 · 6.2 MB" in body
        assert "[3] https://cdn.pods.example/clip.mp4  video/mp4 · 1:35" in body
        assert "javascript" not in body
        opened: list[str] = []
        app.open_link = opened.append  # type: ignore[method-assign]
        await pilot.press("2", "3")
        assert opened == [EPISODE, "https://cdn.pods.example/clip.mp4"]


async def test_copy_the_article_link_and_a_numbered_link(library: Paths) -> None:
    _episode(library)
    app = ReaderApp(library)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await _open_episode(app, pilot)
        opened: list[str] = []
        app.open_link = opened.append  # type: ignore[method-assign]
        await pilot.press("y")
        await pilot.press("Y", "2")
        await pilot.press("Y", "j", "1")
        await settle(pilot)
        assert copied == ["https://pods.example/ep1", EPISODE]
        assert opened == ["https://film.example/"]
        notices = [n.message for n in app._notifications]
        assert "Copied https://pods.example/ep1" in notices
        assert "Copied https://cdn.pods.example/ep1.mp3" in notices


async def test_save_the_article_as_markdown(library: Paths, tmp_path: Path) -> None:
    _episode(library)
    app = ReaderApp(library)
    target = tmp_path / "notes" / "episode.md"
    async with app.run_test(size=SIZE) as pilot:
        reader = await _open_episode(app, pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, SavePathScreen)
        field = app.screen.query_one(Input)
        assert field.value.endswith("screen-talk-episode-one.md")
        field.value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SavePathScreen)  # a folder is not a file name
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        await reader.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is reader
        text = target.read_text()
        assert text.startswith("# Screen Talk episode one\n")
        assert "Show notes and [the film](<https://film.example/>)" in text
        assert "## Media" in text and EPISODE in text and "javascript" not in text
        assert f"Saved {target}" in [n.message for n in app._notifications]

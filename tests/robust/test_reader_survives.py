"""The reader never exits on a web value: a worker that meets one it did not expect ends in
a notice, and the app keeps running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from http_support import reply
from pilot_support import settle
from tui_reader.models import Article, Block, Link, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen

HOSTILE_LINKS = ["http://a..b/x", "http://xn--/x", f"http://{'a' * 70}.example/",
                 "http://127.0.0.1:99999/", "http://[::1/x"]


def _library(home: Path, related: list[Link]) -> Paths:
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        feed, _ = store.add_feed("https://marquee.example/feed", "Marquee Weekly")
        article = Article(url="https://marquee.example/story", title="A story",
                          blocks=[Block("p", [[Span("A paragraph about a film. " * 10)]])],
                          related=related)
        store.save_article(article, feed_id=feed.id, guid="story")
    return paths


async def _open_first_related(paths: Paths) -> ReaderApp:
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        app.screen.open_related(app.screen.sidebar.reads[0])
        await settle(pilot, 5)
        await pilot.pause(0.5)
        await settle(pilot, 5)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, ReaderScreen)
    return app


@pytest.mark.parametrize("url", HOSTILE_LINKS)
async def test_a_hostile_related_link_is_a_notice(home: Path, url: str) -> None:
    paths = _library(home, [Link("A hostile read", url)])
    app = await _open_first_related(paths)
    assert app._exception is None


async def test_a_503_with_an_unreadable_retry_after_is_a_notice(home: Path, site: Any) -> None:
    def busy(request: Any) -> None:
        reply(request, "busy", status=503, headers={"Retry-After": "²"})

    paths = _library(home, [Link("A busy read", site.handle("/busy", busy))])
    app = await _open_first_related(paths)
    assert app._exception is None
    notices = [str(n.message) for n in app._notifications]
    assert any("503" in n or "fetch" in n or "wrong" in n for n in notices), notices

"""The first screen: headlines before the feed pane's counts, each read once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content

from pilot_support import settle
from tui_reader.models import Article
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.widgets.feed_list import ALL

SIZE = (120, 40)


def record(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> list[str]:
    """Each of these Store methods, called in the store's thread, noted by name."""
    calls: list[str] = []
    for name in names:
        method: Callable[..., Any] = getattr(Store, name)

        def noted(store: Store, *args: Any, _method: Any = method, _name: str = name,
                  **kwargs: Any) -> Any:
            calls.append(_name)
            return _method(store, *args, **kwargs)

        monkeypatch.setattr(Store, name, noted)
    return calls


async def test_headlines_are_read_before_the_feed_pane_and_once(
    app: ReaderApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = record(monkeypatch, ["articles", "feeds", "counts"])
    feeds = Store.feeds
    demo_offered: list[bool] = []

    def feeds_read(store: Store) -> Any:
        # The headlines are up and the pane still empty: the demo is for a reader with none.
        demo_offered.append(app.offers_demo)
        return feeds(store)

    monkeypatch.setattr(Store, "feeds", feeds_read)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        assert len(main.article_list.rows) == 5
        # The pane filled in after the list, and its highlight did not read the page again.
        assert calls == ["articles", "feeds", "counts"]
        assert main.feed_list.selection == ALL
        assert main.feed_list.option_count > 3
        assert not main.query_one("#welcome").display
        assert demo_offered == [False]


async def test_a_reload_reads_everything_in_one_trip(
    app: ReaderApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        trips: list[object] = []
        library = app.library
        original = library.run

        async def counted(job: Callable[[Store], Any]) -> Any:
            trips.append(job)
            return await original(job)

        monkeypatch.setattr(library, "run", counted)
        await app.main.reload()
        assert len(trips) == 1
        assert len(app.main.article_list.rows) == 5


async def test_counts_fit_beside_the_scrollbar_a_long_feed_list_brings(home: Path) -> None:
    """The pane fills after the first frame, when its width is known without a scrollbar;
    the scrollbar its rows then bring must shorten the names, not cut the counts."""
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        for number in range(60):
            feed, _ = store.add_feed(f"https://site{number}.example/feed", f"Feed {number}")
            store.save_article(Article(url=f"https://site{number}.example/a", title="A story"),
                               feed_id=feed.id, guid=f"a{number}")
    app = ReaderApp(paths)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        feeds = app.main.feed_list
        assert feeds.show_vertical_scrollbar
        width = feeds.scrollable_content_region.width
        prompts = [feeds.get_option_at_index(i).prompt for i in range(feeds.option_count)]
        assert all(Content.from_text(p).cell_length <= width for p in prompts)
        assert str(prompts[0]).rstrip().endswith("60")

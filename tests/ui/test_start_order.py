"""The first screen: headlines before the feed pane's counts, each read once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pilot_support import settle
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
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.main
        assert len(main.article_list.rows) == 5
        # The pane filled in after the list, and its highlight did not read the page again.
        assert calls == ["articles", "feeds", "counts"]
        assert main.feed_list.selection == ALL
        assert main.feed_list.option_count > 3
        assert not main.query_one("#welcome").display


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

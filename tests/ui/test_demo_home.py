"""The demo runs in a home of its own: a user's home is read for its config, never written."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from pilot_support import settle
from tui_reader.cli import main as cli
from tui_reader.demo import DEMO_FEEDS
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.palette import reader_commands

RSS = (
    "<rss version='2.0'><channel><title>Local Desk</title><item><title>Kept story</title>"
    "<guid>kept-1</guid><description>A story the user bookmarked, about a festival line-up and "
    "its closing film.</description></item></channel></rss>"
)


def snapshot(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("how", ["--home", "env"])
def test_demo_leaves_a_users_home_byte_for_byte(
    home: Path, site: Any, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # A user whose own feed lives on this machine, as the demo's do.
    assert cli(["add", site.add("/feed.xml", RSS, "application/rss+xml")]) == 0
    assert cli(["refresh"]) == 0
    assert cli(["bookmark", "1"]) == 0
    (home / "config.toml").write_text('[keys]\n"main.bookmark" = "x"\n')
    before = snapshot(home)
    seen: dict[str, Any] = {}

    def run(app: ReaderApp) -> None:
        async def use() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot, rounds=4)
                seen["feeds"] = len(app.main.feed_list.feeds)
                seen["commands"] = [c.title for c in reader_commands(app)]
                await app.action_try_demo()  # offered nowhere here; does nothing if called
                await pilot.press("x", "A", "R", "ctrl+r")  # bookmark by the user's own key
                await settle(pilot, rounds=3)
                seen["bookmarked"] = await app.library.run(
                    lambda s: len(s.articles(bookmarked=True)))
                seen["feeds_after"] = len(app.main.feed_list.feeds)
                seen["home"] = app.paths.database

        asyncio.run(use())

    monkeypatch.setattr(ReaderApp, "run", run)
    if how == "env":
        assert cli(["demo"]) == 0
    else:
        monkeypatch.delenv("TUI_READER_HOME")
        assert cli(["demo", "--home", str(home)]) == 0
    assert snapshot(home) == before
    assert seen["feeds"] == seen["feeds_after"] == len(DEMO_FEEDS)
    assert "Try the demo" not in seen["commands"]
    assert seen["bookmarked"] == 1  # the demo article, bookmarked with the user's key
    assert not Path(seen["home"]).exists()  # the throwaway home is gone

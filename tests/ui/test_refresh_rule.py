"""One due-rule for the reader and the command line, counted at a loopback server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from pilot_support import settle
from tui_reader.cli import main as cli
from tui_reader.config import FeedOptions, Settings
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)
RSS = (
    "<rss version='2.0'><channel><title>Night Desk</title>{ttl}<item><title>Late story</title>"
    "<guid>late-1</guid><description>A late story about a festival line-up, long enough to be "
    "kept as it is.</description></item></channel></rss>"
)

# How a feed asks to be left alone: (its <ttl>, response headers, status, config interval).
WAITS = {
    "ttl": ("<ttl>60</ttl>", {}, 200, None),
    "max-age": ("", {"Cache-Control": "max-age=3600"}, 200, None),
    "expires": ("", {"Expires": "Wed, 01 Jan 2200 00:00:00 GMT"}, 200, None),
    "refresh_minutes": ("", {}, 200, 60),
    "retry-after": ("", {"Retry-After": "120"}, 429, None),
}


def subscribe(home: Path, url: str) -> Paths:
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        store.add_feed(url, "Night Desk")
    return paths


def status(app: ReaderApp) -> str:
    return str(app.main.query_one("#status", Static).render())


@pytest.mark.parametrize("kind", list(WAITS))
async def test_refresh_fetches_only_due_feeds_and_force_never_ignores_retry_after(
    home: Path, site: Any, kind: str
) -> None:
    ttl, headers, code, minutes = WAITS[kind]
    url = site.add("/feed.xml", RSS.format(ttl=ttl), "application/rss+xml", code, headers)
    options = {url: FeedOptions(refresh_minutes=minutes)} if minutes else {}
    app = ReaderApp(subscribe(home, url), settings=Settings(feeds=options))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=2)
        assert len(site.seen("/feed.xml")) == 1  # refreshed on open
        await pilot.press("R")
        await settle(pilot, rounds=2)
        assert len(site.seen("/feed.xml")) == 1
        assert "1 not due" in status(app)
        app.action_refresh()  # what the auto-refresh timer calls
        await settle(pilot, rounds=2)
        assert len(site.seen("/feed.xml")) == 1
        await pilot.press("ctrl+r")
        await settle(pilot, rounds=2)
    forced = 1 if kind == "retry-after" else 2
    assert len(site.seen("/feed.xml")) == forced


def test_cli_force_never_ignores_retry_after(home: Path, site: Any) -> None:
    url = site.add("/busy.xml", "", "text/plain", 503, {"Retry-After": "120"})
    subscribe(home, url)
    assert cli(["refresh"]) == 1
    assert cli(["refresh", "--force"]) == 0
    assert len(site.seen("/busy.xml")) == 1


async def test_opening_refreshes_unless_config_says_not(home: Path, site: Any) -> None:
    url = site.add("/feed.xml", RSS.format(ttl=""), "application/rss+xml")
    paths = subscribe(home, url)
    app = ReaderApp(paths, settings=Settings(refresh_on_start=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=2)
        assert site.seen("/feed.xml") == []
        assert "not updated yet" in status(app)
    app = ReaderApp(paths, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=2)
        assert len(site.seen("/feed.xml")) == 1
        assert status(app).startswith("updated just now · 1 new")


def notices(app: ReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_failures_are_one_notice_and_named_on_the_status_line(
    home: Path, site: Any
) -> None:
    paths = Paths.resolve(home).ensure()
    good = site.add("/good.xml", RSS.format(ttl=""), "application/rss+xml")
    with Store.open(paths.database) as store:
        store.add_feed(good, "Night Desk")
        for name in ("Reel Talk", "Seoul Signal", "Cartridge Shelf", "Velvet Beat"):
            store.add_feed(site.url(f"/{name.split()[0].lower()}.xml"), name)
    app = ReaderApp(paths, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=2)
        line = status(app)
        assert "4 failed: " in line and line.endswith("+1 more")
        assert "\n" not in line
        assert len(notices(app)) == 1
        assert notices(app)[0].startswith("4 feeds failed to refresh:")
        assert "Seoul Signal: " in notices(app)[0]


async def test_offline_replaces_the_failures(home: Path) -> None:
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        for n in range(5):
            store.add_feed(f"http://127.0.0.1:9/feed{n}.xml", f"Feed {n}")
    app = ReaderApp(paths, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, rounds=2)
        assert status(app) == "offline · not updated yet"
        assert notices(app) == [
            "Offline: no feed could be reached. Stored articles stay readable."
        ]

"""The reader with [sync]: it syncs as it opens and on refresh, and reads from its cache when
the server is down, saying so."""

from __future__ import annotations

from pathlib import Path

from sync_homes import Account
from textual.widgets import Static
from ttrss_server import free_port

from pilot_support import settle
from tui_reader.config import load_settings
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)


def _status(app: ReaderApp) -> str:
    return str(app.main.query_one("#status", Static).render())


async def _wait_for(pilot: object, app: ReaderApp, text: str) -> None:
    for _ in range(100):
        if text in _status(app):
            return
        await settle(pilot, rounds=1)
    raise AssertionError(f"status never said {text!r}: {_status(app)!r}")


async def test_reader_opens_from_its_cache_when_the_server_is_down(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = Paths.resolve(home).ensure()
    secret = home / "password"
    secret.write_text("pw")
    secret.chmod(0o600)
    paths.config_file.write_text(
        f'[sync]\nservice = "ttrss"\nurl = "http://127.0.0.1:{free_port()}/"\nuser = "me"\n'
        f'password_file = "{secret}"\n')
    with Store.open(paths.database) as store:
        store.add_feed("https://example.org/feed.xml", "Cached Feed")
    app = ReaderApp(paths, settings=load_settings(paths.config_file))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, app, "reading from the cache")
        assert "cannot reach" in _status(app)
        assert "1 changes kept for the next sync" in _status(app)
        assert any("Cached Feed" in str(o.prompt) for o in app.main.feed_list.options)


async def test_reader_refresh_syncs_first(account: Account, tmp_path: Path) -> None:
    server = account.server
    server.write_page("ui-0.html", "Reader story", "Words enough for the cleaner to keep.")
    account.client().subscribe(server.write_feed("ui.xml", "UI feed",
                                                 [("ui-0", "Reader story", "ui-0.html")]))
    home = account.home(tmp_path / "laptop")
    paths = Paths.resolve(home.path).ensure()
    app = ReaderApp(paths, settings=load_settings(paths.config_file))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, app, "synced:")
        assert "1 new articles" in _status(app)
        await app.main.reload()
        await settle(pilot)
        assert any(r.title == "Reader story" for r in app.main.article_list.rows)

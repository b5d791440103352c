"""The bundled demo world: a small entertainment news site served on 127.0.0.1."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tui_reader.demo.server import DEMO_FEEDS, DemoServer

__all__ = ["DEMO_FEEDS", "DemoServer", "run_demo", "subscribe_demo"]


def subscribe_demo(store: object, server: DemoServer) -> None:
    """Subscribe a store to every demo feed (titles fill in on the first refresh)."""
    from tui_reader.store import Store

    assert isinstance(store, Store)
    for path, title, folder in DEMO_FEEDS:
        store.add_feed(server.url(path), title, folder=folder)


def run_demo(home: str | None) -> int:
    """Serve the demo site and open the reader on it, always in a throwaway home.

    The user's home (`--home`, $TUI_READER_HOME or the platform's folders) is only read: its
    config.toml, so the demo has the user's keys and theme. Its database, cache and config
    are never written, so nothing the demo does can reach the user's feeds or bookmarks.
    """
    from dataclasses import replace

    from tui_reader.config import load_settings
    from tui_reader.paths import Paths
    from tui_reader.store import Store
    from tui_reader.ui.app import ReaderApp

    settings = load_settings(Paths.resolve(home).config_file, create=False)
    with DemoServer() as server, tempfile.TemporaryDirectory(prefix="tui-reader-demo-") as scratch:
        paths = Paths.resolve(Path(scratch)).ensure()
        with Store.open(paths.database) as store:
            subscribe_demo(store, server)
        app = ReaderApp(paths, settings=replace(settings, refresh_on_start=True), demo=True)
        app.run()
    return 0

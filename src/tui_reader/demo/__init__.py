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
    """Serve the demo site and open the reader on it, in a throwaway home unless one is given."""
    from tui_reader.config import load_settings
    from tui_reader.paths import Paths
    from tui_reader.store import Store
    from tui_reader.ui.app import ReaderApp

    with DemoServer() as server, tempfile.TemporaryDirectory(prefix="tui-reader-demo-") as scratch:
        paths = Paths.resolve(home or Path(scratch)).ensure()
        with Store.open(paths.database) as store:
            for feed in store.feeds():
                if feed.url.startswith("http://127.0.0.1:") and not server.owns(feed.url):
                    store.remove_feed(feed.url)
            subscribe_demo(store, server)
        settings = load_settings(paths.config_file)
        ReaderApp(paths, settings=settings, refresh_on_start=True).run()
    return 0

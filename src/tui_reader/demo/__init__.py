"""The bundled demo world: a small entertainment news site served on 127.0.0.1.

This package serves and subscribes; opening the reader on it is the caller's part (the `demo`
command, the reader's "Try the demo"), so the demo never depends on the UI that uses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_reader.demo.server import DEMO_FEEDS, DemoServer

if TYPE_CHECKING:
    from tui_reader.store import Store

__all__ = ["DEMO_FEEDS", "DemoServer", "subscribe_demo"]


def subscribe_demo(store: Store, server: DemoServer) -> None:
    """Subscribe a store to every demo feed (titles fill in on the first refresh)."""
    for path, title, folder in DEMO_FEEDS:
        store.add_feed(server.url(path), title, folder=folder)

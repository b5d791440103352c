"""The UI's door to the store: calls run in a worker thread, never on the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tui_reader.store import ArticleRow, Store
from tui_reader.store.schema import Announce

T = TypeVar("T")


class Library:
    """One SQLite connection, used by one thread at a time."""

    def __init__(self, path: Path, *, story_read: bool = True,
                 announce: Announce | None = None) -> None:
        self.path = path
        self._store = Store.open(path, announce=announce)
        self._store.story_read = story_read
        self._lock = threading.Lock()

    def _call(self, job: Callable[[Store], T]) -> T:
        with self._lock:
            return job(self._store)

    async def run(self, job: Callable[[Store], T]) -> T:
        return await asyncio.to_thread(self._call, job)

    async def mark(
        self, article_id: int, *, read: bool | None = None, bookmarked: bool | None = None
    ) -> ArticleRow | None:
        """Change read or bookmark state; returns the row as it now stands."""

        def change(store: Store) -> ArticleRow | None:
            if read is not None:
                store.set_read([article_id], read)
            if bookmarked is not None:
                store.set_bookmarked(article_id, bookmarked)
            return store.row(article_id)

        return await self.run(change)

    def close(self) -> None:
        with self._lock:
            self._store.close()

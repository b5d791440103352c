"""Fixtures for the fetch layer: fast network settings, a fetcher, a store, sample feeds."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.store import Store

# Short enough that every fault resolves in a fraction of a second.
FAST = HttpSettings(connect_timeout=2.0, read_timeout=2.0, deadline=3.0, retries=2,
                    backoff=0.01, max_backoff=0.05, max_retry_after=1.0)


@pytest.fixture
def settings() -> HttpSettings:
    return FAST


@pytest.fixture
async def fetcher(settings: HttpSettings) -> AsyncIterator[Fetcher]:
    async with Fetcher(settings) as fetcher:
        yield fetcher


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db.sqlite3") as store:
        yield store


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A host that accepts connections and never answers: the hanging server."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@dataclass
class EntityTarget:
    """A local file and a listening port that an external entity could name."""

    secret: Path
    port: int
    listener: socket.socket

    def contacted(self) -> bool:
        try:
            self.listener.accept()[0].close()
        except BlockingIOError:
            return False
        return True


@pytest.fixture
def entity_target(tmp_path: Path) -> Iterator[EntityTarget]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    try:
        yield EntityTarget(secret, listener.getsockname()[1], listener)
    finally:
        listener.close()

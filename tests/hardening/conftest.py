"""Hardening fixtures: the fetch tests' fast settings and hanging host, and a store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from fetch.conftest import FAST, black_hole
from tui_reader.net.http import Fetcher
from tui_reader.store import Store

__all__ = ["black_hole", "fetcher", "store"]


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(FAST) as fetcher:
        yield fetcher


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "data" / "tui-reader.sqlite3") as store:
        yield store

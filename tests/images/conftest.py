"""A fast fetcher and a throwaway picture cache."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.pictures import Pictures
from tui_reader.store.images import ImageCache

FAST = HttpSettings(
    connect_timeout=2.0,
    read_timeout=2.0,
    deadline=3.0,
    retries=1,
    backoff=0.01,
    max_backoff=0.05,
    max_retry_after=1.0,
)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(FAST) as fetcher:
        yield fetcher


@pytest.fixture
def cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "images")


@pytest.fixture
def pictures(cache: ImageCache) -> Pictures:
    return Pictures(cache)

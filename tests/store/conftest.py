"""Store fixtures: a fresh database and articles made to order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui_reader.models import Article, Block, Link, Span
from tui_reader.store import Store


def make_article(n: int, body: str | None = None, *, title: str | None = None,
                 related: list[Link] | None = None, days_old: float = 0) -> Article:
    text = body if body is not None else f"Paragraph number {n} about film festivals and cinema."
    return Article(
        url=f"https://example.com/{n}",
        title=title if title is not None else f"Story {n}",
        author="Ada Writer",
        published=datetime.now(UTC) - timedelta(days=days_old, minutes=n),
        blocks=[Block("p", [[Span(text)]])],
        related=related or [],
    )


MakeArticle = Callable[..., Article]


@pytest.fixture
def make() -> MakeArticle:
    return make_article


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "tui-reader.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def feed_id(store: Store) -> int:
    return store.add_feed("https://example.com/feed", "Example")[0].id

"""A store full of hostile text for the UI tests: every A1/A3/A4 payload in every field.

Rows are written straight into the store, past the ingestion sanitiser, as an old cache made
before a fix would hold them: whatever reaches the screen is the renderer's doing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hostile import A3, A4, every_a1

from tui_reader.models import Article, Block, Link, Span
from tui_reader.paths import Paths
from tui_reader.store import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def hostile_titles(shots: Path) -> list[str]:
    """A3 with the screenshot folder filled in, then A4 and A1."""
    return [p.format(dir=shots) for p in A3] + A4 + every_a1()


def build_hostile_library(home: Path, shots: Path) -> Paths:
    paths = Paths.resolve(home).ensure()
    titles = hostile_titles(shots)
    with Store.open(paths.database) as store:
        feeds = [store.add_feed(f"https://hostile.example/feed/{n}", title, folder=title)[0]
                 for n, title in enumerate(titles[:4])]
        for n, title in enumerate(titles):
            url = f"https://hostile.example/story/{n}"
            body = [Block("p", [[Span(f"{title} body "), Span(title, f"{url}/link")]]),
                    Block("h", [[Span(title)]], level=2),
                    Block("ul", [[Span(title)], [Span("plain item")]])]
            related = [Link(title, f"https://hostile.example/story/{(n + 1) % len(titles)}")]
            article = Article(url=url, title=title, author=title, site_name=title,
                              published=NOW - timedelta(minutes=n), blocks=body,
                              related=related, tags=[title])
            store.save_article(article, feed_id=feeds[n % len(feeds)].id, guid=f"g{n}")
    return paths

"""Picture cache retention: old pictures go with `prune`, bookmarked articles keep theirs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.store.images import ImageCache


def test_prune_keeps_bookmarked_and_recent_pictures(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = Paths.resolve(home).ensure()
    cache = ImageCache(paths.cache_dir / "images")
    kept_lead, old, fresh = (f"https://img.example/{name}.webp" for name in ("kept", "old", "new"))
    for url in (kept_lead, old, fresh):
        cache.put(url, b"picture")
    cache.put_note("https://img.example/broken.png", "not an image")
    long_ago = time.time() - 200 * 86400
    for url in (kept_lead, old):
        os.utime(cache.path(url), (long_ago, long_ago))
    os.utime(cache._note_path("https://img.example/broken.png"), (long_ago, long_ago))
    with Store.open(paths.database) as store:
        article = Article(
            url="https://news.example/a",
            title="Kept",
            image=kept_lead,
            blocks=[Block("p", [[Span("Body text.")]])],
        )
        article_id, _ = store.save_article(article, feed_id=None, guid="a")
        store.set_bookmarked(article_id, True)
    assert main(["prune", "--days", "90"]) == 0
    assert "2 cached pictures" in capsys.readouterr().out
    assert cache.has(kept_lead) and cache.has(fresh) and not cache.has(old)
    assert cache.note("https://img.example/broken.png") is None

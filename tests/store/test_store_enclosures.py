"""Enclosures (a podcast's audio, a trailer) are kept with their article."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from store.conftest import MakeArticle
from tui_reader.cli import main
from tui_reader.models import Enclosure
from tui_reader.store import Store

EPISODE = Enclosure("https://cdn.pods.example/ep1.mp3", "audio/mpeg", 6182912, 3725)
TRAILER = Enclosure("https://cdn.pods.example/trailer.mp4", "video/mp4")


def test_enclosures_are_stored_updated_and_cleared(db_path: Path, make: MakeArticle) -> None:
    with Store.open(db_path) as store:
        feed, _ = store.add_feed("https://pods.example/feed", "Pods")
        article = make(1)
        article.enclosures = [EPISODE, TRAILER]
        article_id, _ = store.save_article(article, feed_id=feed.id, guid="ep1")
        stored = store.article(article_id)
        assert stored is not None and stored.enclosures == [EPISODE, TRAILER]
        article.enclosures = [TRAILER]
        store.save_article(article, feed_id=feed.id, guid="ep1")
        assert store.article(article_id).enclosures == [TRAILER]  # type: ignore[union-attr]
        article.enclosures = []
        store.save_article(article, feed_id=feed.id, guid="ep1")
        assert store.article(article_id).enclosures == []  # type: ignore[union-attr]


RSS = (
    "<rss version='2.0' xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel>"
    "<title>Screen Talk</title><item><title>Episode one</title><guid>ep-1</guid>"
    "<description>We talk about the festival's closing film and its director.</description>"
    "<enclosure url='https://cdn.pods.example/ep1.mp3' type='audio/mpeg' length='6182912'/>"
    "<itunes:duration>1:02:05</itunes:duration></item></channel></rss>"
)


def test_read_json_lists_the_enclosures_a_refresh_stored(
        home: Path, site: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", site.add("/feed.xml", RSS, "application/rss+xml")]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["read", "1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["enclosures"] == [
        {"url": "https://cdn.pods.example/ep1.mp3", "type": "audio/mpeg", "length": 6182912,
         "duration": 3725}]

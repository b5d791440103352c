"""Saved searches: the search syntax plus feed:, folder:, unread and bookmarked, as a feed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main
from tui_reader.config import parse_config
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.store.saved import SavedQuery


@pytest.fixture
def shelf(store: Store, make: Any) -> Store:
    film, _ = store.add_feed("https://film.example/feed", "Reel Talk", folder="Film")
    kpop, _ = store.add_feed("https://kpop.example/feed", "Seoul Signal", folder="K-Pop")
    for n, (feed, title, body) in enumerate((
        (film, "Teaser for Lantern Keepers", "the first teaser"),
        (film, "Box office weekend", "numbers"),
        (kpop, "Comeback trailer", "a trailer for the comeback"),
        (kpop, "Album review", "tracks"),
    )):
        store.save_article(make(n, body, title=title, days_old=n), feed_id=feed.id, guid=str(n))
    return store


def _titles(store: Store, query: str) -> list[str]:
    return [r.title for r in store.articles(query=query)]


def test_words_and_conditions_list_newest_first(shelf: Store) -> None:
    assert _titles(shelf, "trailer OR teaser") == ["Teaser for Lantern Keepers", "Comeback trailer"]
    assert _titles(shelf, "trailer OR teaser folder:K-Pop") == ["Comeback trailer"]
    assert _titles(shelf, 'feed:"reel talk"') == ["Teaser for Lantern Keepers",
                                                   "Box office weekend"]
    assert _titles(shelf, "feed:https://kpop.example/feed review") == ["Album review"]
    [first] = shelf.articles(query="teaser", limit=1)
    shelf.set_read([first.id])
    assert _titles(shelf, "trailer OR teaser unread") == ["Comeback trailer"]
    assert shelf.saved_unread("trailer OR teaser") == 1
    shelf.set_bookmarked(first.id, True)
    assert _titles(shelf, "bookmarked") == ["Teaser for Lantern Keepers"]
    assert _titles(shelf, '"') == []  # words nothing can make sense of find nothing


def test_the_conditions_are_taken_out_of_the_words() -> None:
    query = SavedQuery.parse('teaser feed:"Reel Talk" Unread folder:Film "red carpet"')
    assert query == SavedQuery('teaser "red carpet"', ("Reel Talk",), ("Film",), True, False)


def test_config_queries_and_articles_query(tmp_path: Path, make: Any,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    settings = parse_config('[[query]]\nname = "Trailers"\nsearch = "trailer OR teaser"\n'
                            '[[query]]\nname = "trailers"\nsearch = "x"\n[[query]]\nname = 3\n',
                            tmp_path / "c.toml")
    assert [(q.name, q.search) for q in settings.queries] == [("Trailers", "trailer OR teaser")]
    assert len(settings.warnings) == 2
    paths = Paths.resolve(tmp_path).ensure()
    paths.config_file.write_text('[[query]]\nname = "Trailers"\nsearch = "trailer OR teaser"\n')
    with Store.open(paths.database) as store:
        for n, title in enumerate(("New trailer", "Interview")):
            store.save_article(make(n, "text", title=title), feed_id=None, guid=None)
    assert main(["--home", str(tmp_path), "articles", "--query", "trailers", "--json"]) == 0
    assert [a["title"] for a in json.loads(capsys.readouterr().out)] == ["New trailer"]
    assert main(["--home", str(tmp_path), "articles", "--query", "Nope"]) == 2
    assert "no saved search named 'Nope' (Trailers)" in capsys.readouterr().err

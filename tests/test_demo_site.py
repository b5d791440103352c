"""The bundled demo world: every feed refreshes, the articles arrive, the extra pages are served."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable

import pytest

from tui_reader.demo import DEMO_FEEDS, DemoServer, subscribe_demo
from tui_reader.net.http import Fetcher
from tui_reader.paths import Paths
from tui_reader.refresh import RefreshReport, refresh_all
from tui_reader.store import Store

SITE = resources.files("tui_reader.demo").joinpath("site")
Demo = tuple[DemoServer, Store, RefreshReport]


def _walk(node: Traversable) -> Iterator[Traversable]:
    for child in node.iterdir():
        if child.is_dir():
            yield from _walk(child)
        else:
            yield child


def _extra_paths() -> list[str]:
    extra = SITE.joinpath("extra")
    return sorted(f"/extra/{node.name}" for node in extra.iterdir() if node.is_file())


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    home = tmp_path_factory.mktemp("demo-home")
    with DemoServer() as server, Store.open(Paths.resolve(home).ensure().database) as store:
        subscribe_demo(store, server)
        report = asyncio.run(refresh_all(store, Fetcher()))
        yield server, store, report


def test_every_demo_feed_refreshes(demo: Demo) -> None:
    server, store, report = demo
    assert len(DEMO_FEEDS) >= 4
    assert {server.url(path) for path, _, _ in DEMO_FEEDS} == {r.url for r in report.results}
    for result in report.results:
        assert result.outcome == "ok", (result.url, result.error)
        assert result.new > 0, result.url
    folders = {feed.url: feed.folder for feed in store.feeds()}
    for path, _, folder in DEMO_FEEDS:
        assert folders[server.url(path)] == folder


def test_demo_articles_arrive_with_titles_and_recent_dates(demo: Demo) -> None:
    server, store, _ = demo
    rows = store.articles(limit=500)
    assert len(rows) >= 22
    oldest, newest = datetime(2026, 7, 25, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC)
    for row in rows:
        article = store.article(row.id)
        assert article is not None
        assert article.title.strip(), row.url
        assert article.url and server.owns(article.url), article.url
        published = article.published
        assert published and oldest <= published < newest, (row.url, published)
        # Every demo article is 350-900 words; a cleaner that keeps less than this lost the body.
        assert len(article.text.split()) >= 150, (row.url, len(article.text.split()))


def test_extra_pages_are_served_and_linked_but_in_no_feed(demo: Demo) -> None:
    server, store, _ = demo
    extras = _extra_paths()
    assert len(extras) >= 3
    stored = {row.url for row in store.articles(limit=500)}
    pages = [store.raw_html(row.id) or b"" for row in store.articles(limit=500)]
    for path in extras:
        url = server.url(path)
        status, body = _get(url)
        assert status == 200, path
        assert b"{base}" not in body
        assert url not in stored, f"{path} should be in no feed"
        assert any(url.encode() in page for page in pages), f"no article links to {path}"


def test_home_page_names_every_feed(demo: Demo) -> None:
    server, _, _ = demo
    status, body = _get(server.url("/index.html"))
    assert status == 200
    for path, _, _ in DEMO_FEEDS:
        assert f'href="{server.url(path)}"'.encode() in body, path


def test_legacy_pages_are_windows_1252() -> None:
    legacy = [node for node in _walk(SITE) if ".legacy." in node.name]
    assert legacy
    for node in legacy:
        data = node.read_bytes()
        assert b'charset=windows-1252"' in data, node.name
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert "’" in data.decode("cp1252"), node.name


def test_site_stays_small() -> None:
    total = sum(len(node.read_bytes()) for node in _walk(SITE))
    assert total < 1024 * 1024

"""Pictures in the reader: drawn with half blocks here, from the cache, after the text."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from image_samples import poster
from textual.widgets import Static
from textual_image._terminal import CellSize
from textual_image.widget import HalfcellImage

from pilot_support import pin_clock, settle
from tui_reader.config import Settings
from tui_reader.models import Article, Block, Span
from tui_reader.net.images import shrink
from tui_reader.paths import Paths
from tui_reader.pictures import MAX_BODY_PICTURES, Pictures
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.widgets import picture
from tui_reader.ui.widgets.article_text import ArticleText
from tui_reader.ui.widgets.picture import Picture

SIZE = (120, 40)
DEMO_IMAGES = resources.files("tui_reader.demo").joinpath("site", "images")
# Nothing listens here: whatever the reader shows comes from the cache.
GONE = "http://127.0.0.1:9"
LEAD = f"{GONE}/images/lantern-keepers.png"
STILL = f"{GONE}/images/premiere.jpg"
UNCACHED = f"{GONE}/images/never-downloaded.png"


@pytest.fixture(autouse=True)
def half_blocks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Half blocks at a fixed cell size and a pinned clock, so every run draws the same."""
    monkeypatch.setattr(picture, "RENDERER", HalfcellImage)
    monkeypatch.setattr(picture, "get_cell_size", lambda: CellSize(10, 20))
    yield from pin_clock(monkeypatch)


def review() -> Article:
    return Article(
        url="https://reeltalk.example/lantern-keepers-review",
        title="‘The Lantern Keepers’ review: a fantasy epic out of candlelight",
        author="Felix Oduya",
        published=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        image=LEAD,
        blocks=[
            Block("img", [[Span("Lena Hartwig as Ysolde [b]the lamplighter[/b]")]], src=LEAD),
            Block("p", [[Span("There is a moment about forty minutes in when the lamps go out.")]]),
            Block("img", [[Span("Imogen Vale at the premiere.")]], src=STILL),
            Block("p", [[Span("Vale shoots the city as a room lit by one candle at a time.")]]),
            Block("img", [[Span("A deleted scene")]], src=UNCACHED),
        ],
    )


@pytest.fixture
def paths(home: Path) -> Paths:
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        store.save_article(review(), feed_id=None, guid="review")
    cache = Pictures.at(paths).cache
    cache.put(LEAD, shrink(DEMO_IMAGES.joinpath("lantern-keepers.png").read_bytes()).data)
    cache.put(STILL, shrink(DEMO_IMAGES.joinpath("lantern-keepers-premiere.png").read_bytes()).data)
    cache.put_note(UNCACHED, "HTTP 404 (not found)")
    return paths


async def open_review(pilot: Any) -> ReaderScreen:
    await settle(pilot)
    pilot.app.open_reader([1], 0)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def texts(screen: ReaderScreen) -> list[str]:
    return [t.content.plain for t in screen.query("#article .article-text").results(ArticleText)]


def caption(frame: Picture) -> str:
    return str(frame.query_one(".picture-caption", Static).render())


async def test_pictures_show_under_the_headline_and_where_they_stand(paths: Paths) -> None:
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        lead, still, deleted = screen.query(Picture).results(Picture)
        # The lead comes before the text and takes the caption of the body image it repeats.
        assert lead.url == LEAD and lead.region.y < screen.query_one("#article-body").region.y
        assert caption(lead) == "Lena Hartwig as Ysolde [b]the lamplighter[/b]"
        assert still.url == STILL and caption(still) == "Imogen Vale at the premiere."
        for frame in (lead, still):
            image = frame.query_one(HalfcellImage)
            assert 0 < image.size.width <= 100 and 0 < image.size.height <= 16
        # Known broken: its alt text stays, with the reason.
        assert not deleted.query(HalfcellImage)
        assert caption(deleted) == "[image: A deleted scene] · HTTP 404 (not found)"
        # One Static per run of text between pictures.
        body = texts(screen)
        assert len(body) == 2
        assert body[0].startswith("There is a moment") and body[1].startswith("Vale shoots")
        assert "[image:" not in "".join(body)


async def test_text_first_then_pictures(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    release = asyncio.Event()
    load = picture.load_picture

    def slow_disk(cache: Any, url: str, box: Any) -> Any:
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result()
        return load(cache, url, box)

    monkeypatch.setattr(picture, "load_picture", slow_disk)
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        loop = asyncio.get_running_loop()
        await pilot.pause()
        app.open_reader([1], 0)
        for _ in range(50):
            await pilot.pause()
            if app.screen.query(Picture):
                break
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert texts(screen)[0].startswith("There is a moment")
        assert not screen.query(HalfcellImage)
        release.set()
        await settle(pilot)
        assert len(screen.query(HalfcellImage)) == 2


async def test_toggle_keeps_the_captions(paths: Paths) -> None:
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert not screen.query(Picture)
        body = texts(screen)
        assert len(body) == 1
        assert "[image: Imogen Vale at the premiere.]" in body[0]
        assert "[image: A deleted scene]" in body[0]
        assert "[lead image]" in str(screen.query_one("#article-header", Static).render())
        await pilot.press("i")
        await settle(pilot)
        assert len(screen.query(HalfcellImage)) == 2


async def test_config_turns_pictures_off(paths: Paths) -> None:
    app = ReaderApp(paths, settings=Settings(images=False, refresh_on_start=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert not screen.query(Picture)
        await pilot.press("i")
        await settle(pilot)
        assert not screen.query(Picture)
        assert "[image: Imogen Vale at the premiere.]" in texts(screen)[0]


async def test_a_missing_picture_is_fetched_on_open(home: Path, site: Any) -> None:
    paths = Paths.resolve(home).ensure()
    url = site.add("/images/still.png", poster(640, 360), "image/png")
    article = Article(
        title="Harbor Lights renewed",
        image=url,
        blocks=[Block("p", [[Span("The coastal mystery returns.")]])],
    )
    with Store.open(paths.database) as store:
        store.save_article(article, feed_id=None, guid="harbor")
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.query_one(Picture).query(HalfcellImage)
    assert Pictures.at(paths).cache.has(url)
    assert len(site.seen("/images/still.png")) == 1


async def test_offline_without_a_cached_copy_says_so(home: Path) -> None:
    paths = Paths.resolve(home).ensure()
    article = Article(title="Gone", image=LEAD, blocks=[Block("p", [[Span("Text stays.")]])])
    with Store.open(paths.database) as store:
        store.save_article(article, feed_id=None, guid="gone")
    app = ReaderApp(paths)
    app.offline = True
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert caption(screen.query_one(Picture)) == (
            "[lead image] · offline, and not in the cache"
        )
        assert texts(screen) == ["Text stays."]


async def test_a_dozen_images_draw_only_the_first_few(home: Path) -> None:
    """Memory stays bounded: the lead and MAX_BODY_PICTURES are drawn, the rest are text."""
    paths = Paths.resolve(home).ensure()
    stills = [f"{GONE}/images/still-{n}.png" for n in range(12)]
    data = shrink(poster(800, 450)).data
    cache = Pictures.at(paths).cache
    for url in [LEAD, *stills]:
        cache.put(url, data)
    blocks = [Block("img", [[Span(f"Still {n}")]], src=url) for n, url in enumerate(stills)]
    article = Article(title="Stills", image=LEAD, blocks=blocks)
    with Store.open(paths.database) as store:
        store.save_article(article, feed_id=None, guid="stills")
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert len(screen.query(HalfcellImage)) == 1 + MAX_BODY_PICTURES
        assert "[image: Still 11]" in texts(screen)[-1]


def test_snapshot(paths: Paths, snap_compare: Any) -> None:
    assert snap_compare(ReaderApp(paths), terminal_size=SIZE, run_before=open_review)

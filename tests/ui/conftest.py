"""A stored library for UI tests, built straight into the store (no network needed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ui_library import HOSTILE

from pilot_support import NOW, pin_clock
from tui_reader.models import Article, Block, Link, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp


def paragraph(text: str, href: str | None = None, anchor: str = "") -> Block:
    spans = [Span(text)]
    if href:
        spans += [Span(" "), Span(anchor or "more", href)]
    return Block("p", [spans])


def story(title: str, days: int, body: list[Block], **extra: object) -> Article:
    return Article(
        url=f"https://marquee.example/{title.lower().replace(' ', '-')[:30]}",
        title=title,
        author="Dana Whitfield",
        published=NOW - timedelta(days=days),
        blocks=body,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from pin_clock(monkeypatch)


@pytest.fixture
def library(home: Path, site: Any) -> Paths:
    """Two feeds in folders, five articles, related links to a cached and an uncached page."""
    paths = Paths.resolve(home).ensure()
    uncached = site.add(
        "/extra/festival-lineup.html",
        "<html><head><title>Festival line-up announced</title></head><body><article>"
        "<h1>Festival line-up announced</h1>"
        + "<p>The autumn festival will open with Glass Orchard and close with a restored print "
        "of a silent comedy, organisers said on Tuesday.</p>" * 3 + "</article></body></html>",
    )
    with Store.open(paths.database) as store:
        film, _ = store.add_feed(
            "https://marquee.example/feed", "Marquee Weekly", folder="Film & TV"
        )
        kdrama, _ = store.add_feed("https://seoul.example/feed", "Seoul Screen", folder="K-Drama")
        score = story(
            "Inside the score of Glass Orchard",
            5,
            [paragraph("Composer Ilse Varga wrote the Glass Orchard score for a string quartet.")],
        )
        store.save_article(score, feed_id=film.id, guid="score")
        harbor = story(
            "Harbor Lights renewed for a third season",
            2,
            [
                paragraph(
                    "The coastal mystery Harbor Lights returns next autumn.",
                    "https://marquee.example/harbor-lights-cast",
                    "cast list",
                ),
                Block("h", [[Span("What happens next")]], level=2),
                paragraph("Showrunner Priya Castellan moves the story to the island lighthouse."),
                Block("ul", [[Span("Mara Ellison returns")], [Span("Filming starts in February")]]),
                Block("quote", [[Span("We always knew the lighthouse was the ending.")]]),
            ],
            related=[
                Link(score.title, score.url or ""),
                Link("Festival line-up announced", uncached),
            ],
        )
        store.save_article(harbor, feed_id=film.id, guid="harbor")
        store.save_article(
            story(HOSTILE, 1, [paragraph("Rap feud coverage " * 20)]),
            feed_id=film.id,
            guid="hostile",
        )
        store.save_article(
            story(
                "Moonlit Palace finale breaks records",
                3,
                [paragraph("The Moonlit Palace finale drew record ratings.")],
            ),
            feed_id=kdrama.id,
            guid="palace",
        )
        store.save_article(
            story(
                "Seoul Screen awards shortlist",
                9,
                [paragraph("The shortlist names Moonlit Palace twice.")],
            ),
            feed_id=kdrama.id,
            guid="awards",
        )
    return paths


@pytest.fixture
def app(library: Paths) -> ReaderApp:
    return ReaderApp(library)

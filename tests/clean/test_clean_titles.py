"""The article's title: the feed's when it gives one, else the page's headline without the
site's name."""

from __future__ import annotations

import pytest

from tui_reader.clean import article_with_fallback, extract_article
from tui_reader.models import FeedEntry

URL = "https://reeltidings.example/2024/06/glass-orchard/"
BODY = "<p>" + "The second season arrives in August with eight new episodes. " * 6 + "</p>"


def _page(title: str, h1: str = "", site: str = "Reel Tidings") -> str:
    return (f'<html><head><title>{title}</title><meta property="og:site_name" content="{site}">'
            f"</head><body><article>{h1}{BODY}</article></body></html>")


@pytest.mark.parametrize(("title", "expected"), [
    ("“Glass Orchard” Returns | Reel Tidings", "“Glass Orchard” Returns"),
    ("Glass Orchard Returns – Reel Tidings", "Glass Orchard Returns"),
    ("Glass Orchard Returns -- reeltidings.example", "Glass Orchard Returns"),
    ("Glass Orchard Returns | TV | Reel Tidings", "Glass Orchard Returns | TV"),
    ("Spider-Man – Across the Spider-Verse Review", "Spider-Man – Across the Spider-Verse Review"),
    ("Review: ‘Glass Orchard’ - A Triumph", "Review: ‘Glass Orchard’ - A Triumph"),
])
def test_page_title_loses_its_site_name(title: str, expected: str) -> None:
    assert extract_article(_page(title), URL).title == expected


def test_feed_title_wins_over_the_page() -> None:
    page = extract_article(_page("TV News | Reel Tidings", "<h1>TV News</h1>"), URL)
    entry = FeedEntry(link=URL, title="“Glass Orchard” Season 2 Gets a Date")
    assert article_with_fallback(page, entry).title == "“Glass Orchard” Season 2 Gets a Date"


def test_page_title_when_the_feed_has_none() -> None:
    page = extract_article(_page("Glass Orchard Returns | Reel Tidings"), URL)
    assert article_with_fallback(page, FeedEntry(link=URL, title="  ")).title == \
        "Glass Orchard Returns"

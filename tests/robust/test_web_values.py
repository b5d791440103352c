"""Classes 1, 2 and 8: a value from a feed or a page that is not a number, a host or a port
it claims to be costs that field alone, never the entry, the page or the feed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.clean import MAX_BODY_CHARS, extract_article
from tui_reader.clean.dates import parse_date
from tui_reader.feeds.parse import parse_feed
from tui_reader.net.errors import FetchError, NotAFeed
from tui_reader.net.http import _redirect_target, cache_lifetime, check_url, retry_after_seconds
from tui_reader.sanitize import clean_text, safe_url

BAD_LINKS = [
    "http://a..b/x", "http://xn--/x", f"http://{'a' * 70}.example/x", "http://xn--a.example/x",
    "http://127.0.0.1:99999/x", "http://[::1/x", "http://h.example:²/x", "http://127.1/x",
]
BAD_NUMBERS = ["²", "٣", "1²", "𝟙𝟚", "9" * 30, "1_0", "-5", "nan"]


@given(st.text())
def test_page_dates_are_read_or_ignored(text: str) -> None:
    found = parse_date(text)
    assert found is None or found.tzinfo is not None


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_a_page_date_that_is_not_a_number_is_ignored(value: str) -> None:
    assert parse_date(value) is None
    page = (f'<html><head><meta property="article:published_time" content="{value}">'
            f"</head><body><article><p>{'Words here. ' * 40}</p></article></body></html>")
    article = extract_article(page, "https://site.example/a")
    assert article.published is None and article.text


def _rss(ttl: str, link: str) -> bytes:
    return (f"<rss version='2.0'><channel><title>T</title><ttl>{ttl}</ttl>"
            f"<item><title>bad</title><link>{link}</link><guid>1</guid>"
            f"<enclosure url='{link}' type='image/png'/></item>"
            "<item><title>good</title><link>https://ok.example/2</link></item>"
            "</channel></rss>").encode()


@pytest.mark.parametrize("ttl", BAD_NUMBERS)
def test_a_ttl_that_is_not_a_number_is_ignored(ttl: str) -> None:
    feed = parse_feed(_rss(ttl, "https://ok.example/1"), "https://ok.example/feed")
    assert feed.ttl_minutes is None and len(feed.entries) == 2


@pytest.mark.parametrize("link", BAD_LINKS)
def test_an_entry_link_that_cannot_be_fetched_costs_that_link_alone(link: str) -> None:
    feed = parse_feed(_rss("60", link), "https://ok.example/feed")
    assert [e.title for e in feed.entries] == ["bad", "good"]
    assert feed.entries[0].link is None and feed.entries[0].image is None
    assert feed.entries[1].link == "https://ok.example/2"


@pytest.mark.parametrize("link", BAD_LINKS)
def test_page_links_that_cannot_be_fetched_are_dropped(link: str) -> None:
    page = (f'<html><head><meta property="og:image" content="{link}">'
            f'<link rel="canonical" href="{link}"></head><body><article>'
            f"<p>{'Words here. ' * 40}</p><p>Also read: <a href='{link}'>a story</a></p>"
            f"<img src='{link}'></article></body></html>")
    article = extract_article(page, "https://site.example/a")
    assert article.image is None and article.url == "https://site.example/a"
    assert all(r.url != link for r in article.related)
    assert "Words here." in article.text


@settings(max_examples=150)
@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_any_href_leaves_the_page_readable(href: str) -> None:
    href = href.replace("'", "").replace(">", "")
    page = (f"<html><head><meta property='og:image' content='{href}'></head><body><article>"
            f"<p>{'Words here. ' * 40}</p><p>Read more: <a href='{href}'>x</a></p>"
            "</article></body></html>")
    assert "Words here." in extract_article(page, "https://site.example/a").text


def test_page_fields_are_capped_like_feed_fields() -> None:
    huge = "T" * 1_000_000
    page = (f'<html><head><meta property="og:title" content="{huge}">'
            f'<meta property="og:site_name" content="{huge}">'
            f'<meta name="author" content="{huge}"></head><body><article>'
            f"<p>{'Words here. ' * 40}</p></article></body></html>")
    article = extract_article(page, "https://site.example/a")
    assert len(article.title) <= 1000
    assert len(article.site_name or "") <= 1000
    assert len(article.author or "") <= 1000


def test_one_huge_paragraph_is_cut_at_the_body_cap_and_flagged() -> None:
    page = ("<html><body><article><p>" + "word " * 1_000_000 + "</p></article></body></html>")
    article = extract_article(page, "https://site.example/a")
    assert article.truncated
    assert MAX_BODY_CHARS // 2 < len(article.text) <= MAX_BODY_CHARS + 100


@given(st.text())
def test_retry_after_and_expires_are_read_or_ignored(value: str) -> None:
    seconds = retry_after_seconds(value, cap=600)
    assert seconds is None or 0 <= seconds <= 600
    lifetime = cache_lifetime({"expires": value, "cache-control": f"max-age={value}"})
    assert lifetime is None or lifetime >= 0


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_redirect_or_a_typed_url_that_cannot_be_fetched_is_one_error(link: str) -> None:
    with pytest.raises(FetchError):
        check_url(link)
    with pytest.raises(FetchError):
        _redirect_target("https://ok.example/a", link)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "url", "title", "items", "image", "content_html", "date_published",
                         "authors", "name", "attachments", "version", "external_url"]),
        inner, max_size=5),
    max_leaves=20)


def _feed_or_not(data: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(data, "https://ok.example/feed", content_type)
    except NotAFeed:
        return
    for entry in feed.entries:
        for link in (entry.link, entry.image):
            assert link is None or safe_url(link) == link
        assert clean_text(entry.title) == entry.title


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), _JSON_VALUES.map(
    lambda v: json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [v, v]})
    .encode())))
def test_any_feed_bytes_are_a_feed_or_not_a_feed(data: bytes) -> None:
    _feed_or_not(data, None)
    _feed_or_not(data, "application/feed+json")


@given(_JSON_VALUES)
def test_a_number_from_the_sync_server_is_read_or_minus_one(value: object) -> None:
    from tui_reader.sync.ttrss import _int

    number = _int(value)
    assert number == -1 or -(2**63) < number < 2**63
    assert _int("٣") == -1 and _int(float("inf")) == -1 and _int(10**30) == -1

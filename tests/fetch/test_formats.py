"""Every feed format parses to the same model: titles, links, dates, authors, content, images."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui_reader.feeds.parse import parse_feed
from tui_reader.models import ParsedFeed

DATA = Path(__file__).parent / "data"
FEED_URL = "https://mirror.example/feeds/latest"


def parse(name: str) -> ParsedFeed:
    return parse_feed((DATA / name).read_bytes(), FEED_URL)


@pytest.mark.parametrize(
    ("name", "kind", "title", "first_title"),
    [
        ("rss090.rdf", "rss090", "Marquee Weekly",
         "Opening weekend: the space western beats the sequel"),
        ("rss091.xml", "rss091n", "Sitcom Corner", "Café set rebuilt for the reunion special"),
        ("rss092.xml", "rss092", "Radio Drama Digest", "A lost 1950s serial turns up in an attic"),
        ("rss10.rdf", "rss10", "Scorecard: film music news",
         "The main theme was recorded in a single take"),
        ("rss20.xml", "rss20", "Popcorn & Premieres", "Dune composer returns for the third film"),
        ("atom03.xml", "atom03", "Stage Door Diary", "Understudy steals the show on opening night"),
        ("atom10.xml", "atom10", "Arcade & Console",
         "Speedrunner < 2 hours: the adaptation's runtime"),
        ("feed10.json", "json1", "Cartoon Chronicle", "The rabbit returns in a new short"),
        ("feed11.json", "json1.1", "Late Night Monologue", "A guest host for the summer"),
    ],
)
def test_each_format(name: str, kind: str, title: str, first_title: str) -> None:
    feed = parse(name)
    assert (feed.kind, feed.title, feed.entries[0].title) == (kind, title, first_title)
    assert not feed.bozo
    for entry in feed.entries:
        for when in (entry.published, entry.updated):
            assert when is None or when.tzinfo is not None


def test_rss20_fields() -> None:
    feed = parse("rss20.xml")
    assert feed.site_url == "https://popcorn.example/"
    assert feed.ttl_minutes == 90
    dune, teaser, finale, jury = feed.entries
    assert dune.guid == "popcorn-48213"
    assert dune.link == "https://popcorn.example/news/dune-composer-returns/"
    assert dune.author == "Jo Whitfield"
    assert dune.published == datetime(2024, 5, 6, 14, 45, tzinfo=UTC)
    assert dune.categories == ["Film", "Music"]
    assert dune.summary == "<p>The composer confirmed the news on stage.</p>"
    assert "Recording starts in the autumn." in dune.content
    assert dune.image == "https://cdn.popcorn.example/img/composer.jpg"
    # Relative link and thumbnail resolve against the feed's own URL.
    assert teaser.link == "https://mirror.example/news/teaser-easter-eggs/"
    assert teaser.image == "https://mirror.example/img/teaser-thumb.jpg"
    assert teaser.author == "Sam Reyes"
    # javascript: and file: are never kept as links.
    assert finale.link is None
    assert jury.image is None
    # An unparseable date is no date, never "now".
    assert jury.published is None and jury.updated is None


def test_rss_items_without_title_or_link_are_keyed_by_their_content() -> None:
    entry = parse("rss092.xml").entries[1]
    # Listed by the start of its text, which is short enough to be all of it.
    assert (entry.title, entry.link) == ("An item with neither title nor link, as 0.92 allows.",
                                         None)
    assert entry.key is not None and entry.key.startswith("content:")
    assert parse("rss092.xml").entries[1].key == entry.key
    assert parse("rss092.xml").entries[0].image == "http://radiodrama.example/img/trunk.jpg"


def test_rss090_relative_link_and_rss10_modules() -> None:
    assert parse("rss090.rdf").entries[1].link == "https://mirror.example/news/festival-line-up.html"
    entry = parse("rss10.rdf").entries[0]
    assert entry.author == "Mara Okafor"
    assert entry.published == datetime(2024, 5, 14, 8, 30, tzinfo=UTC)
    assert entry.categories == ["Soundtracks"]
    assert "<em>one</em>" in entry.content


def test_rss091_entities_and_escaped_markup() -> None:
    entry = parse("rss091.xml").entries[0]
    assert entry.title == "Café set rebuilt for the reunion special"
    assert entry.summary == "The <b>original</b> couch is back."


def test_atom10_xml_base_authors_and_text_constructs() -> None:
    feed = parse("atom10.xml")
    assert feed.site_url == "https://arcade.example/"
    runtime, only_updated, boss = feed.entries
    # xml:base on the feed and the entry stack up.
    assert runtime.link == "https://arcade.example/blog/posts/2024/speedrun-runtime.html"
    assert runtime.image == "https://arcade.example/media/speedrun.webp"
    assert runtime.author == "Lee Park, Ana Souza"
    assert runtime.published == datetime(2024, 4, 18, 23, 0, tzinfo=UTC)
    assert runtime.updated == datetime(2024, 4, 20, 10, 30, tzinfo=UTC)
    assert runtime.categories == ["adaptations", "film"]
    # type="text" is text: markup-looking characters are escaped, not parsed.
    assert runtime.summary == "<p>Short answer: yes. Long answer: &lt;still yes&gt;.</p>"
    assert only_updated.content == (
        "<p>Line one.</p><p>Second paragraph with a &lt;tag&gt; that is text.</p>"
    )
    assert only_updated.published == datetime(2024, 4, 18, 7, 0, tzinfo=UTC)
    assert boss.title == "Boss fight remastered"
    # A data: link is skipped for the http(s) alternate.
    assert boss.link == "https://arcade.example/blog/boss-fight"
    assert boss.published is None


def test_atom03_dates_and_escaped_content() -> None:
    entry = parse("atom03.xml").entries[0]
    assert entry.published == datetime(2024, 3, 2, 3, 15, tzinfo=UTC)
    assert entry.author == "Priya Lang"
    assert entry.content == "<p>She had two rehearsals. <strong>Two.</strong></p>"


def test_json_feed_11() -> None:
    feed = parse("feed11.json")
    assert feed.site_url == "https://latenight.example/"
    first, second = feed.entries
    assert first.author == "Dana Cole, Eli Brandt"
    assert first.published == datetime(2024, 6, 11, 21, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert first.updated == datetime(2024, 6, 12, 9, 0, tzinfo=UTC)
    assert first.categories == ["talk shows", "TV"]
    assert first.image == "https://mirror.example/img/guest-host.jpg"
    assert first.summary == "<p>Three hosts, eight weeks.</p>"
    # Numeric id, external_url as link, content_text escaped, the feed's author inherited.
    assert second.guid == "20240610"
    assert second.link == "https://other.example/story"
    assert second.content == "<p>Plain text &amp; no title.</p><p>Second paragraph.</p>"
    assert second.author == "The Writers' Room"
    assert second.published is None


def test_json_feed_10() -> None:
    entry = parse("feed10.json").entries[0]
    assert entry.author == "Ink & Paint"
    assert entry.link == "https://mirror.example/shorts/return-of-the-rabbit"
    assert entry.image == "https://cartoons.example/img/rabbit.png"


def test_json_feed_with_missing_and_wrong_optional_fields() -> None:
    feed = parse("feed_minimal.json")
    assert feed.title == FEED_URL
    assert feed.site_url is None
    assert len(feed.entries) == 3
    only_id, no_id, wrong = feed.entries
    assert only_id.guid == "only-id" and only_id.link is None and only_id.title == ""
    assert no_id.content == "<p>no id, no url</p>"
    assert no_id.key is not None and no_id.key.startswith("content:")
    # Nothing to read, so nothing to key it by.
    assert (wrong.guid, wrong.link, wrong.title, wrong.categories) == (None, None, "", [])
    assert wrong.published is None and wrong.author is None


def test_json_feed_without_version_is_read_but_noted() -> None:
    feed = parse_feed(b'{"title": "Bare", "items": [{"id": "1", "title": "One"}]}', FEED_URL)
    assert feed.bozo and feed.entries[0].title == "One"


def test_titles_lose_markup_and_control_characters() -> None:
    doc = (b"<rss version='2.0'><channel><title>T</title><item>"
           b"<title>&lt;b&gt;Bold&lt;/b&gt; \x1b[2J &amp;amp; &#x1b;]0;pwned&#7; \xe2\x80\xae"
           b" news</title>"
           b"</item></channel></rss>")
    title = parse_feed(doc, FEED_URL).entries[0].title
    assert title.startswith("Bold")
    assert "\x1b" not in title and "\x07" not in title and "\u202e" not in title
    assert "&" in title and "<b>" not in title


def test_bozo_feed_is_accepted_and_noted() -> None:
    doc = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Loose &nbsp; feed</title>"
           b"<item><title>Unclosed <br> tag &eacute;</title><link>https://x.example/a</link>"
           b"</item></channel>")
    feed = parse_feed(doc, FEED_URL)
    assert feed.bozo
    assert feed.entries[0].link == "https://x.example/a"
    assert feed.entries[0].title.startswith("Unclosed")

"""Feeds read as their publishers wrote them, on both paths (expat and feedparser) alike:
titles with inline markup, entries with neither guid nor link, authors given as an address,
Atom author inheritance, opaque ids, dates in European languages, non-web links, and the
size-based cut on long feeds."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.feeds.dates import european_date, parse_date
from tui_reader.feeds.entries import (
    MAX_ENCLOSURES,
    MAX_ENTRIES,
    MAX_SMALL,
    UNTITLED_CHARS,
    former_key,
    parse_duration,
)
from tui_reader.feeds.parse import _parse, parse_feed
from tui_reader.models import Enclosure, ParsedFeed

URL = "https://pods.example/feeds/main.xml"
MOVED = "https://cdn.pods.example/v2/feed.xml"


def both(doc: bytes, url: str = URL) -> ParsedFeed:
    """`parse_feed`'s answer, checked equal to the feedparser path's."""
    feed = parse_feed(doc, url)
    assert feed == _parse(doc, url, None, fast=False)
    return feed


def rss(items: str, version: str = "2.0", channel: str = "") -> bytes:
    return (f'<?xml version="1.0"?><rss version="{version}"><channel><title>Pods</title>'
            f"<link>https://pods.example/</link>{channel}{items}</channel></rss>").encode()


def atom(body: str) -> bytes:
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Notes</title>{body}</feed>").encode()


# -- titles -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("H<sub>2</sub>O on tap", "H2O on tap"),
        ("Nokogiri<b>&#8217;s</b> new parser", "Nokogiri’s new parser"),
        ("A 1930ft<sup>2</sup> loft", "A 1930ft2 loft"),
        ("<em>Dune</em> <strong>Part Two</strong>", "Dune Part Two"),
        ("<a href='/x'>Link</a>ed", "Linked"),
        ("First<br/>Second", "First Second"),
        ("<p>One</p><p>Two</p>", "One Two"),
        ("Cast:<ul><li>Ana</li><li>Bo</li></ul>", "Cast: Ana Bo"),
    ],
)
def test_inline_markup_joins_and_blocks_separate(title: str, expected: str) -> None:
    doc = rss(f"<item><title>{title}</title><link>https://pods.example/1</link></item>")
    assert both(doc).entries[0].title == expected


def test_escaped_html_titles_join_the_same_way() -> None:
    escaped = "H&lt;sub&gt;2&lt;/sub&gt;O and ice&lt;br&gt;water&lt;div&gt;cold&lt;/div&gt;"
    doc = atom(f"<entry><id>tag:x,2024:1</id><title type='html'>{escaped}</title></entry>")
    assert both(doc).entries[0].title == "H2O and ice water cold"


# -- entries with neither guid nor link ---------------------------------------------------

def grateful_dead(count: int = 22) -> bytes:
    """The RSS 0.92 shape: every item a description and an mp3, nothing else."""
    items = "".join(
        f"<item><description>Show {n}: a song from the archive, &lt;i&gt;live&lt;/i&gt;."
        f"</description><enclosure url='http://archive.example/mp3s/show{n}.mp3'"
        f" length='{6182912 + n}' type='audio/mpeg'/></item>"
        for n in range(count))
    return rss(items, version="0.92")


def test_items_with_only_a_description_and_enclosure_get_stable_distinct_keys() -> None:
    entries = both(grateful_dead()).entries
    keys = [e.key for e in entries]
    assert len(entries) == 22 and all(keys) and len(set(keys)) == 22
    assert all(e.guid == e.key and e.link is None for e in entries)
    # The same document read again, or from another address, keys its entries alike.
    assert [e.key for e in both(grateful_dead(), MOVED).entries] == keys


def test_an_untitled_entry_is_listed_by_the_start_of_its_text() -> None:
    entries = both(grateful_dead(2)).entries
    assert [e.title for e in entries] == ["Show 0: a song from the archive, live.",
                                          "Show 1: a song from the archive, live."]
    words = "Every word of this post is part of one long sentence that goes on " * 3
    [long] = both(rss(f"<item><guid>p1</guid><description>{words}</description></item>"
                      )).entries
    assert long.title == ("Every word of this post is part of one long sentence that goes on"
                          " Every word of…")
    assert len(long.title) <= UNTITLED_CHARS + 1


def test_the_enclosure_is_part_of_the_key() -> None:
    one = "<item><description>Same words</description><enclosure url='http://a.example/1.mp3'/>"
    two = "<item><description>Same words</description><enclosure url='http://a.example/2.mp3'/>"
    first, second = both(rss(one + "</item>" + two + "</item>", version="0.92")).entries
    assert first.key != second.key


def test_an_entry_with_nothing_in_it_has_no_key() -> None:
    assert both(rss("<item></item>")).entries[0].key is None


def test_json_feed_items_without_id_or_url_are_keyed_by_content() -> None:
    items = [{"content_text": "Episode one",
              "attachments": [{"url": "https://a.example/1.mp3", "mime_type": "audio/mpeg"}]},
             {"content_text": "Episode one",
              "attachments": [{"url": "https://a.example/2.mp3", "mime_type": "audio/mpeg"}]}]
    doc = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    first, second = parse_feed(doc, URL).entries
    assert first.key and second.key and first.key != second.key
    assert parse_feed(doc, MOVED).entries[0].key == first.key


# -- authors ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("<author>foobar@gmail.com</author>", "foobar@gmail.com"),
        ("<author>&lt;foobar@gmail.com&gt;</author>", "foobar@gmail.com"),
        ("<author>mailto:foobar@gmail.com</author>", "foobar@gmail.com"),
        ("<author>foobar@gmail.com (Foo Bar)</author>", "Foo Bar"),
        ("<author>Foo Bar &lt;foobar@gmail.com&gt;</author>", "Foo Bar"),
        ("<author>a@pods.example</author><dc:creator>b@pods.example</dc:creator>",
         "a@pods.example, b@pods.example"),
        ("<author>a@pods.example (Ann Lee)</author><dc:creator>Bo &lt;b@pods.example&gt;"
         "</dc:creator>", "Ann Lee, Bo"),
    ],
)
def test_an_author_given_only_as_an_address_keeps_it(authors: str, expected: str) -> None:
    doc = rss(f"<item><title>t</title><link>https://pods.example/1</link>{authors}</item>")
    doc = doc.replace(b"<rss ", b'<rss xmlns:dc="http://purl.org/dc/elements/1.1/" ')
    assert both(doc).entries[0].author == expected


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ("<author><email>desk@notes.example</email></author>", "desk@notes.example"),
        ("<author><name></name><email>desk@notes.example</email></author>",
         "desk@notes.example"),
        ("<author><email>a@notes.example</email></author><author><name>Bo</name></author>",
         "a@notes.example, Bo"),
    ],
)
def test_atom_authors_given_only_as_addresses(people: str, expected: str) -> None:
    doc = atom(f"<entry><id>tag:x,2024:1</id><title>t</title>{people}</entry>")
    assert both(doc).entries[0].author == expected


def test_atom_entries_inherit_the_source_author_then_the_feed_author() -> None:
    doc = atom("<author><name>Feed Writer</name></author>"
               "<entry><id>tag:x,2024:1</id><title>own</title>"
               "<author><name>Own Writer</name></author></entry>"
               "<entry><id>tag:x,2024:2</id><title>from source</title>"
               "<source><id>tag:y,2024:feed</id><author><name>Source Writer</name></author>"
               "</source></entry>"
               "<entry><id>tag:x,2024:3</id><title>from feed</title></entry>")
    assert [e.author for e in both(doc).entries] == ["Own Writer", "Source Writer",
                                                    "Feed Writer"]


def test_rss_items_do_not_inherit_the_channel_editor() -> None:
    doc = rss("<item><title>t</title><link>https://pods.example/1</link></item>",
              channel="<managingEditor>editor@pods.example</managingEditor>")
    assert both(doc).entries[0].author is None


# -- ids ----------------------------------------------------------------------------------

OPAQUE = ["t3_157awnr", str(uuid.UUID(int=7)), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
          "urn:uuid:00000000-0000-0000-0000-000000000007", "tag:notes.example,2024:1"]


@pytest.mark.parametrize("guid", OPAQUE)
@pytest.mark.parametrize("permalink", ["", " isPermaLink='true'", " isPermaLink='false'"])
def test_rss_guids_stay_as_written_and_are_no_links(guid: str, permalink: str) -> None:
    doc = rss(f"<item><title>t</title><guid{permalink}>{guid}</guid></item>")
    [entry] = both(doc).entries
    assert (entry.guid, entry.link) == (guid, None)
    assert both(doc, MOVED).entries[0].key == entry.key == guid


@pytest.mark.parametrize("guid", OPAQUE)
def test_atom_ids_stay_as_written(guid: str) -> None:
    doc = atom(f"<entry><id>{guid}</id><title>t</title>"
               "<link href='/notes/1'/></entry>")
    [entry] = both(doc).entries
    assert entry.guid == guid
    assert entry.link == "https://pods.example/notes/1"
    assert both(doc, MOVED).entries[0].key == guid


def test_an_id_that_reads_as_an_address_is_still_the_link() -> None:
    doc = rss("<item><title>a</title><guid>https://pods.example/ep/1</guid></item>"
              "<item><title>b</title><guid>/ep/2</guid></item>")
    first, second = both(doc).entries
    assert (first.guid, first.link) == ("https://pods.example/ep/1", "https://pods.example/ep/1")
    assert (second.guid, second.link) == ("/ep/2", "https://pods.example/ep/2")


def test_the_key_earlier_releases_stored_is_known_for_the_upgrade() -> None:
    assert former_key("t3_157awnr", URL) == "https://pods.example/feeds/t3_157awnr"
    assert former_key("/ep/2", URL) == "https://pods.example/ep/2"
    assert former_key("https://pods.example/ep/1", URL) is None
    assert former_key("urn:uuid:00000000-0000-0000-0000-000000000007", URL) is None


# -- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mer, 16 nov 2022 10:00:00 +0100", "2022-11-16T09:00:00+00:00"),  # Italian
        ("Seg, 24 Set 2018 10:00:00 GMT", "2018-09-24T10:00:00+00:00"),  # Portuguese
        ("Sáb, 05 Ago 2023 12:00:00 -0300", "2023-08-05T15:00:00+00:00"),
        ("mié., 15 ene. 2020 09:00:00 GMT", "2020-01-15T09:00:00+00:00"),  # Spanish
        ("jeu, 1er déc 2022 14:00:00 +0100", "2022-12-01T13:00:00+00:00"),  # French
        ("Mi, 16. März 2022 08:30:00 +0100", "2022-03-16T07:30:00+00:00"),  # German
        ("Di, 14 Okt 2025 10:00:00 MESZ", "2025-10-14T08:00:00+00:00"),
        ("ma, 7 mrt 2022 10:00:00 +0100", "2022-03-07T09:00:00+00:00"),  # Dutch
        ("sön, 5 maj 2024 08:00:00 +0200", "2024-05-05T06:00:00+00:00"),  # Swedish
        ("Pt, 3 lut 2023 10:00", "2023-02-03T10:00:00+00:00"),  # Polish
        ("domingo, 16 de novembro de 2022 10:00", "2022-11-16T10:00:00+00:00"),
        ("16 marraskuuta 2022", "2022-11-16T00:00:00+00:00"),  # Finnish
        ("Wed, 16 Nov 2022 10:00:00 +0100", "2022-11-16T09:00:00+00:00"),
    ],
)
def test_day_and_month_names_in_european_languages(text: str, expected: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.isoformat() == expected
    doc = rss(f"<item><title>t</title><link>https://pods.example/1</link>"
              f"<pubDate>{text}</pubDate></item>")
    published = both(doc).entries[0].published
    assert published is not None and published.isoformat() == expected


@pytest.mark.parametrize("text", ["lun, 31 feb 2022 10:00:00 GMT", "mer, 16 xyz 2022",
                                  "ven, 40 nov 2022", "16 ma 2022", "", "nov"])
def test_dates_that_are_not_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_date_text_raises(text: str) -> None:
    european_date(text)
    parse_date(text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[a-zéèçãá]{2,9}\.?,? [0-9]{1,2}\.? [a-zäéûç]{2,12}\.? [0-9]{4}"
                     r"( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?( [A-Z]{1,5}|[+-][0-9]{4})?)?",
                     fullmatch=True))
def test_no_date_shaped_text_raises(text: str) -> None:
    european_date(text)
    parse_date(text)


# -- non-web links ------------------------------------------------------------------------

def test_a_non_web_link_keeps_its_http_text() -> None:
    doc = rss("<item><title>Post</title>"
              "<link uri='at://did:plc:abc/app.bsky.feed.post/3k'>"
              "https://bsky.example/profile/abc/post/3k</link>"
              "<enclosure url='https://cdn.example/a.jpg' type='image/jpeg'/></item>")
    [entry] = both(doc).entries
    assert entry.link == "https://bsky.example/profile/abc/post/3k"


def test_a_web_link_attribute_still_wins_over_text() -> None:
    doc = atom("<entry><id>tag:x,2024:1</id><title>t</title>"
               "<link href='https://notes.example/1'>https://elsewhere.example/</link></entry>")
    assert both(doc).entries[0].link == "https://notes.example/1"


# -- the cut --------------------------------------------------------------------------------

def test_a_long_feed_of_small_entries_is_kept_whole() -> None:
    items = "".join(f"<item><guid>e{n}</guid><title>Episode {n}</title>"
                    f"<description>A short note on episode {n}.</description></item>"
                    for n in range(1200))
    feed = both(rss(items))
    assert (len(feed.entries), feed.cut) == (1200, 0)


def test_large_entries_are_cut_at_the_count_and_the_cut_is_counted() -> None:
    text = "Long transcript. " * 300
    items = "".join(f"<item><guid>e{n}</guid><title>Episode {n}</title>"
                    f"<description>{text}</description></item>" for n in range(MAX_ENTRIES + 40))
    feed = both(rss(items))
    assert (len(feed.entries), feed.cut) == (MAX_ENTRIES, 40)


def test_no_feed_keeps_more_than_the_ceiling() -> None:
    items = [{"id": str(n)} for n in range(MAX_SMALL + 7)]
    feed = parse_feed(json.dumps({"version": "https://jsonfeed.org/version/1", "items": items}
                                 ).encode(), URL)
    assert (len(feed.entries), feed.cut) == (MAX_SMALL, 7)


# -- enclosures ---------------------------------------------------------------------------

PODCAST_NS = ('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
              'xmlns:media="http://search.yahoo.com/mrss/"')


def test_rss_enclosures_with_media_content_and_itunes_duration() -> None:
    doc = rss("<item><title>Episode 1</title><guid>ep1</guid>"
              "<enclosure url='https://cdn.pods.example/ep1.mp3' length='6182912'"
              " type='audio/mpeg'/>"
              "<itunes:duration>1:02:03</itunes:duration>"
              "<media:content url='https://cdn.pods.example/ep1.mp3' fileSize='1' duration='9'/>"
              "<media:content url='/video/ep1.mp4' type='video/mp4' fileSize='99000'"
              " duration='1800' medium='video'/>"
              "<media:content url='javascript:alert(1)' type='video/mp4'/>"
              "<enclosure url='https://cdn.pods.example/cover.jpg' length='0'"
              " type='image/jpeg'/></item>")
    doc = doc.replace(b"<rss ", f"<rss {PODCAST_NS} ".encode())
    [entry] = both(doc).entries
    assert entry.enclosures == [
        # The enclosure's own length wins; media:content's duration fills the gap, so the
        # entry's itunes:duration goes to no file.
        Enclosure("https://cdn.pods.example/ep1.mp3", "audio/mpeg", 6182912, 9),
        Enclosure("https://cdn.pods.example/cover.jpg", "image/jpeg", None, None),
        Enclosure("https://pods.example/video/ep1.mp4", "video/mp4", 99000, 1800),
    ]


def test_itunes_duration_goes_to_the_audio_file() -> None:
    doc = rss("<item><title>Episode 2</title><guid>ep2</guid>"
              "<enclosure url='https://cdn.pods.example/art.png' type='image/png'/>"
              "<enclosure url='https://cdn.pods.example/ep2.m4a' type='audio/x-m4a'/>"
              "<itunes:duration>2712</itunes:duration></item>")
    doc = doc.replace(b"<rss ", f"<rss {PODCAST_NS} ".encode())
    [entry] = both(doc).entries
    assert [(e.url, e.duration) for e in entry.enclosures] == [
        ("https://cdn.pods.example/art.png", None), ("https://cdn.pods.example/ep2.m4a", 2712)]


def test_atom_enclosure_links() -> None:
    doc = atom("<entry><id>tag:x,2024:1</id><title>t</title>"
               "<link rel='enclosure' href='https://cdn.notes.example/a.ogg' type='audio/ogg'"
               " length='4096'/></entry>")
    assert both(doc).entries[0].enclosures == [
        Enclosure("https://cdn.notes.example/a.ogg", "audio/ogg", 4096, None)]


def test_json_feed_attachments() -> None:
    items = [{"id": "1", "attachments": [
        {"url": "https://cdn.pods.example/1.mp3", "mime_type": "audio/mpeg",
         "size_in_bytes": 1234, "duration_in_seconds": 61.5},
        {"url": "/2.mp3", "mime_type": 7, "size_in_bytes": "many", "duration_in_seconds": -3},
        {"url": "ftp://cdn.pods.example/3.mp3"}, "not an object"]}]
    doc = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    assert parse_feed(doc, URL).entries[0].enclosures == [
        Enclosure("https://cdn.pods.example/1.mp3", "audio/mpeg", 1234, 61),
        Enclosure("https://pods.example/2.mp3", None, None, None)]


def test_enclosures_per_entry_are_capped() -> None:
    files = "".join(f"<enclosure url='https://cdn.pods.example/{n}.mp3'/>" for n in range(50))
    [entry] = both(rss(f"<item><guid>many</guid>{files}</item>")).entries
    assert len(entry.enclosures) == MAX_ENCLOSURES


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3723", 3723), ("3723.9", 3723), ("62:03", 3723), ("1:02:03", 3723), (" 45:00 ", 2700),
     ("0", None), ("", None), ("1:2:3:4", None), ("an hour", None), ("-5", None),
     ("99999999999", None)],
)
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), st.booleans()))
def test_no_duration_raises_and_none_is_out_of_range(value: object) -> None:
    seconds = parse_duration(value)
    assert seconds is None or 0 < seconds <= 100 * 86400


@pytest.mark.parametrize("fast", [True, False])
def test_a_links_element_in_the_channel_is_no_site_link(fast: bool) -> None:
    # feedparser (and the expat reader, which follows it) file a <link> inside a channel's
    # <links> element as a dict of attributes under "link": the feed is still read, as if it
    # had no link.
    links = b"<links version='2.0'><channel><title>T</title><link>http://example.com/</link>"
    doc = (b"<rss version='2.0'><channel><title>T</title>" + links
           + b"<item><title>One</title><link>http://example.com/1</link></item>"
           b"</channel></links></channel></rss>")
    feed = _parse(doc, "http://example.com/feed", "application/rss+xml", fast=fast)
    without = _parse(b"<rss version='2.0'><channel><title>T</title></channel></rss>",
                     "http://example.com/feed", "application/rss+xml", fast=fast)
    assert feed.site_url == without.site_url
    assert [entry.link for entry in feed.entries] == ["http://example.com/1"]

"""Hostile or broken documents: entity blow-ups, local paths, non-feeds, the robustness corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from fetch.conftest import EntityTarget
from tui_reader.feeds.entries import MAX_SMALL
from tui_reader.feeds.parse import parse_feed
from tui_reader.net.errors import NotAFeed

URL = "http://127.0.0.1/feed.xml"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "feedparser-tests"


def channel(title: str, prolog: str = "") -> bytes:
    return (f"<?xml version='1.0'?>\n{prolog}\n<rss version='2.0'><channel><title>{title}"
            "</title><item><title>x</title></item></channel></rss>").encode()


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [\n<!ENTITY a "{a}">\n]>',  # entity on its own line: feedparser keeps it
        '<!DOCTYPE rss [<!ENTITY a "{a}">]>',
        '<!ENTITY a "{a}">\n<!DOCTYPE rss>',  # stray declaration outside a DOCTYPE
        '<!DOCTYPE rss PUBLIC "-//x//EN" "http://127.0.0.1/x.dtd" [\n<!ENTITY a "{a}">\n]>',
    ],
    ids=["own-line", "one-line", "stray", "external-id"],
)
def test_quadratic_entity_blowup_cannot_expand(prolog: str) -> None:
    # 20,000 × 20,000 characters would be a 400-million-character title.
    n = 20_000
    feed = parse_feed(channel("&a;" * n, prolog.format(a="A" * n)), URL)
    assert "AAAA" not in feed.title
    assert len(feed.title) <= 1000


def test_billion_laughs_cannot_expand() -> None:
    lines = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    feed = parse_feed(channel("&lol9;", "<!DOCTYPE lolz [\n" + "\n".join(lines) + "\n]>"), URL)
    assert "lollol" not in feed.title


def test_external_entities_are_neither_read_nor_fetched(entity_target: EntityTarget) -> None:
    port = entity_target.port
    prolog = (f'<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/evil.dtd" [\n'
              f'<!ENTITY xxe SYSTEM "file://{entity_target.secret}">\n'
              f'<!ENTITY % remote SYSTEM "http://127.0.0.1:{port}/p.dtd">\n%remote;\n]>')
    feed = parse_feed(channel("X&xxe;Y", prolog), URL)
    assert not entity_target.contacted()
    assert "TOP-SECRET" not in feed.title


def test_a_body_that_is_a_path_is_not_opened(tmp_path: Path) -> None:
    local = tmp_path / "local.xml"
    local.write_bytes(channel("LOCAL FILE READ"))
    with pytest.raises(NotAFeed):
        parse_feed(str(local).encode(), URL)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"<!DOCTYPE html><html><head><title>Login</title></head><body>Sign in</body></html>",
         "text/html", "not a feed: got an HTML page"),
        (b"<!-- captive portal --><html><body>Accept the terms</body></html>", None,
         "not a feed: got an HTML page"),
        (b"  \n", None, "not a feed: the document is empty"),
        (b"", "application/rss+xml", "not a feed: the document is empty"),
        (b'{"data": [1, 2, 3]}', "application/json", "not a feed: JSON, but not a JSON Feed"),
        (b"[1, 2]", "application/json", "not a feed: JSON, but not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', None,
         "not a feed: invalid JSON"),
        (b"<?xml version='1.0'?><sitemap><url>https://x.example/</url></sitemap>", "text/xml",
         "not a feed: an XML document whose root is <sitemap>, not RSS or Atom"),
        (b"Service temporarily unavailable", "text/plain",
         "not a feed: neither RSS, Atom nor JSON Feed"),
    ],
)
def test_not_a_feed_messages(body: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_feed(body, URL, content_type)
    assert str(caught.value) == message


def test_rss_with_a_json_content_type_is_still_rss() -> None:
    assert parse_feed(channel("Mislabeled"), URL, "application/json").title == "Mislabeled"


def test_an_empty_but_valid_feed_is_a_feed() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", URL)
    assert (feed.title, feed.entries) == ("Quiet", [])


def test_entries_are_capped() -> None:
    items = "".join(f"<item><guid>g{i}</guid><title>{i}</title></item>"
                    for i in range(MAX_SMALL + 100))
    doc = f"<rss version='2.0'><channel><title>Big</title>{items}</channel></rss>".encode()
    feed = parse_feed(doc, URL)
    assert (len(feed.entries), feed.cut) == (MAX_SMALL, 100)


@pytest.mark.parametrize(
    "body",
    ["<!ENTITY " * 200_000, "<!DOCTYPE x [" + "<!ENTITY a 'x'" * 100_000, "<!--" * 300_000,
     "<!DOCTYPE [" * 100_000],
    ids=["entities", "subset-entities", "comments", "doctypes"],
)
def test_pathological_prologs_are_linear(body: str) -> None:
    # Quadratic scanning would take minutes here; a pass takes milliseconds.
    with pytest.raises(NotAFeed):
        parse_feed(body.encode(), URL)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repo")
def test_corpus_never_raises_anything_but_not_a_feed() -> None:
    parsed = refused = 0
    for path in sorted(CORPUS.rglob("*.xml")) + sorted(CORPUS.rglob("*.json")):
        try:
            feed = parse_feed(path.read_bytes(), "http://127.0.0.1/corpus/" + path.name)
        except NotAFeed:
            refused += 1
            continue
        parsed += 1
        for entry in feed.entries:
            assert entry.link is None or entry.link.startswith(("http://", "https://"))
            assert entry.published is None or entry.published.tzinfo is not None
            assert "\x1b" not in entry.title
    # Only the empty document and the item-less CDF samples yield no feed.
    assert parsed > 2000 and refused < 20

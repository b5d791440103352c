"""The picture cache, the pictures service, and pictures stored by refresh and fetch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from image_samples import poster

from tui_reader.models import Article, Block, Span
from tui_reader.net.http import Fetcher
from tui_reader.pictures import MAX_BODY_PICTURES, Pictures, picture_urls
from tui_reader.refresh import fetch_article, refresh_all
from tui_reader.store import Store
from tui_reader.store.images import ImageCache


def test_cache_round_trip(cache: ImageCache) -> None:
    url = "https://img.example/poster.png?w=1200"
    assert cache.get(url) is None and not cache.has(url)
    cache.put_note(url, "HTTP 404 (not found)")
    assert cache.note(url) == "HTTP 404 (not found)"
    cache.put(url, b"picture")
    assert cache.get(url) == b"picture" and cache.note(url) is None
    files = [p for p in cache.folder.rglob("*") if p.is_file()]
    assert files == [cache.path(url)]  # no temporary files left behind
    assert cache.path(url).parent.name == cache.path(url).name[:2]


def _article(lead: str | None, sources: list[str]) -> Article:
    blocks = [Block("p", [[Span("A paragraph.")]])]
    blocks += [Block("img", [[Span(f"Still {n}")]], src=src) for n, src in enumerate(sources)]
    return Article(url="https://news.example/a", title="A", image=lead, blocks=blocks)


def test_picture_urls_lead_first_then_a_few_from_the_body() -> None:
    body = [f"https://img.example/{n}.jpg" for n in range(8)]
    article = _article(
        "https://img.example/0.jpg", ["data:image/gif;base64,R0lGOD", "javascript:x()", *body]
    )
    assert picture_urls(article) == body[: MAX_BODY_PICTURES + 1]
    assert picture_urls(_article(None, [])) == []


async def test_pictures_are_fetched_once_and_broken_ones_remembered(
    site: Any, fetcher: Fetcher, pictures: Pictures
) -> None:
    lead = site.add("/lead.png", poster(), "image/png")
    still = site.add("/still.jpg", poster(640, 360, "JPEG"), "image/jpeg")
    broken = site.add("/broken.png", b"<html>gone</html>", "text/html")
    gone = site.url("/gone.png")
    offline = "http://127.0.0.1:9/elsewhere.png"
    article = _article(lead, [still, broken, gone, offline])

    notes = await pictures.save(fetcher, article)
    assert set(notes) == {broken, gone, offline}
    assert notes[gone] == "HTTP 404 (not found)"
    assert pictures.cache.has(lead) and pictures.cache.has(still)
    assert pictures.cache.note(broken) == notes[broken]
    assert pictures.cache.note(offline) is None  # worth another try later

    before = len(site.requests)
    again = await pictures.save(fetcher, article)
    assert len(site.requests) == before  # cached and known-broken ones are not asked for
    assert again.keys() == notes.keys()


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Marquee</title>
<link>{base}/</link><item><title>Harbor Lights renewed</title>
<link>{base}/harbor.html</link><guid>h1</guid></item></channel></rss>"""

PAGE = """<html><head><title>Harbor Lights renewed</title>
<meta property="og:image" content="{base}/images/lead.png"></head><body><article>
<h1>Harbor Lights renewed for a third season</h1>
<p>The coastal mystery Harbor Lights returns next autumn with its whole cast, the
streamer said on Monday, after the second season became its most watched drama.</p>
<figure><img src="/images/still.png" alt="Mara Ellison on the pier">
<figcaption>Mara Ellison on the pier</figcaption></figure>
<p>Showrunner Priya Castellan said the third season moves the story to the island
lighthouse, where the first season's mystery began, and that filming starts in February.</p>
</article></body></html>"""


def _harbor_site(site: Any) -> tuple[str, str, str]:
    feed = site.add("/feed.xml", FEED.format(base=site.base), "application/rss+xml")
    site.add("/harbor.html", PAGE.format(base=site.base))
    lead = site.add("/images/lead.png", poster(), "image/png")
    still = site.add("/images/still.png", poster(500, 300), "image/png")
    return feed, lead, still


async def test_refresh_stores_the_pictures(
    site: Any, fetcher: Fetcher, pictures: Pictures, tmp_path: Path
) -> None:
    feed, lead, still = _harbor_site(site)
    with Store.open(tmp_path / "db.sqlite3") as store:
        store.add_feed(feed, "Marquee")
        report = await refresh_all(store, fetcher, pictures=pictures)
    assert report.new_articles == 1
    assert pictures.cache.has(lead) and pictures.cache.has(still)


async def test_refresh_without_pictures_downloads_none(
    site: Any, fetcher: Fetcher, tmp_path: Path
) -> None:
    feed, _, _ = _harbor_site(site)
    with Store.open(tmp_path / "db.sqlite3") as store:
        store.add_feed(feed, "Marquee")
        await refresh_all(store, fetcher)
    assert not site.seen("/images/lead.png") and not site.seen("/images/still.png")


async def test_fetched_page_keeps_its_pictures(
    site: Any, fetcher: Fetcher, pictures: Pictures, tmp_path: Path
) -> None:
    _, lead, still = _harbor_site(site)
    with Store.open(tmp_path / "db.sqlite3") as store:
        await fetch_article(store, fetcher, site.url("/harbor.html"), pictures=pictures)
    assert pictures.cache.has(lead) and pictures.cache.has(still)

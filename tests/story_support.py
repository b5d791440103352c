"""One event told by several sites, stored in a throwaway home, for the story tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store

# (link, headline, lead): a film's release date from three sites, and other news of the day.
LANTERN = [
    ("https://reelwire.example/lantern", "Northlight sets 'Lantern Keepers' for wide release",
     "Northlight Pictures will open the fantasy Lantern Keepers in 3,200 theaters on May 15."),
    ("https://screenbeat.example/lk", "'Lantern Keepers' gets May 15 wide release from "
     "Northlight", "The Hana Corvell fantasy goes wide: Northlight dated Lantern Keepers for "
     "May 15."),
    ("https://popdesk.example/lk", "Lantern Keepers is coming to theaters this May",
     "Fans of Hana Corvell's fantasy won't wait long: Northlight confirmed a May 15 date."),
]
ORCHARD = ("https://example.org/orchard", "Hollow Orchard film finds its director",
           "Kestrel+ hired Mina Oduya to direct the farming-sim adaptation.")


def store_told(home: Path, told: Sequence[tuple[str, str, str]], first: datetime) -> Paths:
    """Each article in a feed of its own named after its site, an hour apart from `first`."""
    paths = Paths.resolve(home).ensure()
    with Store.open(paths.database) as store:
        for n, (url, title, lead) in enumerate(told):
            feed, _ = store.add_feed(f"{url}/feed", url.split("/")[2])
            article = Article(url=url, title=title, published=first + timedelta(hours=n),
                              blocks=[Block("p", [[Span(lead)]])])
            store.save_article(article, feed_id=feed.id, guid=url)
    return paths

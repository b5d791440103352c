"""A curated set of entertainment news feeds for `feeds --suggest` and `add --suggested`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    title: str
    url: str
    folder: str


SUGGESTIONS: tuple[Suggestion, ...] = (
    Suggestion("variety", "Variety", "https://variety.com/feed/", "Film & TV"),
    Suggestion("deadline", "Deadline", "https://deadline.com/feed/", "Film & TV"),
    Suggestion(
        "thr", "The Hollywood Reporter", "https://www.hollywoodreporter.com/feed/", "Film & TV"
    ),
    Suggestion("indiewire", "IndieWire", "https://www.indiewire.com/feed/", "Film & TV"),
    Suggestion("slashfilm", "/Film", "https://www.slashfilm.com/feed/", "Film & TV"),
    Suggestion("tvline", "TVLine", "https://tvline.com/feed/", "Film & TV"),
    Suggestion("soompi", "Soompi", "https://www.soompi.com/feed", "K-Drama & K-Pop"),
    Suggestion("koreaboo", "Koreaboo", "https://www.koreaboo.com/feed/", "K-Drama & K-Pop"),
    Suggestion("allkpop", "allkpop", "https://www.allkpop.com/rss", "K-Drama & K-Pop"),
    Suggestion("billboard", "Billboard", "https://www.billboard.com/feed/", "Music"),
    Suggestion("pitchfork", "Pitchfork News", "https://pitchfork.com/feed/feed-news/rss", "Music"),
    Suggestion("stereogum", "Stereogum", "https://www.stereogum.com/feed/", "Music"),
    Suggestion("rollingstone", "Rolling Stone", "https://www.rollingstone.com/feed/", "Music"),
    Suggestion("polygon", "Polygon", "https://www.polygon.com/rss/index.xml", "Games"),
    Suggestion("eurogamer", "Eurogamer", "https://www.eurogamer.net/feed", "Games"),
    Suggestion("kotaku", "Kotaku", "https://kotaku.com/rss", "Games"),
    Suggestion(
        "ann", "Anime News Network", "https://www.animenewsnetwork.com/all/rss.xml", "Anime"
    ),
)


def find(name: str) -> Suggestion | None:
    wanted = name.strip().lower()
    return next((s for s in SUGGESTIONS if wanted in (s.name, s.title.lower())), None)

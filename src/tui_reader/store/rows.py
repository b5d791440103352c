"""What the store hands back: light rows for lists, full articles on demand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The light list row: every query that lists articles selects exactly these columns.
ARTICLE_COLUMNS = (
    "a.id, a.feed_id, coalesce(f.title, a.site_name, ''), a.url, a.title, a.author,"
    " a.published, a.sort_time, a.read, a.bookmarked_at IS NOT NULL,"
    " (SELECT group_concat(o.title, char(31)) FROM also_in x JOIN feeds o ON o.id = x.feed_id"
    " WHERE x.article_id = a.id AND x.feed_id IS NOT a.feed_id), a.hidden, a.story,"
    " (SELECT count(*) FROM articles s WHERE s.story = a.story)"
)
ARTICLE_FROM = "articles a LEFT JOIN feeds f ON f.id = a.feed_id"
# The articles a filter hides, from an index that holds only them.
HIDDEN = "SELECT id FROM articles INDEXED BY articles_hidden WHERE hidden = 1"


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    url: str
    title: str
    site_url: str | None
    folder: str | None
    etag: str | None
    last_modified: str | None
    status: int | None
    last_refresh: datetime | None
    last_success: datetime | None
    last_error: str | None
    bozo: bool
    next_due: datetime | None
    # The address it was subscribed at, when it has moved (301/308) since.
    first_url: str | None = None
    # The feed's <ttl> as last parsed: a 304 has no body to read it from.
    ttl_minutes: int | None = None
    # Entries its last document held beyond those kept (see feeds.entries.take_entries).
    entries_cut: int = 0
    unread: int = 0

    def due(self, now: datetime, *, force: bool = False) -> bool:
        """Whether a refresh fetches it: never fetched, or its wait is over.

        A forced refresh skips the wait the feed's cache lifetime and `refresh_minutes` set,
        but never the one a server asked for with Retry-After: that wait is only ever set
        on a failed fetch, so a feed whose last fetch failed keeps it.
        """
        if self.next_due is None or self.next_due <= now:
            return True
        return force and self.last_error is None

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "folder": self.folder,
            "last_refresh": self.last_refresh.isoformat() if self.last_refresh else None,
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "last_error": self.last_error,
            "status": self.status,
            "bozo": self.bozo,
            "entries_cut": self.entries_cut,
            "unread": self.unread,
        }


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: int
    feed_id: int | None
    feed_title: str
    url: str | None
    title: str
    author: str | None
    published: datetime | None
    sort_time: datetime
    read: bool
    bookmarked: bool
    # The titles of the other feeds that carry the same article, in order.
    also_in: tuple[str, ...] = ()
    # Hidden by a filter in config.toml (listed only when asked for).
    hidden: bool = False
    # The story it tells with articles from other sites (the id of the story's first
    # article), and how many articles tell it; None and 1 for an article alone.
    story: int | None = None
    sources: int = 1

    def to_json(self, feed_url: str | None = None) -> dict[str, object]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "feed": feed_url,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "read": self.read,
            "bookmarked": self.bookmarked,
            "also_in": list(self.also_in),
            "hidden": self.hidden,
            "story": self.story,
            "sources": self.sources,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    row: ArticleRow
    snippet: str


@dataclass(frozen=True, slots=True)
class RelatedRead:
    """A related read: the site's own link, or a similar cached article."""

    title: str
    url: str | None
    article_id: int | None
    from_site: bool
    # Another site's article about the same event (store.stories).
    same_story: bool = False

    @property
    def cached(self) -> bool:
        return self.article_id is not None


@dataclass(frozen=True, slots=True)
class RawPage:
    """A stored page as downloaded, for cleaning again offline; None if its blob is damaged."""

    id: int
    url: str | None
    html: bytes | None
    content_type: str | None


def iso(value: datetime | None) -> str | None:
    """How times are stored: UTC, to the second, sorting as text."""
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def article_row(r: Sequence[Any]) -> ArticleRow:
    """An ArticleRow from the first columns of a row selected with ARTICLE_COLUMNS."""
    also = tuple(sorted(set(r[10].split("\x1f")), key=str.casefold)) if r[10] else ()
    return ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], parse_time(r[6]),
                      parse_time(r[7]) or datetime.now(UTC), bool(r[8]), bool(r[9]), also,
                      bool(r[11]), r[12], r[13] or 1)

"""What the store hands back: light rows for lists, full articles on demand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
    unread: int = 0

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

    @property
    def cached(self) -> bool:
        return self.article_id is not None

"""The Store: every read and write the reader makes, in short transactions."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui_reader.models import Article, Block, Link
from tui_reader.store.database import connect, write
from tui_reader.store.errors import StoreError
from tui_reader.store.rows import ArticleRow, FeedRow, RelatedRead, SearchHit
from tui_reader.store.search import related_query, run_search

_ROW = """
SELECT a.id, a.feed_id, coalesce(f.title, a.site_name, ''), a.url, a.title, a.author,
       a.published, a.sort_time, a.read, a.bookmarked_at IS NOT NULL
FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id
"""
_FEED = """
SELECT id, url, title, site_url, folder, etag, last_modified, status, last_refresh,
       last_success, last_error, bozo, next_due,
       (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id AND a.read = 0)
FROM feeds
"""


def now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _article_row(r: Sequence[Any]) -> ArticleRow:
    return ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], _dt(r[6]), _dt(r[7]) or now(),
                      bool(r[8]), bool(r[9]))


def _feed_row(r: Sequence[Any]) -> FeedRow:
    return FeedRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _dt(r[8]), _dt(r[9]), r[10],
                   bool(r[11]), _dt(r[12]), r[13])


class Store:
    """One connection per Store; open one per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Store:
        return cls(connect(path), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            with write(self.conn) as conn:
                return conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"could not save to {self.path}: {exc}") from exc

    # Feeds

    def add_feed(self, url: str, title: str, site_url: str | None = None,
                 folder: str | None = None) -> tuple[FeedRow, bool]:
        """The feed row and whether it was new; an existing subscription is left as it is."""
        existing = self.feed_by_url(url)
        if existing:
            return existing, False
        self._write("INSERT INTO feeds (url, title, site_url, folder, added) VALUES (?, ?, ?, ?, ?)",
                    (url, title, site_url, folder, _iso(now())))
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed, True

    def remove_feed(self, url: str) -> bool:
        """Unsubscribe; bookmarked articles stay, unbookmarked ones go with the feed."""
        try:
            with write(self.conn) as conn:
                row = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
                if row is None:
                    return False
                conn.execute("DELETE FROM articles WHERE feed_id = ? AND bookmarked_at IS NULL",
                             (row[0],))
                conn.execute("DELETE FROM feeds WHERE id = ?", (row[0],))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"could not save to {self.path}: {exc}") from exc
        return True

    def feeds(self) -> list[FeedRow]:
        return [_feed_row(r) for r in self.conn.execute(_FEED + " ORDER BY lower(title), id")]

    def feed_by_url(self, url: str) -> FeedRow | None:
        row = self.conn.execute(_FEED + " WHERE url = ?", (url,)).fetchone()
        return _feed_row(row) if row else None

    def feed(self, feed_id: int) -> FeedRow | None:
        row = self.conn.execute(_FEED + " WHERE id = ?", (feed_id,)).fetchone()
        return _feed_row(row) if row else None

    def record_feed_result(
        self,
        feed_id: int,
        *,
        error: str | None,
        status: int | None,
        title: str | None = None,
        site_url: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        validators: bool = False,
        bozo: bool | None = None,
        next_due: datetime | None = None,
    ) -> None:
        """Store a refresh outcome; validators change only when `validators` is set."""
        stamp = _iso(now())
        sets = ["last_refresh = ?", "last_error = ?", "status = ?", "next_due = ?"]
        params: list[Any] = [stamp, error, status, _iso(next_due)]
        if error is None:
            sets.append("last_success = ?")
            params.append(stamp)
        if title:
            sets.append("title = ?")
            params.append(title)
        if site_url:
            sets.append("site_url = ?")
            params.append(site_url)
        if validators:
            sets += ["etag = ?", "last_modified = ?"]
            params += [etag, last_modified]
        if bozo is not None:
            sets.append("bozo = ?")
            params.append(int(bozo))
        self._write(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?", [*params, feed_id])

    def set_folder(self, feed_id: int, folder: str | None) -> None:
        self._write("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))

    # Articles

    def entry_hashes(self, feed_id: int) -> dict[str, str | None]:
        """guid → hash of the feed entry it was stored from, to skip unchanged entries."""
        rows = self.conn.execute("SELECT guid, entry_hash FROM articles WHERE feed_id = ?", (feed_id,))
        return {guid: digest for guid, digest in rows if guid}

    def save_article(
        self,
        article: Article,
        *,
        feed_id: int | None,
        guid: str | None,
        raw_html: bytes | None = None,
        entry_hash: str | None = None,
    ) -> tuple[int, bool]:
        """Insert, or update in place keeping read and bookmark state; returns (id, new)."""
        guid = guid or article.url
        fetched = now()
        values = {
            "url": article.url,
            "title": article.title,
            "author": article.author,
            "published": _iso(article.published),
            "fetched": _iso(fetched),
            "sort_time": _iso(min(article.published, fetched) if article.published else fetched),
            "image": article.image,
            "tags": json.dumps(article.tags, ensure_ascii=False),
            "site_name": article.site_name,
            "blocks": json.dumps([b.to_dict() for b in article.blocks], ensure_ascii=False),
            "body": article.text,
            "related": json.dumps([r.to_dict() for r in article.related], ensure_ascii=False),
            "source": article.source,
            "truncated": int(article.truncated),
            "raw_html": zlib.compress(raw_html, 6) if raw_html else None,
            "entry_hash": entry_hash,
        }
        try:
            with write(self.conn) as conn:
                if feed_id is None:
                    found = conn.execute("SELECT id FROM articles WHERE feed_id IS NULL AND guid = ?",
                                         (guid,)).fetchone()
                else:
                    found = conn.execute("SELECT id FROM articles WHERE feed_id = ? AND guid = ?",
                                         (feed_id, guid)).fetchone()
                if found:
                    values.pop("fetched")
                    values.pop("sort_time")
                    assignments = ", ".join(f"{k} = :{k}" for k in values)
                    conn.execute(f"UPDATE articles SET {assignments} WHERE id = :id",
                                 {**values, "id": found[0]})
                    return found[0], False
                columns = ", ".join(values)
                marks = ", ".join(f":{k}" for k in values)
                cursor = conn.execute(
                    f"INSERT INTO articles (feed_id, guid, {columns}) VALUES (:feed_id, :guid, {marks})",
                    {**values, "feed_id": feed_id, "guid": guid},
                )
                assert cursor.lastrowid is not None
                return cursor.lastrowid, True
        except sqlite3.OperationalError as exc:
            raise StoreError(f"could not save to {self.path}: {exc}") from exc

    def articles(
        self,
        *,
        feed_id: int | None = None,
        unread: bool = False,
        bookmarked: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> list[ArticleRow]:
        """Newest first, one page at a time."""
        where, params = [], []
        if feed_id is not None:
            where.append("a.feed_id = ?")
            params.append(feed_id)
        if unread:
            where.append("a.read = 0")
        if bookmarked:
            where.append("a.bookmarked_at IS NOT NULL")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = " ORDER BY a.bookmarked_at DESC" if bookmarked else " ORDER BY a.sort_time DESC, a.id DESC"
        sql = _ROW + clause + order + " LIMIT ? OFFSET ?"
        return [_article_row(r) for r in self.conn.execute(sql, [*params, limit, offset])]

    def row(self, article_id: int) -> ArticleRow | None:
        found = self.conn.execute(_ROW + " WHERE a.id = ?", (article_id,)).fetchone()
        return _article_row(found) if found else None

    def article(self, article_id: int) -> Article | None:
        found = self.conn.execute(
            "SELECT url, title, author, published, image, tags, site_name, blocks, related, source,"
            " truncated FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if found is None:
            return None
        return Article(
            url=found[0], title=found[1], author=found[2], published=_dt(found[3]), image=found[4],
            tags=json.loads(found[5]), site_name=found[6],
            blocks=[Block.from_dict(b) for b in json.loads(found[7])],
            related=[Link(r["title"], r["url"]) for r in json.loads(found[8])],
            source=found[9], truncated=bool(found[10]),
        )

    def raw_html(self, article_id: int) -> bytes | None:
        found = self.conn.execute("SELECT raw_html FROM articles WHERE id = ?", (article_id,)).fetchone()
        return zlib.decompress(found[0]) if found and found[0] else None

    def id_for_url(self, url: str) -> int | None:
        found = self.conn.execute(
            "SELECT id FROM articles WHERE url = ?1 UNION ALL"
            " SELECT id FROM articles WHERE feed_id IS NULL AND guid = ?1 LIMIT 1",
            (url,),
        ).fetchone()
        return found[0] if found else None

    def feed_url_of(self, feed_id: int | None) -> str | None:
        if feed_id is None:
            return None
        found = self.conn.execute("SELECT url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return found[0] if found else None

    def set_read(self, ids: Iterable[int], read: bool = True) -> None:
        ids = list(ids)
        if ids:
            marks = ",".join("?" * len(ids))
            self._write(f"UPDATE articles SET read = ? WHERE id IN ({marks})", [int(read), *ids])

    def mark_feed_read(self, feed_id: int | None) -> list[int]:
        """Mark a feed (or everything) read; returns the ids changed, for undo."""
        clause = "" if feed_id is None else " AND feed_id = ?"
        params = () if feed_id is None else (feed_id,)
        with write(self.conn) as conn:
            ids = [r[0] for r in conn.execute(f"SELECT id FROM articles WHERE read = 0{clause}", params)]
            conn.execute(f"UPDATE articles SET read = 1 WHERE read = 0{clause}", params)
        return ids

    def set_bookmarked(self, article_id: int, on: bool) -> None:
        stamp = _iso(now()) if on else None
        self._write("UPDATE articles SET bookmarked_at = ? WHERE id = ?", (stamp, article_id))

    def counts(self) -> dict[str, int]:
        total, unread, marked = self.conn.execute(
            "SELECT count(*), coalesce(sum(read = 0), 0), count(bookmarked_at) FROM articles"
        ).fetchone()
        return {"all": total, "unread": unread, "bookmarks": marked}

    # Search and related reads

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return [SearchHit(_article_row(r[:-1]), r[-1]) for r in run_search(self.conn, _ROW, query, limit)]

    def related(self, article_id: int, limit: int = 8) -> list[RelatedRead]:
        """The site's own related links first, then the most similar cached articles."""
        article = self.article(article_id)
        if article is None:
            return []
        reads: list[RelatedRead] = []
        seen_urls = {article.url}
        for link in article.related:
            if link.url in seen_urls:
                continue
            seen_urls.add(link.url)
            reads.append(RelatedRead(link.title, link.url, self.id_for_url(link.url), True))
        wanted = max(limit - len(reads), 0) if len(reads) < limit else 0
        seen_titles = {article.title.casefold()}
        seen_ids = {article_id} | {r.article_id for r in reads if r.article_id}
        for row_id, title, url in related_query(self.conn, article_id, article.title, article.text,
                                                wanted + 10):
            if len(reads) >= max(limit, 5) or wanted <= 0:
                break
            if row_id in seen_ids or title.casefold() in seen_titles or url in seen_urls:
                continue
            seen_ids.add(row_id)
            seen_titles.add(title.casefold())
            reads.append(RelatedRead(title, url, row_id, False))
            wanted -= 1
        return reads

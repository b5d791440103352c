"""The Store: every read and write the reader makes, in short transactions."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from tui_reader.collector import spaced
from tui_reader.models import Article, Block, Enclosure, Link
from tui_reader.store.database import BUSY_TIMEOUT, connect, write
from tui_reader.store.errors import StoreError, describe
from tui_reader.store.filters import Filter, apply_filters, up_to_date
from tui_reader.store.folders import carried_by, folder_feeds, folder_unread
from tui_reader.store.incoming import (
    Incoming,
    Prepared,
    blocks_json,
    prepare,
    related_json,
    save_prepared,
)
from tui_reader.store.outbox import queue_feed, queue_marks
from tui_reader.store.rows import (
    ARTICLE_COLUMNS,
    ARTICLE_FROM,
    HIDDEN,
    ArticleRow,
    FeedRow,
    RawPage,
    RelatedRead,
    SearchHit,
    article_row,
    iso,
    parse_time,
)
from tui_reader.store.saved import SavedQuery, matching
from tui_reader.store.schema import Announce
from tui_reader.store.search import (
    index_is_sound,
    rebuild_index,
    run_search,
    similar_articles,
)

if TYPE_CHECKING:  # grouping loads when there is something to group: see `group_stories`
    from tui_reader.store.stories import Signature

_ROW = f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLE_FROM}"  # noqa: S608
_FEED = """
SELECT id, url, title, site_url, folder, etag, last_modified, status, last_refresh,
       last_success, last_error, bozo, next_due, first_url, ttl_minutes, entries_cut,
       (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id AND a.read = 0)
       - (SELECT count(*) FROM articles a INDEXED BY articles_hidden
          WHERE a.hidden = 1 AND a.feed_id = feeds.id AND a.read = 0)
       + (SELECT count(*) FROM also_in x CROSS JOIN articles a ON a.id = x.article_id
          WHERE x.feed_id = feeds.id AND a.read = 0 AND a.hidden = 0
          AND a.feed_id IS NOT feeds.id)
FROM feeds
"""
# A feed by its current address, or by the one it was subscribed at before it moved.
_AT_URL = " WHERE ?1 IN (url, first_url) ORDER BY url = ?1 DESC LIMIT 1"


def now() -> datetime:
    return datetime.now(UTC)


_dt = parse_time
T = TypeVar("T")
RELATED_MIN, RELATED_MAX = 5, 10
DEFAULT_RETENTION_DAYS = 90
# Pruning deletes in batches so a refresh or the reader never waits long for the write lock.
_PRUNE_BATCH = 500
# A tombstone outlives its article this long, in case the feed still lists the entry.
_TOMBSTONE_DAYS = 365


def _feed_row(r: Sequence[Any]) -> FeedRow:
    return FeedRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _dt(r[8]), _dt(r[9]), r[10],
                   bool(r[11]), _dt(r[12]), r[13], r[14], r[15], r[16])


# How a list is sorted; ties fall to the newest first, so every order is total.
SortOrder = Literal["newest", "oldest", "feed", "unread"]
_NEWEST = "a.sort_time DESC, a.id DESC"
_ORDERS: dict[str, str] = {
    "newest": f" ORDER BY {_NEWEST}",
    "oldest": " ORDER BY a.sort_time, a.id",
    "feed": " ORDER BY (SELECT lower(title) FROM feeds WHERE id = a.feed_id), a.feed_id,"  # noqa: S608
            f" {_NEWEST}",
    "unread": f" ORDER BY a.read, {_NEWEST}",
}


def _ordering(order: SortOrder, *, bookmarked: bool) -> str:
    """Bookmarks list the most recently bookmarked first, whatever the order."""
    return " ORDER BY a.bookmarked_at DESC, a.id DESC" if bookmarked else _ORDERS[order]


class Store:
    """One connection per Store; open one per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, reading: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.reading = reading
        # The filters from config.toml, once given: None leaves articles as they come.
        self.filters: tuple[Filter, ...] | None = None
        # Whether reading (or unreading) one article of a story does so for all of it
        # (config.toml's story_read = "story", the default) or for that article alone.
        self.story_read = True
        # Articles stored and not yet grouped into stories, and the signatures of those
        # this store prepared itself; under the lock, as a refresh saves on one thread and
        # hands its articles over (or takes a worker's) on another.
        self._arrived: list[int] = []
        self._signatures: dict[int, Signature] = {}
        self._arriving = threading.Lock()

    @classmethod
    def open(cls, path: Path, timeout: float = BUSY_TIMEOUT, *, reading: bool = False,
             announce: Announce | None = None) -> Store:
        """Open or create the database; `timeout` is how long a write waits for another writer,
        `reading` lets a command that only reads still run on a full disk, and `announce` is
        told before an existing database is upgraded."""
        return cls(connect(path, timeout, reading=reading, announce=announce), path,
                   reading=reading)

    def close(self) -> None:
        """Group what arrived into stories, then close; a store that cannot write any more
        (a full disk) closes with those articles left ungrouped."""
        with contextlib.suppress(StoreError):
            self.group_stories()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with write(self.conn) as conn:
            return conn.execute(sql, params)

    # Feeds

    def add_feed(self, url: str, title: str, site_url: str | None = None,
                 folder: str | None = None) -> tuple[FeedRow, bool]:
        """The feed row and whether it was new; an existing subscription is left as it is."""
        existing = self.feed_by_url(url)
        if existing:
            return existing, False
        with write(self.conn) as conn:
            conn.execute("INSERT OR IGNORE INTO feeds (url, title, site_url, folder, added)"
                         " VALUES (?, ?, ?, ?, ?)", (url, title, site_url, folder, iso(now())))
            queue_feed(conn, url, True, folder)
        feed = self.feed_by_url(url)
        assert feed is not None
        return feed, True

    def remove_feed(self, url: str) -> bool:
        """Unsubscribe (by the current or the subscribed address); bookmarked articles stay,
        unbookmarked ones go with the feed, and those other feeds carry too pass to one of
        them."""
        with write(self.conn) as conn:
            row = conn.execute("SELECT id, url FROM feeds" + _AT_URL, (url,)).fetchone()  # noqa: S608
            if row is None:
                return False
            queue_feed(conn, row[1], False)
            for article_id, other, guid in conn.execute(
                    "SELECT a.id, x.feed_id, x.guid FROM articles a JOIN also_in x"
                    " ON x.article_id = a.id AND x.feed_id != a.feed_id WHERE a.feed_id = ?"
                    " GROUP BY a.id", (row[0],)).fetchall():
                conn.execute("DELETE FROM also_in WHERE feed_id = ? AND guid = ?", (other, guid))
                # Ignored when that feed has its own row for the guid: that row stays.
                conn.execute("UPDATE OR IGNORE articles SET feed_id = ?, guid = ? WHERE id = ?",
                             (other, guid, article_id))
            conn.execute("DELETE FROM articles WHERE feed_id = ? AND bookmarked_at IS NULL",
                         (row[0],))
            conn.execute("DELETE FROM feeds WHERE id = ?", (row[0],))
        return True

    def feeds(self) -> list[FeedRow]:
        return [_feed_row(r) for r in self.conn.execute(_FEED + " ORDER BY lower(title), id")]

    def folders(self, feeds: Sequence[FeedRow] | None = None) -> dict[str, int]:
        """Each folder a feed is filed under, with its unread count (store.folders); from
        `feeds` when they were just read."""
        return folder_unread(self.conn, self.feeds() if feeds is None else feeds)

    def feed_by_url(self, url: str) -> FeedRow | None:
        """The feed at `url`, or the one subscribed at `url` that has moved since."""
        row = self.conn.execute(_FEED + _AT_URL, (url,)).fetchone()
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
        ttl_minutes: int | None = None,
        entries_cut: int = 0,
    ) -> None:
        """Store a refresh outcome; validators, the feed's <ttl> and the count of entries
        cut change only when `validators` is set (a parsed feed)."""
        stamp = iso(now())
        sets = ["last_refresh = ?", "last_error = ?", "status = ?", "next_due = ?"]
        params: list[Any] = [stamp, error, status, iso(next_due)]
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
            sets += ["etag = ?", "last_modified = ?", "ttl_minutes = ?", "entries_cut = ?"]
            params += [etag, last_modified, ttl_minutes, entries_cut]
        if bozo is not None:
            sets.append("bozo = ?")
            params.append(int(bozo))
        self._write(f"UPDATE feeds SET {', '.join(sets)} WHERE id = ?",  # noqa: S608
                    [*params, feed_id])

    def move_feed(self, feed_id: int, url: str) -> bool:
        """Follow a permanent redirect; refused when another subscription has that URL.
        The first address is kept: config.toml may name the feed by it."""
        cursor = self._write(
            "UPDATE feeds SET first_url = coalesce(first_url, url), url = ?1 WHERE id = ?2"
            " AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?1)",
            (url, feed_id),
        )
        return cursor.rowcount == 1

    def rekey(self, feed_id: int, keys: dict[str, str]) -> None:
        """Give a feed's stored entries (and tombstones) new keys, former → new, where no
        entry has the new one yet."""
        pairs = [(new, feed_id, former) for former, new in keys.items()]
        with write(self.conn) as conn:
            conn.executemany("UPDATE OR IGNORE articles SET guid = ?1"
                             " WHERE feed_id = ?2 AND guid = ?3", pairs)
            conn.executemany("UPDATE OR IGNORE pruned SET guid = ?1"
                             " WHERE feed_id = ?2 AND guid = ?3", pairs)

    def set_folder(self, feed_id: int, folder: str | None) -> None:
        self._write("UPDATE feeds SET folder = ? WHERE id = ?", (folder, feed_id))

    # Articles

    def entry_hashes(self, feed_id: int) -> dict[str, str | None]:
        """guid → hash of the feed entry it was stored from, to skip unchanged entries.

        Pruned entries are included, so a feed that still lists them does not bring them back.
        """
        rows = self.conn.execute(
            "SELECT guid, entry_hash FROM pruned WHERE feed_id = ?1"
            " UNION ALL SELECT guid, entry_hash FROM also_in WHERE feed_id = ?1"
            " UNION ALL SELECT guid, entry_hash FROM articles WHERE feed_id = ?1",
            (feed_id,),
        )
        return {guid: digest for guid, digest in rows if guid}

    def save_article(
        self,
        article: Article,
        *,
        feed_id: int | None,
        guid: str | None,
        raw_html: bytes | None = None,
        entry_hash: str | None = None,
        content_type: str | None = None,
    ) -> tuple[int, bool]:
        """Insert, or update in place keeping read and bookmark state; returns (id, new)."""
        return self.save_articles([prepare(Incoming(article, feed_id, guid, raw_html,
                                                    entry_hash, content_type))])[0]

    def save_articles(self, batch: Sequence[Prepared]) -> list[tuple[int, bool]]:
        """Save several prepared articles in one transaction: (id, new) for each, in order.

        A refresh saves what is ready in batches: a commit per article cost more than the
        article itself. An entry that was pruned and has changed since comes back already
        read: the person has seen it.
        """
        with write(self.conn) as conn:
            saved = [save_prepared(conn, prepared) for prepared in batch]
            if self.filters is not None:
                apply_filters(conn, self.filters)
        with self._arriving:
            for (article_id, new), prepared in zip(saved, batch, strict=True):
                if new:
                    self._arrived.append(article_id)
                    self._signatures[article_id] = prepared.story
                else:  # updated (or a copy of it arrived): its row says what it is now
                    self._signatures.pop(article_id, None)
        return saved

    def hand_over(self) -> list[tuple[int, Signature | None]]:
        """The articles stored and not yet grouped, left for another store to group: a refresh
        worker's go to the refresh's own store, which groups all the refresh brought at once
        (each grouping reads every article around the new ones, so two would cost twice).
        Each goes with its signature when this store prepared it, so the other need not read
        it back: decoding a worker's thousands of kept signatures was a third of the serial
        end of a large refresh."""
        with self._arriving:
            arrived, self._arrived = self._arrived, []
            signatures, self._signatures = self._signatures, {}
        return [(article_id, signatures.get(article_id)) for article_id in arrived]

    def take_over(self, arrived: Sequence[tuple[int, Signature | None]]) -> None:
        """Group these articles, stored through another connection, with this store's own;
        those without a signature are read back."""
        with self._arriving:
            for article_id, signature in arrived:
                self._arrived.append(article_id)
                if signature is None:
                    self._signatures.pop(article_id, None)
                else:
                    self._signatures[article_id] = signature

    def group_stories(self) -> None:
        """Group the articles stored since last time into stories with those around them.

        Done once for all a refresh brings (when its store closes), or before this store
        next lists or marks articles: one refresh's articles are read and compared once,
        not again for each batch. The work is read outside the write lock.
        """
        if not self._arrived:
            return
        # Imported here: grouping's word lists and patterns cost the reader's start-up a
        # fifth of its import time, and the first headlines need none of them.
        from tui_reader.store.stories import regrouped, save_changes

        with self._arriving:
            arrived, self._arrived = self._arrived, []
            known, self._signatures = self._signatures, {}
        with spaced():
            regrouping = regrouped(self.conn, arrived, known)
        if regrouping.changes or regrouping.signatures:
            with write(self.conn) as conn:
                save_changes(conn, regrouping)

    def use_filters(self, filters: tuple[Filter, ...]) -> None:
        """Filter articles with these rules from now on, and apply them to every article
        stored since they were last applied (or to all, if the rules have changed)."""
        self.filters = filters
        if not up_to_date(self.conn, filters):
            try:
                with write(self.conn) as conn:
                    apply_filters(conn, filters)
            except StoreError:
                # A reading command on a full disk lists with the rules it was given,
                # unrecorded; anything else cannot go on without them.
                if not self.reading:
                    raise

    def _view(
        self, *, feed_id: int | None, folder: str | None, unread: bool, bookmarked: bool,
        hidden: bool, query: str | None, only: Sequence[int] | None = None,
    ) -> tuple[str, list[str], list[Any]]:
        """What a list shows, as (source of `a`, conditions, parameters): `articles` pages
        through it and `mark_all_read` marks it, so `A` marks exactly what the list holds.
        `only` narrows it to these ids (what a filter typed over the list kept). Outside a
        feed, a folder, a saved search and the bookmarks, a story is listed once, by its
        first article (but see Unread below)."""
        self.group_stories()
        where: list[str] = []
        params: list[Any] = []
        source = "articles a"
        if feed_id is not None:
            # Two index walks joined, not an OR, which would read every row of the table.
            # (CROSS JOIN keeps also_in first: SQLite would otherwise walk a whole index.)
            columns = "c.id, c.feed_id, c.sort_time, c.read, c.bookmarked_at, c.hidden"
            source = (f"(SELECT {columns} FROM articles c WHERE c.feed_id = ?1 UNION ALL"  # noqa: S608
                      f" SELECT {columns} FROM also_in x CROSS JOIN articles c"
                      " ON c.id = x.article_id WHERE x.feed_id = ?1 AND c.feed_id IS NOT ?1) AS a")
            params.append(feed_id)
        elif folder is not None:
            where.append(carried_by("SELECT value FROM json_each(?1)"))
            params.append(json.dumps(folder_feeds(self.conn, [folder])))
        if not hidden:
            where.append(f"a.id NOT IN ({HIDDEN})")
        # Unread, with each article of a story read on its own (story_read = "article"),
        # lists every unread one: the story's first may be read while the rest are not.
        if (feed_id is None and folder is None and query is None and not bookmarked
                and not (unread and not self.story_read)):
            where.append("(a.story IS NULL OR a.story = a.id)")
        if query is not None:
            clauses, values = matching(self.conn, SavedQuery.parse(query))
            where += clauses
            params += values
        if unread:
            where.append("a.read = 0")
        if bookmarked:
            where.append("a.bookmarked_at IS NOT NULL")
        if only is not None:
            where.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(only)))
        return source, where, params

    def articles(
        self,
        *,
        feed_id: int | None = None,
        folder: str | None = None,
        unread: bool = False,
        bookmarked: bool = False,
        limit: int = 200,
        offset: int = 0,
        before: ArticleRow | None = None,
        hidden: bool = False,
        query: str | None = None,
        only: Sequence[int] | None = None,
        order: SortOrder = "newest",
    ) -> list[ArticleRow]:
        """In `order` (bookmarks: most recently bookmarked first), one page at a time;
        a feed's, or a folder's (store.folders); articles a filter hides only with `hidden`;
        those a saved search finds with `query`; of `only` these ids, when given.

        Newest first, pass the last row of a page as `before` to get the next page straight
        from the index (keyset paging); `offset` works in every order but costs more the
        deeper it goes.
        """
        source, where, params = self._view(feed_id=feed_id, folder=folder, unread=unread,
                                           bookmarked=bookmarked, hidden=hidden, query=query,
                                           only=only)
        ordering = _ordering(order, bookmarked=bookmarked)
        if before is not None and not bookmarked:
            if order != "newest":
                raise ValueError("keyset paging (before=) lists newest first only")
            where.append("(a.sort_time, a.id) < (?, ?)")
            params += [iso(before.sort_time), before.id]
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        # The page's ids come from an index alone, so skipping `offset` rows reads no rows.
        page = f"SELECT a.id FROM {source}{clause}{ordering} LIMIT ? OFFSET ?"  # noqa: S608
        sql = f"{_ROW} WHERE a.id IN ({page}){ordering}"
        return [article_row(r) for r in self.conn.execute(sql, [*params, limit, offset])]

    def listed_text(
        self, *, feed_id: int | None = None, folder: str | None = None, unread: bool = False,
        bookmarked: bool = False, hidden: bool = False, query: str | None = None,
        order: SortOrder = "newest",
    ) -> list[tuple[int, str]]:
        """Every article a list holds (the arguments as `articles` takes them), in its order,
        as (id, its title, author and feed in one line): what filtering as one types looks
        through, read once rather than queried again at each key."""
        source, where, params = self._view(feed_id=feed_id, folder=folder, unread=unread,
                                           bookmarked=bookmarked, hidden=hidden, query=query)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        sql = (f"SELECT a.id, a.title || ' · ' || coalesce(a.author, '') || ' · '"  # noqa: S608
               f" || coalesce(f.title, a.site_name, '') FROM {ARTICLE_FROM}"
               f" WHERE a.id IN (SELECT a.id FROM {source}{clause})"
               f"{_ordering(order, bookmarked=bookmarked)}")
        return list(self.conn.execute(sql, params))

    def mark_all_read(
        self, *, feed_id: int | None = None, folder: str | None = None,
        bookmarked: bool = False, hidden: bool = False, query: str | None = None,
        only: Sequence[int] | None = None,
    ) -> list[int]:
        """Mark read every article the list of these arguments holds, on every page (as
        `articles` takes them; with none, everything), and with `story_read` the rest of their
        stories. Returns the ids it changed, for `undo_mark_read`."""
        source, where, params = self._view(feed_id=feed_id, folder=folder, unread=True,
                                           bookmarked=bookmarked, hidden=hidden, query=query,
                                           only=only)
        with write(self.conn) as conn:
            listed = [r[0] for r in conn.execute(
                f"SELECT a.id FROM {source} WHERE {' AND '.join(where)}", params)]  # noqa: S608
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM articles WHERE read = 0 AND id IN (SELECT value FROM json_each(?))",
                (json.dumps(self._with_stories(listed)),))]
            _set_read(conn, ids, True)
        return ids

    def saved_unread(self, query: str) -> int:
        """How many articles a saved search finds unread (filters' hidden ones left out)."""
        clauses, values = matching(self.conn, SavedQuery.parse(query))
        where = " AND ".join(["a.read = 0", f"a.id NOT IN ({HIDDEN})", *clauses])
        return int(self.conn.execute(
            f"SELECT count(*) FROM articles a WHERE {where}", values).fetchone()[0])  # noqa: S608

    def row(self, article_id: int) -> ArticleRow | None:
        self.group_stories()
        found = self.conn.execute(_ROW + " WHERE a.id = ?", (article_id,)).fetchone()
        return article_row(found) if found else None

    def article(self, article_id: int) -> Article | None:
        found = self.conn.execute(
            "SELECT url, title, author, published, image, tags, site_name, blocks, related, source,"
            " truncated, enclosures FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if found is None:
            return None
        try:
            return Article(
                url=found[0], title=found[1], author=found[2], published=_dt(found[3]),
                image=found[4], tags=json.loads(found[5]), site_name=found[6],
                blocks=[Block.from_dict(b) for b in json.loads(found[7])],
                related=[Link(r["title"], r["url"]) for r in json.loads(found[8])],
                source=found[9], truncated=bool(found[10]),
                enclosures=[Enclosure(**e) for e in json.loads(found[11] or "[]")],
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # Only a damaged file or a hand edit makes our own JSON unreadable.
            raise StoreError(f"the database {self.path}: article {article_id} is damaged"
                             f" ({type(exc).__name__}); move the file aside to start afresh"
                             " or pass another --home") from exc

    def raw_html(self, article_id: int) -> bytes | None:
        found = self.conn.execute("SELECT raw_html FROM articles WHERE id = ?",
                                  (article_id,)).fetchone()
        return zlib.decompress(found[0]) if found and found[0] else None

    def id_for_url(self, url: str) -> int | None:
        found = self.conn.execute(
            "SELECT id FROM articles WHERE url = ?1 UNION ALL"
            " SELECT id FROM articles WHERE feed_id IS NULL AND guid = ?1 LIMIT 1",
            (url,),
        ).fetchone()
        return found[0] if found else None

    def feed_urls(self) -> dict[int, str]:
        """Every feed's address by id, without the unread counts `feeds` works out."""
        return dict(self.conn.execute("SELECT id, url FROM feeds").fetchall())

    def story(self, story_id: int) -> list[ArticleRow]:
        """The articles that tell one story, the first first."""
        self.group_stories()
        return [article_row(r) for r in self.conn.execute(
            _ROW + " WHERE a.story = ? ORDER BY a.sort_time, a.id", (story_id,))]

    def set_read(self, ids: Iterable[int], read: bool = True) -> None:
        """Queued for the sync server in the same transaction (see store.outbox); with
        `story_read`, the other articles of their stories too."""
        self.group_stories()
        ids = self._with_stories(list(ids))
        if ids:
            with write(self.conn) as conn:
                _set_read(conn, ids, read)

    def _with_stories(self, ids: list[int]) -> list[int]:
        """The ids and, with `story_read`, the other articles of their stories; each once."""
        if not ids or not self.story_read:
            return ids
        return [*dict.fromkeys([*ids, *(r[0] for r in self.conn.execute(
            "SELECT s.id FROM articles a JOIN articles s ON s.story = a.story"
            " WHERE a.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)))])]

    def undo_mark_read(self, ids: Sequence[int]) -> None:
        """Unread again exactly the articles a `mark_all_read` changed (its return value), and
        queued so for the sync server: an undo gives back those and touches no other."""
        with write(self.conn) as conn:
            _set_read(conn, ids, False)

    def set_bookmarked(self, article_id: int, on: bool) -> None:
        """Bookmarks are the one thing the person cannot fetch again, so this commit is synced
        to disk (synchronous=FULL) before returning, surviving a power cut as well as a kill."""
        stamp = iso(now()) if on else None
        self.conn.execute("PRAGMA synchronous = FULL")
        try:
            with write(self.conn) as conn:
                conn.execute("UPDATE articles SET bookmarked_at = ? WHERE id = ?",
                             (stamp, article_id))
                queue_marks(conn, [article_id], "starred", on)
        finally:
            self.conn.execute("PRAGMA synchronous = NORMAL")

    def bookmarks(self) -> Iterator[tuple[ArticleRow, Article, datetime]]:
        """Every bookmarked article in full, most recently bookmarked first, for export."""
        ids = self.conn.execute(
            "SELECT id, bookmarked_at FROM articles WHERE bookmarked_at IS NOT NULL"
            " ORDER BY bookmarked_at DESC, id DESC"
        ).fetchall()
        for article_id, stamp in ids:
            row, article = self.row(article_id), self.article(article_id)
            if row is not None and article is not None:
                yield row, article, _dt(stamp) or now()

    def counts(self) -> dict[str, int]:
        total, unread, marked = self.conn.execute(
            f"SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM ({HIDDEN})),"  # noqa: S608
            " (SELECT count(*) FROM articles WHERE read = 0) - (SELECT count(*) FROM articles"
            " INDEXED BY articles_hidden WHERE hidden = 1 AND read = 0),"
            " (SELECT count(*) FROM articles WHERE bookmarked_at IS NOT NULL)"
        ).fetchone()
        return {"all": total, "unread": unread, "bookmarks": marked}

    # Re-cleaning stored pages

    def raw_page_count(self) -> int:
        return int(self.conn.execute(
            "SELECT count(*) FROM articles WHERE raw_html IS NOT NULL").fetchone()[0])

    def raw_pages(self, after_id: int = 0, limit: int = 50) -> list[RawPage]:
        """The next stored pages by id, decompressed; a damaged blob comes back as None."""
        rows = self.conn.execute(
            "SELECT id, url, raw_html, content_type FROM articles"
            " WHERE raw_html IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        ).fetchall()
        return [RawPage(r[0], r[1], _inflate(r[2]), r[3] or None) for r in rows]

    def replace_cleaned(self, cleaned: Sequence[tuple[int, Article]]) -> int:
        """Store re-cleaned page text over the old, in one short transaction; returns how many
        changed. Title, dates and the rest of the feed's metadata stay; gaps are filled."""
        changed = 0
        with write(self.conn) as conn:
            for article_id, article in cleaned:
                changed += conn.execute(
                    "UPDATE articles SET blocks = :blocks, body = :body, related = :related,"
                    " truncated = :truncated, source = 'page', signature = NULL,"
                    " author = coalesce(author, :author), image = coalesce(image, :image),"
                    " site_name = coalesce(site_name, :site_name),"
                    " published = coalesce(published, :published)"
                    " WHERE id = :id AND (blocks != :blocks OR related != :related"
                    " OR truncated != :truncated OR source != 'page')",
                    {"id": article_id, "blocks": blocks_json(article), "body": article.text,
                     "related": related_json(article), "truncated": int(article.truncated),
                     "author": article.author, "image": article.image,
                     "site_name": article.site_name, "published": iso(article.published)},
                ).rowcount
        return changed

    # Retention and upkeep

    def prune(self, max_age_days: int = DEFAULT_RETENTION_DAYS) -> int:
        """Delete read, unbookmarked articles fetched more than `max_age_days` ago.

        Bookmarks are never touched. Each batch leaves a tombstone (feed, guid, entry hash)
        so the next refresh skips entries the feed still lists. Returns how many went.
        """
        if max_age_days < 0:
            raise ValueError("max_age_days must not be negative")
        cutoff = iso(now() - timedelta(days=max_age_days))
        stale = iso(now() - timedelta(days=_TOMBSTONE_DAYS))
        removed = 0
        while True:
            with write(self.conn) as conn:
                ids = [r[0] for r in conn.execute(
                    "SELECT id FROM articles WHERE read = 1 AND bookmarked_at IS NULL"
                    " AND fetched < ? LIMIT ?", (cutoff, _PRUNE_BATCH))]
                if not ids:
                    conn.execute("DELETE FROM pruned WHERE pruned_at < ?", (stale,))
                    return removed
                marks = _marks(ids)
                conn.execute(
                    "INSERT OR REPLACE INTO pruned (feed_id, guid, entry_hash, pruned_at)"  # noqa: S608
                    f" SELECT feed_id, guid, entry_hash, ? FROM articles WHERE id IN ({marks})"
                    " AND feed_id IS NOT NULL AND guid IS NOT NULL", [iso(now()), *ids])
                conn.execute(  # the copies other feeds carry, so they do not come back either
                    "INSERT OR REPLACE INTO pruned (feed_id, guid, entry_hash, pruned_at)"  # noqa: S608
                    f" SELECT feed_id, guid, entry_hash, ? FROM also_in"
                    f" WHERE article_id IN ({marks})", [iso(now()), *ids])
                conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)  # noqa: S608
                removed += len(ids)

    def check_search_index(self) -> bool:
        """Check the full-text index against the articles; rebuild it if damaged.

        Returns True when it had to be rebuilt.
        """
        try:
            if index_is_sound(self.conn):
                return False
            with write(self.conn) as conn:
                rebuild_index(conn)
        except sqlite3.DatabaseError as exc:
            raise describe(exc, self.path) from exc
        return True

    def vacuum(self) -> tuple[int, int]:
        """Repair the search index if needed, compact the index and the file; (before, after) bytes.

        Only on request: VACUUM rewrites the whole file and waits for every other writer.
        """
        before = self.size()
        self.check_search_index()
        try:
            with write(self.conn) as conn:
                conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
                conn.execute("INSERT INTO articles_cjk (articles_cjk) VALUES ('optimize')")
            self.conn.execute("VACUUM")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError as exc:
            raise describe(exc, self.path) from exc
        return before, self.size()

    def size(self) -> int:
        """Bytes on disk: the database file and its write-ahead log."""
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(p.stat().st_size for p in files if p.exists())

    # Search and related reads

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Ranked hits with a snippet whose matches sit between HIT_START and HIT_END.

        Raises InvalidSearch for a query nothing can make sense of. A damaged index is
        rebuilt once and the search tried again.
        """
        try:
            rows = self._repairing(lambda: run_search(self.conn, query, limit))
        except sqlite3.DatabaseError as exc:
            raise describe(exc, self.path) from exc
        return [SearchHit(article_row(r), r[-1]) for r in rows]

    def related(self, article_id: int, limit: int = 8) -> list[RelatedRead]:
        """Other sites' articles on the same story first, then the site's own related links
        (cached or not), then similar cached articles.

        Between RELATED_MIN and RELATED_MAX reads when the cache allows (and every article of
        the story), never the article itself nor a copy of it (same URL, title or text), each
        at most once.
        """
        self.group_stories()
        article = self.article(article_id)
        if article is None:
            return []
        total = min(max(limit, RELATED_MIN), RELATED_MAX)
        body = article.text
        seen_urls = {article.url} - {None}
        seen_titles = {article.title.casefold()}
        seen_ids = {article_id}
        reads: list[RelatedRead] = []
        for other_id, title, url in self.conn.execute(
                "SELECT s.id, s.title, s.url FROM articles a JOIN articles s ON s.story = a.story"
                " WHERE a.id = ? AND s.id != a.id ORDER BY s.sort_time, s.id", (article_id,)):
            seen_ids.add(other_id)
            if url:  # an article without a link hides no other without one
                seen_urls.add(url)
            reads.append(RelatedRead(title, url, other_id, False, same_story=True))
        total += len(reads)
        for link in article.related:
            cached = self._cached_id(link.url)
            if link.url in seen_urls or cached in seen_ids or len(reads) >= total:
                continue
            seen_urls.add(link.url)
            if cached is not None:
                seen_ids.add(cached)
            reads.append(RelatedRead(link.title, link.url, cached, True))
        if len(reads) >= total:
            return reads
        try:
            similar = self._repairing(lambda: similar_articles(
                self.conn, article_id, article.title, body, total + 10))
        except sqlite3.DatabaseError as exc:
            raise describe(exc, self.path) from exc
        bodies = {body} - {""}
        for row_id, title, url, text in similar:
            if len(reads) >= total:
                break
            if (row_id in seen_ids or title.casefold() in seen_titles or url in seen_urls
                    or text in bodies):
                continue
            seen_ids.add(row_id)
            seen_titles.add(title.casefold())
            if url:
                seen_urls.add(url)
            if text:
                bodies.add(text)
            reads.append(RelatedRead(title, url, row_id, False))
        return reads

    def _cached_id(self, url: str) -> int | None:
        """The cached article for a link, allowing for a #fragment or a trailing slash."""
        bare = url.split("#", 1)[0]
        for candidate in dict.fromkeys((url, bare, bare.rstrip("/"), bare.rstrip("/") + "/")):
            found = self.id_for_url(candidate)
            if found is not None:
                return found
        return None

    def _repairing(self, query: Callable[[], T]) -> T:
        """Run an FTS query; on a damaged index, rebuild it and run the query once more."""
        try:
            return query()
        except sqlite3.DatabaseError as exc:
            damaged = exc.sqlite_errorname.startswith("SQLITE_CORRUPT")
            if not damaged or not self.check_search_index():
                raise
        return query()


def _set_read(conn: sqlite3.Connection, ids: Sequence[int], read: bool) -> None:
    """Inside a write transaction; the ids go as one JSON list, so there may be more of them
    than SQLite takes parameters (a folder of 50,000 articles marked read). An article gone
    since (pruned, unsubscribed: an undo comes later) is passed over."""
    listed = "(SELECT value FROM json_each(?))"
    blob = json.dumps(list(ids))
    stored = [r[0] for r in conn.execute(f"SELECT id FROM articles WHERE id IN {listed}",  # noqa: S608
                                         (blob,))]
    conn.execute(f"UPDATE articles SET read = ? WHERE id IN {listed}", (int(read), blob))  # noqa: S608
    queue_marks(conn, stored, "read", read)


def _marks(values: Sequence[object]) -> str:
    """One ? per value, for an IN (...) list."""
    return ",".join("?" * len(values))


def _inflate(blob: bytes) -> bytes | None:
    try:
        return zlib.decompress(blob)
    except zlib.error:
        return None

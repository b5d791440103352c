"""The sync outbox and the server-id maps: what a sync reads and writes in the store.

Local changes are queued by `queue_marks` and `queue_feed` inside the transaction that makes
them (see Store), so a crash can never keep the change and lose the fact that it is unsent.
What a sync brings in from the server goes through `SyncStore`, which never queues: the
server already has it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from tui_reader.store.database import write
from tui_reader.store.incoming import Prepared, save_prepared
from tui_reader.store.rows import iso

Field = Literal["read", "starred"]


def queue_marks(conn: sqlite3.Connection, ids: Sequence[int], field: Field, value: bool) -> None:
    """Inside a write transaction: the latest local value of `field` for each article."""
    conn.executemany(
        "INSERT OR REPLACE INTO sync_outbox (article_id, field, value) VALUES (?, ?, ?)",
        [(article_id, field, int(value)) for article_id in ids])


def queue_feed(conn: sqlite3.Connection, url: str, subscribed: bool,
               folder: str | None = None) -> None:
    """Inside a write transaction: a subscription added or removed here."""
    conn.execute("INSERT OR REPLACE INTO sync_feed_outbox (url, subscribed, folder)"
                 " VALUES (?, ?, ?)", (url, int(subscribed), folder))


@dataclass(frozen=True, slots=True)
class Mark:
    article_id: int
    remote_id: str | None
    field: Field
    value: bool


@dataclass(frozen=True, slots=True)
class FeedChange:
    url: str
    subscribed: bool
    folder: str | None


def guid_digest(guid: str) -> str:
    return "SHA1:" + hashlib.sha1(guid.encode(), usedforsecurity=False).hexdigest()


class SyncStore:
    """The store as a sync sees it; every call is one short transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # The outbox

    def pending_marks(self) -> list[Mark]:
        rows = self.conn.execute(
            "SELECT o.article_id, s.remote_id, o.field, o.value FROM sync_outbox o"
            " LEFT JOIN sync_articles s ON s.article_id = o.article_id"
            " ORDER BY o.article_id, o.field").fetchall()
        return [Mark(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def pending_feeds(self) -> list[FeedChange]:
        rows = self.conn.execute(
            "SELECT url, subscribed, folder FROM sync_feed_outbox ORDER BY url").fetchall()
        return [FeedChange(r[0], bool(r[1]), r[2]) for r in rows]

    def queued(self) -> int:
        return int(self.conn.execute(
            "SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM sync_feed_outbox)"
        ).fetchone()[0])

    def sent_marks(self, marks: Iterable[Mark]) -> None:
        """Forget what the server now has; a row changed again meanwhile stays queued."""
        with write(self.conn) as conn:
            conn.executemany(
                "DELETE FROM sync_outbox WHERE article_id = ? AND field = ? AND value = ?",
                [(m.article_id, m.field, int(m.value)) for m in marks])

    def sent_feed(self, change: FeedChange) -> None:
        with write(self.conn) as conn:
            conn.execute("DELETE FROM sync_feed_outbox WHERE url = ? AND subscribed = ?",
                         (change.url, int(change.subscribed)))

    # Feeds

    def mapped_feeds(self) -> dict[str, int]:
        """Server feed id → our feed id."""
        return dict(self.conn.execute("SELECT remote_id, feed_id FROM sync_feeds").fetchall())

    def adopt_feed(self, remote_id: str, url: str, title: str, folder: str | None) -> bool:
        """Map a server feed to ours at the same address, subscribing here if need be (never
        queued: the server has it), its title and folder the server's. True when the
        subscription is new here."""
        with write(self.conn) as conn:
            found = conn.execute("SELECT id FROM feeds WHERE ?1 IN (url, first_url)"
                                 " ORDER BY url = ?1 DESC LIMIT 1", (url,)).fetchone()
            if found is None:
                feed_id = conn.execute(
                    "INSERT INTO feeds (url, title, folder, added) VALUES (?, ?, ?, ?)",
                    (url, title, folder, _now())).lastrowid
            else:
                feed_id = found[0]
                conn.execute("UPDATE feeds SET folder = ?, title = coalesce(nullif(?, ''), title)"
                             " WHERE id = ?", (folder, title, feed_id))
            # The server fetched it for us: say when, not "never refreshed".
            stamp = _now()
            conn.execute("UPDATE feeds SET last_refresh = ?, last_success = ?, last_error = NULL"
                         " WHERE id = ?", (stamp, stamp, feed_id))
            conn.execute("DELETE FROM sync_feeds WHERE remote_id = ? OR feed_id = ?",
                         (remote_id, feed_id))
            conn.execute("INSERT INTO sync_feeds (remote_id, feed_id) VALUES (?, ?)",
                         (remote_id, feed_id))
        return found is None

    def drop_feed(self, feed_id: int) -> None:
        """The server no longer has this feed: unsubscribe here too, keeping bookmarks."""
        with write(self.conn) as conn:
            conn.execute("DELETE FROM articles WHERE feed_id = ? AND bookmarked_at IS NULL",
                         (feed_id,))
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    # Articles

    def mapped_articles(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT remote_id, article_id FROM sync_articles"))

    def match(self, headlines: Sequence[tuple[str, str | None, str | None]]) -> dict[str, int]:
        """Server articles (remote id, digest of the feed's guid, link) already stored here,
        from a direct subscription or an interrupted sync: matched by the guid's digest, then
        by link. Maps them and returns remote id → ours."""
        by_guid: dict[str, int] = {}
        by_link: dict[str, int] = {}
        rows = self.conn.execute(
            "SELECT a.id, a.guid, a.url FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM sync_articles s WHERE s.article_id = a.id)")
        for article_id, guid, url in rows:
            if guid:
                by_guid.setdefault(guid if guid.startswith("SHA1:") else guid_digest(guid),
                                   article_id)
            if url:
                by_link.setdefault(url, article_id)
        found: dict[str, int] = {}
        taken: set[int] = set()
        for remote_id, digest, link in headlines:
            article_id = by_guid.get(digest or "") or by_link.get(link or "")
            if article_id is not None and article_id not in taken:
                found[remote_id] = article_id
                taken.add(article_id)
        if found:
            with write(self.conn) as conn:
                conn.executemany("INSERT OR REPLACE INTO sync_articles (remote_id, article_id)"
                                 " VALUES (?, ?)", list(found.items()))
        return found

    def save_new(self, batch: Sequence[tuple[str, Prepared, bool, bool]]) -> None:
        """New articles from the server with their state, each mapped in the same transaction
        as it is saved, so an interrupted sync never stores one twice."""
        with write(self.conn) as conn:
            for remote_id, prepared, unread, starred in batch:
                article_id, _ = save_prepared(conn, prepared)
                conn.execute("UPDATE articles SET read = ?, bookmarked_at = CASE WHEN ?"
                             " THEN coalesce(bookmarked_at, ?) END WHERE id = ?",
                             (int(not unread), int(starred), _now(), article_id))
                conn.execute("INSERT OR REPLACE INTO sync_articles (remote_id, article_id)"
                             " VALUES (?, ?)", (remote_id, article_id))

    def apply_state(self, listed: set[str], unread: set[str],
                    starred: set[str]) -> dict[str, int]:
        """The server's read and starred state onto each mapped article it `listed`, except
        a field with a local change still queued (that one wins); an article the server no
        longer lists keeps its state here. Returns counts of what changed."""
        counts = {"read": 0, "unread": 0, "starred": 0, "unstarred": 0}
        with write(self.conn) as conn:
            rows = conn.execute(
                "SELECT s.remote_id, a.id, a.read, a.bookmarked_at IS NOT NULL,"
                " EXISTS (SELECT 1 FROM sync_outbox o WHERE o.article_id = a.id"
                "         AND o.field = 'read'),"
                " EXISTS (SELECT 1 FROM sync_outbox o WHERE o.article_id = a.id"
                "         AND o.field = 'starred')"
                " FROM sync_articles s JOIN articles a ON a.id = s.article_id").fetchall()
            stamp = _now()
            for remote_id, article_id, read, marked, read_queued, star_queued in rows:
                if remote_id not in listed:
                    continue
                want_read = remote_id not in unread
                if not read_queued and want_read != bool(read):
                    conn.execute("UPDATE articles SET read = ? WHERE id = ?",
                                 (int(want_read), article_id))
                    counts["read" if want_read else "unread"] += 1
                want_star = remote_id in starred
                if not star_queued and want_star != bool(marked):
                    conn.execute("UPDATE articles SET bookmarked_at = ? WHERE id = ?",
                                 (stamp if want_star else None, article_id))
                    counts["starred" if want_star else "unstarred"] += 1
        return counts

    # Cursors

    def state(self, key: str) -> str | None:
        found = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return str(found[0]) if found else None

    def set_state(self, key: str, value: str) -> None:
        with write(self.conn) as conn:
            conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                         (key, value))


def _now() -> str:
    return iso(datetime.now(UTC)) or ""

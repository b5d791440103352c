"""Articles on their way in: their column values, made before any transaction.

JSON and compression are CPU work; made beforehand (on a refresh's own loop), they hold
neither the write lock nor the thread that talks to SQLite.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tui_reader.models import Article
from tui_reader.store.copies import canonical_url, global_guid
from tui_reader.store.rows import iso
from tui_reader.store.schema import CJK_CLASS

if TYPE_CHECKING:  # grouping loads with the first article prepared: see `prepare`
    from tui_reader.store.stories import Signature

# What is stored of an article, in column order.
_SAVED = ("url", "title", "author", "published", "image", "tags", "site_name", "blocks", "body",
          "related", "source", "truncated", "raw_html", "content_type", "entry_hash",
          "enclosures", "signature")
_BODY = _SAVED.index("body")
# Pages as downloaded, kept for cleaning again: level 1 takes 1.4 ms for a 170 KB news page
# where level 6 takes 3.6 ms (more than cleaning it), for 16% more bytes.
_PAGE_LEVEL = 1
_CANONICAL = len(_SAVED) + 2
_INSERT = (f"INSERT INTO articles ({', '.join(_SAVED)}, fetched, sort_time, canonical,"  # noqa: S608
           f" read, feed_id, guid) VALUES ({', '.join('?' * (len(_SAVED) + 6))})")
# Another copy of an article already stored: the same link once tracking and the like are
# taken out, or the same guid where guids are unique everywhere.
_SAME = ("SELECT id FROM articles WHERE canonical = ?1"
         " UNION ALL SELECT id FROM articles WHERE guid = ?2 LIMIT 1")
# Whether anything is known of an entry: its row, a copy's `also_in` row or a pruned row for
# its feed and guid, or another copy (`_SAME`). In a refresh almost every entry saved is new,
# and one statement asking all of it costs less than half of asking each in turn.
_KNOWN = ("SELECT EXISTS (SELECT 1 FROM articles WHERE feed_id IS ?1 AND guid = ?2)"
          " OR EXISTS (SELECT 1 FROM also_in WHERE feed_id = ?1 AND guid = ?2)"
          " OR EXISTS (SELECT 1 FROM pruned WHERE feed_id = ?1 AND guid = ?2)"
          " OR EXISTS (SELECT 1 FROM articles WHERE canonical = ?3)"
          " OR EXISTS (SELECT 1 FROM articles WHERE guid = ?4)")
# Updates are indexed by a trigger; inserts here, which costs less than a trigger.
_INDEX = "INSERT INTO articles_fts (rowid, title, author, body) VALUES (?, ?, ?, ?)"
_INDEX_CJK = "INSERT INTO articles_cjk (rowid, title, body) VALUES (?, ? || ' ', ? || ' ')"
_CJK = re.compile(CJK_CLASS)
# A refresh whose page download failed keeps the page stored earlier, and its Content-Type
# (a page downloaded without one has it empty, not NULL).
_KEPT = ("raw_html", "content_type")
_UPDATE = "UPDATE articles SET {}, canonical = ? WHERE id = ?".format(", ".join(  # noqa: S608
    f"{k} = coalesce(?, {k})" if k in _KEPT else f"{k} = ?" for k in _SAVED))


class Downloaded(Protocol):
    """A page as the network layer hands it over (the store imports nothing of it)."""

    @property
    def content(self) -> bytes: ...

    @property
    def content_type(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Incoming:
    """An article on its way in, with where it came from (no feed: opened by URL)."""

    article: Article
    feed_id: int | None
    guid: str | None
    raw_html: bytes | None = None
    entry_hash: str | None = None
    # The HTTP Content-Type `raw_html` came with, which may name its charset.
    content_type: str | None = None

    @classmethod
    def of(cls, article: Article, feed_id: int | None, guid: str | None,
           page: Downloaded | None, entry_hash: str | None = None) -> Incoming:
        """An article with the page it was cleaned from, if it was."""
        if page is None:
            return cls(article, feed_id, guid, entry_hash=entry_hash)
        return cls(article, feed_id, guid, page.content, entry_hash, page.content_type)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An Incoming article as column values, ready for `Store.save_articles`, with its
    story signature as made (kept by the store that saves it, so grouping need not read it
    back)."""

    item: Incoming
    values: tuple[Any, ...]
    story: Signature


# One encoder for every column: `json.dumps` with options builds a new one at each call, a
# third of the cost of a short list.
_json = json.JSONEncoder(ensure_ascii=False).encode
# A JSON string as that encoder writes it.
_string = json.encoder.encode_basestring


# The lists every article has are written here, as `_json` writes them byte for byte (pages
# cleaned again are compared with the stored text): the encoder's set-up at each call and a
# dict for each item cost more than escaping the text.
def blocks_json(article: Article) -> str:
    return f"[{', '.join([block.json() for block in article.blocks])}]"


def tags_json(article: Article) -> str:
    return f"[{', '.join([_string(tag) for tag in article.tags])}]"


def related_json(article: Article) -> str:
    links = ", ".join([f'{{"title": {_string(link.title)}, "url": {_string(link.url)}}}'
                       for link in article.related])
    return f"[{links}]"


def enclosures_json(article: Article) -> str | None:
    if not article.enclosures:
        return None
    return _json([e.to_dict() for e in article.enclosures])


def prepare(item: Incoming) -> Prepared:
    """The saved columns of `item` (its story signature among them: this runs in a refresh's
    worker processes), then when it was fetched, where it sorts, and the link its copies
    share."""
    # Grouping's word lists and patterns load with the first article prepared, not with the
    # store: the reader's first headlines need none of them.
    from tui_reader.store.stories import encode, lead, signature, site_of

    article = item.article
    text = article.text
    fetched = datetime.now(UTC)
    fetched_at, published = fetched.isoformat(timespec="seconds"), article.published
    published_at = iso(published)
    # Where it sorts is when it was published, or fetched if that is earlier, to the second
    # as it is stored: the signature made here is the one read back.
    if published is not None and published <= fetched:
        sort_time, sorted_at = published.replace(microsecond=0), published_at
    else:
        sort_time, sorted_at = fetched.replace(microsecond=0), fetched_at
    story = signature(article.title, lead(text), site_of(article.url, item.feed_id), sort_time)
    return Prepared(item, (
        article.url, article.title, article.author, published_at, article.image,
        tags_json(article), article.site_name, blocks_json(article), text, related_json(article),
        article.source, int(article.truncated),
        zlib.compress(item.raw_html, _PAGE_LEVEL) if item.raw_html else None,
        (item.content_type or "") if item.raw_html else None, item.entry_hash,
        enclosures_json(article), encode(story), fetched_at, sorted_at,
        canonical_url(article.url),
    ), story)


def save_prepared(conn: sqlite3.Connection, prepared: Prepared) -> tuple[int, bool]:
    """Insert, or update in place keeping read and bookmark state: (id, new). Inside a
    write transaction.

    A copy of an article already stored (from another feed, or the same feed under another
    guid) is not stored again: the feed is added to the article's `also_in`, and a later
    change to the copy only updates its entry hash there.
    """
    item, values = prepared.item, prepared.values
    guid = item.guid or item.article.url
    same_guid = global_guid(guid)
    if conn.execute(_KNOWN, (item.feed_id, guid, values[_CANONICAL], same_guid)).fetchone()[0]:
        return _save_known(conn, prepared, guid, same_guid)
    return _insert(conn, prepared, guid, read=False), True


def _save_known(conn: sqlite3.Connection, prepared: Prepared, guid: str | None,
                same_guid: str | None) -> tuple[int, bool]:
    """`save_prepared` for an entry something is known of, each question in turn."""
    item, values = prepared.item, prepared.values
    found = conn.execute("SELECT id FROM articles WHERE feed_id IS ? AND guid = ?",
                         (item.feed_id, guid)).fetchone()
    if found:
        conn.execute(_UPDATE, (*values[:len(_SAVED)], values[_CANONICAL], found[0]))
        return int(found[0]), False
    if item.feed_id is not None and conn.execute(
            "UPDATE also_in SET entry_hash = ? WHERE feed_id = ? AND guid = ?",
            (item.entry_hash, item.feed_id, guid)).rowcount:
        return int(conn.execute("SELECT article_id FROM also_in WHERE feed_id = ? AND guid = ?",
                                (item.feed_id, guid)).fetchone()[0]), False
    pruned = conn.execute("DELETE FROM pruned WHERE feed_id = ? AND guid = ?",
                          (item.feed_id, guid)).rowcount
    same = conn.execute(_SAME, (values[_CANONICAL], same_guid)).fetchone()
    if same:
        if item.feed_id is not None:
            conn.execute("INSERT INTO also_in (article_id, feed_id, guid, entry_hash)"
                         " VALUES (?, ?, ?, ?)", (same[0], item.feed_id, guid, item.entry_hash))
        return int(same[0]), False
    return _insert(conn, prepared, guid, read=pruned > 0), True


def _insert(conn: sqlite3.Connection, prepared: Prepared, guid: str | None, *,
            read: bool) -> int:
    """A new article's row and its search index entries."""
    item, values = prepared.item, prepared.values
    cursor = conn.execute(_INSERT, (*values, int(read), item.feed_id, guid))
    article_id = cursor.lastrowid
    assert article_id is not None
    title, body = item.article.title, values[_BODY]
    conn.execute(_INDEX, (article_id, title, item.article.author or "", body))
    # `isascii` answers at once where the search reads every character.
    if not (title.isascii() and body.isascii()) and (_CJK.search(title) or _CJK.search(body)):
        conn.execute(_INDEX_CJK, (article_id, title, body))
    return article_id

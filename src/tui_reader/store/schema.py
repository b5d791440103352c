"""The schema, versioned with PRAGMA user_version; each migration runs in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from tui_reader.store.copies import merge_copies
from tui_reader.store.errors import StoreError

APPLICATION_ID = 0x54554952  # "TUIR"

_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    site_url TEXT,
    folder TEXT,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    last_refresh TEXT,
    last_success TEXT,
    last_error TEXT,
    bozo INTEGER NOT NULL DEFAULT 0,
    next_due TEXT,
    added TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    guid TEXT,
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    author TEXT,
    published TEXT,
    fetched TEXT NOT NULL,
    sort_time TEXT NOT NULL,
    image TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    site_name TEXT,
    blocks TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL DEFAULT '',
    related TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT 'page',
    truncated INTEGER NOT NULL DEFAULT 0,
    raw_html BLOB,
    entry_hash TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    bookmarked_at TEXT,
    UNIQUE (feed_id, guid)
);
CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
CREATE INDEX articles_by_feed ON articles (feed_id, sort_time DESC, id DESC);
CREATE INDEX articles_by_url ON articles (url);
CREATE INDEX articles_unread ON articles (read, sort_time DESC, id DESC);
CREATE INDEX articles_bookmarked ON articles (bookmarked_at) WHERE bookmarked_at IS NOT NULL;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, body, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, author, body)
    VALUES (new.id, new.title, coalesce(new.author, ''), new.body);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, author, body)
    VALUES ('delete', old.id, old.title, coalesce(old.author, ''), old.body);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, author, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, author, body)
    VALUES ('delete', old.id, old.title, coalesce(old.author, ''), old.body);
    INSERT INTO articles_fts (rowid, title, author, body)
    VALUES (new.id, new.title, coalesce(new.author, ''), new.body);
END;
"""

# v2: tombstones so pruned articles are not fetched again as unread; a partial index for the
# per-feed unread counts and lists; and 4-character prefixes indexed too, since a search as
# typed ends in a prefix and merging every term of an unindexed prefix is slow.
_V2 = """
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, body, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3 4'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
CREATE TABLE pruned (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    entry_hash TEXT,
    pruned_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
CREATE INDEX articles_unread_by_feed ON articles (feed_id, sort_time DESC, id DESC) WHERE read = 0;
"""

# v3: the address a feed was subscribed at, kept when it moves permanently, so options in
# config.toml and commands given the old address still find it.
_V3 = """
ALTER TABLE feeds ADD COLUMN first_url TEXT;
"""

# v4: new articles are indexed by the statement that saves them, not by a trigger, which
# cost half as much again per article (see store.incoming).
_V4 = """
DROP TRIGGER articles_ai;
"""

# v5: the feed's own <ttl>, so a refresh that gets 304 (no body to read it from) still
# honours it.
_V5 = """
ALTER TABLE feeds ADD COLUMN ttl_minutes INTEGER;
"""

# v6: how many entries the feed's last document held beyond those kept, for `feeds` to say.
_V6 = """
ALTER TABLE feeds ADD COLUMN entries_cut INTEGER NOT NULL DEFAULT 0;
"""

# v7: sync with an aggregator server. The outbox holds each local change not yet sent, written
# in the change's own transaction: one row per article and field (the latest value wins) and
# one per feed address, so it stays as small as the library when no server is set up. Feeds
# already subscribed are queued, so the first sync puts them on the server. The two maps tie
# the server's ids to ours; `sync_state` keeps the server's cursors.
_V7 = """
CREATE TABLE sync_outbox (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('read', 'starred')),
    value INTEGER NOT NULL,
    PRIMARY KEY (article_id, field)
) WITHOUT ROWID;
CREATE TABLE sync_feed_outbox (
    url TEXT PRIMARY KEY,
    subscribed INTEGER NOT NULL,
    folder TEXT
) WITHOUT ROWID;
INSERT INTO sync_feed_outbox (url, subscribed, folder) SELECT url, 1, folder FROM feeds;
CREATE TABLE sync_articles (
    remote_id TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE sync_feeds (
    remote_id TEXT PRIMARY KEY,
    feed_id INTEGER NOT NULL UNIQUE REFERENCES feeds(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


# Letters of the scripts written without spaces between words (Hangul, kana, Han ideographs):
# a GLOB class for SQL, and the same class for Python's re.
CJK_CLASS = ("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
             "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
# Articles with such text are indexed a second time by trigram, with the text itself, so a
# word is found inside the longer words it is written into ("아이유" in "아이유가"). Each
# column ends in a space so that every character starts a trigram: a two-character word is
# then found through the trigrams that begin with it (store.search).
CJK_FILL = (
    "INSERT INTO articles_cjk (rowid, title, body)"  # noqa: S608
    " SELECT id, title || ' ', body || ' ' FROM articles"
    f" WHERE title || body GLOB '*{CJK_CLASS}*'"
)

# v8: English words indexed by their stem (porter), so "direct" finds "directing"; and the
# trigram index above, kept by triggers on update and delete (inserts are indexed by the
# statement that saves them, as for articles_fts).
_V8 = f"""
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, body, content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE articles_cjk USING fts5 (title, body, tokenize='trigram');
CREATE VIRTUAL TABLE articles_cjk_terms USING fts5vocab (articles_cjk, row);
{CJK_FILL};
CREATE TRIGGER articles_cjk_ad AFTER DELETE ON articles BEGIN
    DELETE FROM articles_cjk WHERE rowid = old.id;
END;
CREATE TRIGGER articles_cjk_au AFTER UPDATE OF title, body ON articles BEGIN
    DELETE FROM articles_cjk WHERE rowid = old.id;
    INSERT INTO articles_cjk (rowid, title, body) SELECT new.id, new.title || ' ', new.body || ' '
    WHERE new.title || new.body GLOB '*{CJK_CLASS}*';
END;
"""  # noqa: S608

# v9: an article carried by several feeds is stored once. `canonical` is its link as copies
# share it (store.copies); `also_in` lists the other feeds that carry it, under their own
# guid and entry hash so a refresh still knows the entry. Copies already stored are merged.
_V9_TABLES = """
ALTER TABLE articles ADD COLUMN canonical TEXT;
CREATE INDEX articles_by_canonical ON articles (canonical) WHERE canonical IS NOT NULL;
CREATE INDEX articles_by_guid ON articles (guid);
CREATE TABLE also_in (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    entry_hash TEXT,
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
CREATE INDEX also_in_by_article ON also_in (article_id);
"""


def _v9(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V9_TABLES):
        conn.execute(statement)
    merge_copies(conn)


# v10: articles hidden by a filter in config.toml (store.filters), and a place for the
# store's own small facts: which rules were applied, and up to which article. Hidden
# articles are few: lists and counts leave out the ids this index holds (rows.HIDDEN)
# rather than read every row's flag.
_V10 = """
ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_hidden ON articles (id) WHERE hidden = 1;
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""

# v11: the files a feed entry carries (RSS enclosures, media:content, JSON Feed attachments),
# as a JSON list of models.Enclosure; NULL when it carries none.
_V11 = "ALTER TABLE articles ADD COLUMN enclosures TEXT;"

# v12: stories (store.stories): the id of the first article of the story an article tells
# with articles from other sites; NULL for an article alone. Set as articles arrive.
_V12 = """
ALTER TABLE articles ADD COLUMN story INTEGER;
CREATE INDEX articles_story ON articles (story) WHERE story IS NOT NULL;
"""

# v13: prefixes of five and six characters indexed too. Search runs as the person types, and
# a prefix FTS5 has no index for merges the doclists of every word it starts: "relea" on the
# way to "release" took ~50 ms at 50,000 articles, 10 ms with the index (the index grows by
# about half, some 2.4 KiB per article).
_V13 = """
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, body, content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4 5 6'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
"""

# v14: each article's story signature (store.stories.encode), made as it is prepared, so
# grouping new articles reads those around them instead of working each out again; NULL
# until worked out (older articles, and pages cleaned again).
_V14 = "ALTER TABLE articles ADD COLUMN signature TEXT;"

# v15: the Content-Type a stored page came with: a page whose charset only its header names
# (many Korean and Japanese sites) is read in that charset when it is cleaned again. NULL
# without a page, or for pages stored before; empty when the server sent none.
_V15 = "ALTER TABLE articles ADD COLUMN content_type TEXT;"

# A step is SQL, or Python for what SQL cannot say; either runs inside the step's transaction.
Migration = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _v9, _V10, _V11, _V12, _V13,
                               _V14, _V15]
VERSION = len(MIGRATIONS)
# The tables every command relies on; a database without one of them is damaged.
TABLES = ("feeds", "articles", "articles_fts", "pruned")


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a database from a newer release before anything writes to it."""
    current = version_of(conn)
    if current > VERSION:
        raise StoreError(
            f"{path} was written by a newer tui-reader (schema {current}, this one knows"
            f" {VERSION}); upgrade tui-reader, or pass another --home"
        )


# Told (from, to) before an existing database is brought forward: some steps rebuild an
# index over every article, a minute at 50,000.
Announce = Callable[[int, int], None]


def migrate(conn: sqlite3.Connection, path: Path, target: int = VERSION,
            announce: Announce | None = None) -> None:
    """Bring the database forward one version per transaction; a failed step changes nothing.

    The version is read again inside each write transaction, so two processes opening a new
    database at once do not both run the same step.
    """
    if announce is not None and 0 < (current := version_of(conn)) < target:
        announce(current, target)
    while version_of(conn) < target:
        conn.execute("BEGIN IMMEDIATE")
        version = version_of(conn)
        if version >= target:
            conn.execute("ROLLBACK")
            break
        try:
            step = MIGRATIONS[version]
            if callable(step):
                step(conn)
            else:
                # executescript would commit early: statement by statement inside the transaction.
                for statement in _statements(step):
                    conn.execute(statement)
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"could not upgrade {path} from schema {version} to {version + 1} ({exc});"
                    " it is unchanged and still usable by the previous tui-reader"
                ) from exc
            raise


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements

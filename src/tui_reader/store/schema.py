"""The schema, versioned with PRAGMA user_version; each migration runs in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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

MIGRATIONS: list[str] = [_V1]
VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the database forward; a database from a newer release is refused, not touched."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > VERSION:
        raise StoreError(
            f"{path} was written by a newer tui-reader (schema {current}, this one knows {VERSION});"
            " upgrade tui-reader"
        )
    for version in range(current, VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # executescript would commit early; run statement by statement inside the transaction.
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return statements

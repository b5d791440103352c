"""Filters from config.toml: rules that hide an article or mark it read as it comes in.

Each rule is applied once to each article, in the order stored (`filtered_upto` remembers
how far). When the rules change, every article is looked at again: `hidden` follows the new
rules, and a new "read" rule marks what it matches read (nothing is marked unread again).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass

from tui_reader.store.outbox import queue_marks

FIELDS = ("title", "author", "feed", "link", "text")
ACTIONS = ("hide", "read")
_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Filter:
    """`pattern` is searched for in one field of an article, ignoring case; ^ and $ match
    at each line's ends (a feed is its title and its URL, one line each)."""

    field: str
    pattern: re.Pattern[str]
    action: str

    @classmethod
    def make(cls, field: str, pattern: str, action: str) -> Filter:
        """Raises ValueError saying what is wrong."""
        if field not in FIELDS:
            raise ValueError(f"match must be one of {', '.join(FIELDS)}")
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
        try:
            return cls(field, re.compile(pattern, re.IGNORECASE | re.MULTILINE), action)
        except re.error as exc:
            raise ValueError(f"invalid regular expression ({exc})") from None

    def matches(self, fields: dict[str, str]) -> bool:
        return self.pattern.search(fields[self.field]) is not None


def digest(filters: tuple[Filter, ...]) -> str:
    """What the rules are, to tell when they changed since last applied."""
    text = "\n".join(f"{f.field}\t{f.action}\t{f.pattern.pattern}" for f in filters)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def up_to_date(conn: sqlite3.Connection, filters: tuple[Filter, ...]) -> bool:
    """Whether these rules have been applied to every article stored."""
    newest = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    return (_state(conn, "filters") == digest(filters)
            and _state(conn, "filtered_upto") == str(newest))


def apply_filters(conn: sqlite3.Connection, filters: tuple[Filter, ...]) -> None:
    """Apply the rules to every article not yet filtered by them (inside a write transaction)."""
    current = digest(filters)
    after = 0
    if _state(conn, "filters") == current:
        after = int(_state(conn, "filtered_upto") or 0)
    elif not filters:
        conn.execute("UPDATE articles SET hidden = 0 WHERE hidden = 1")
        after = -1
    if after >= 0 and filters:
        text = "a.body" if any(f.field == "text" for f in filters) else "''"
        while True:
            rows = conn.execute(
                "SELECT a.id, a.title, coalesce(a.author, ''), coalesce(f.title, '') || char(10)"  # noqa: S608
                f" || coalesce(f.url, ''), coalesce(a.url, ''), {text}, a.hidden, a.read"
                " FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id WHERE a.id > ?"
                " ORDER BY a.id LIMIT ?", (after, _BATCH)).fetchall()
            if not rows:
                break
            hide, unhide, read = [], [], []
            for article_id, *values, hidden, was_read in rows:
                fields = dict(zip(FIELDS, values, strict=True))
                actions = {f.action for f in filters if f.matches(fields)}
                if "hide" in actions:
                    hide.append(article_id)
                elif hidden:
                    unhide.append(article_id)
                if "read" in actions and not was_read:
                    read.append(article_id)
            conn.executemany("UPDATE articles SET hidden = 1 WHERE id = ?", [(i,) for i in hide])
            conn.executemany("UPDATE articles SET hidden = 0 WHERE id = ?", [(i,) for i in unhide])
            conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", [(i,) for i in read])
            queue_marks(conn, read, "read", True)  # for the sync server, as any mark
            after = rows[-1][0]
    newest = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    conn.executemany("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                     [("filters", current), ("filtered_upto", str(newest))])

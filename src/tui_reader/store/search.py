"""FTS5 queries: user searches that never raise, and term-based similar articles."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from typing import Any

from tui_reader.store.errors import InvalidSearch

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "a about after again all also an and any are as at be because been before being but by can "
    "could did do does for from had has have he her here him his how i if in into is it its just "
    "like more most my new no not now of on one or our out over said says she so some than that "
    "the their them then there these they this those through to too under up us was we were what "
    "when where which while who will with would you your year years first last time".split()
)


def _quoted(query: str) -> str:
    """Every word as a quoted term, the last one a prefix: what the person most likely meant."""
    words = _WORD.findall(query)
    if not words:
        return ""
    terms = [f'"{w}"' for w in words]
    if not query.rstrip().endswith((" ", '"')):
        terms[-1] += "*"
    return " ".join(terms)


def run_search(conn: sqlite3.Connection, row_sql: str, query: str, limit: int) -> list[Any]:
    """Try the query as FTS5 syntax, then as plain words; raise InvalidSearch otherwise."""
    sql = (
        row_sql.replace("SELECT a.id", "SELECT a.id", 1).replace(
            "FROM articles a", ", snippet(articles_fts, 2, '\x02', '\x03', '…', 12) "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid", 1)
        + " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 10.0, 3.0, 1.0), a.sort_time DESC"
        " LIMIT ?"
    )
    candidates = [query.strip(), _quoted(query)]
    last_error: sqlite3.Error | None = None
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return conn.execute(sql, (candidate, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            last_error = exc
    if last_error is None:
        return []
    raise InvalidSearch("invalid search")


def distinctive_terms(title: str, body: str, count: int = 12) -> list[str]:
    """The article's most frequent meaningful words, the title's counted thrice."""
    words = Counter(w for w in _WORD.findall(body[:20000].lower()) if len(w) > 3 and w not in _STOP)
    for w in _WORD.findall(title.lower()):
        if len(w) > 2 and w not in _STOP:
            words[w] += 3
    return [w for w, _ in words.most_common(count) if not w.isdigit()]


def related_query(
    conn: sqlite3.Connection, article_id: int, title: str, body: str, limit: int
) -> list[tuple[int, str, str | None]]:
    terms = distinctive_terms(title, body)
    if not terms:
        return []
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = conn.execute(
        "SELECT a.id, a.title, a.url FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
        " WHERE articles_fts MATCH ? AND a.id != ? ORDER BY bm25(articles_fts, 5.0, 1.0, 1.0) LIMIT ?",
        (match, article_id, limit),
    )
    return [(r[0], r[1], r[2]) for r in rows]

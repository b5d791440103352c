"""FTS5 queries: user searches that never raise, and term-based similar articles."""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from tui_reader.store.errors import InvalidSearch, SearchTooBroad
from tui_reader.store.rows import ARTICLE_COLUMNS, ARTICLE_FROM
from tui_reader.store.schema import CJK_CLASS, CJK_FILL

MAX_QUERY = 500
# A search is stopped after this long: FTS5 time can grow with the square of a query's
# terms (60 × "the" over 5,000 real articles took 6 s), and no answer is worth the wait.
SEARCH_SECONDS = 2.0
# Checked every this many SQLite VM steps (a few hundred microseconds).
_CHECK_STEPS = 1000
PREFIX_LENGTHS = (2, 3, 4)  # the FTS5 prefix= option of the current schema
# Characters and keywords that mean the person is writing FTS5 syntax on purpose.
_SYNTAX = re.compile(r'["*():^+{}]|\b(?:AND|OR|NOT|NEAR)\b')
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # all but whitespace
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(re.findall(r"\w+", """
    a about after again all also an and any are as at be because been before being but by can
    could did do does for from had has have he her here him his how i if in into is it its just
    like more most my new no not now of on one or our out over said says she so some than that
    the their them then there these they this those through to too under up us was we were what
    when where which while who will with would you your year years first last time
"""))
# Title hits count most, then the author, then the body.
_WEIGHTS = "10.0, 3.0, 1.0"
HIT_START, HIT_END = "\x02", "\x03"
# Relevance within this much bm25 counts as equal, and the newer article comes first.
_RANK_STEP = 0.5
# Matches ranked per search: the newest this many. Ranking every match of a word found in
# nearly every article costs ~1 µs each; no real search has more useful hits than this.
RANK_WINDOW = 2000
_CJK = re.compile(CJK_CLASS)
# The trigram index answers words of three characters or more at once, and two-character
# ones ("아이") through the trigrams that begin with them, unless there are more than
# _MAX_TRIGRAMS of those; the rest are looked for in the index's stored text, which holds
# only the articles that have CJK text at all.
_TRIGRAM = 3
_MAX_TRIGRAMS = 400
_FTS_KEYWORDS = frozenset(("AND", "OR", "NOT", "NEAR"))
# bm25's constants, as FTS5 sets them, for the matches ranked outside FTS5.
_K1, _B = 1.2, 0.75
_TITLE_WEIGHT = 10.0
_CANDIDATES = (
    f"SELECT rowid, bm25(articles_fts, {_WEIGHTS}) FROM articles_fts"  # noqa: S608
    " WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
)


def _tidy(query: str) -> str:
    """Whatever was typed, as text SQLite can bind: no lone surrogates, no controls, bounded."""
    text = query.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)[:MAX_QUERY]


def _quoted(conn: sqlite3.Connection, query: str) -> str:
    """Every word group as a quoted phrase, the last a prefix unless a space ends the query.

    A prefix FTS5 has no prefix index for (1 or 5+ characters) is answered by merging the
    doclists of every word it starts; when the whole word alone already matches more than
    RANK_WINDOW articles, that merge (~70 ms at 50,000 articles) could not change what the
    window shows, so the word is searched as it is.
    """
    chunks = [c for c in query.split() if _WORD.search(c)]
    if not chunks:
        return ""
    # A word group given twice narrows nothing and costs FTS5 a great deal.
    once: dict[str, str] = {}
    for chunk in chunks[:-1]:
        once.setdefault(" ".join(_WORD.findall(_fold(chunk))), chunk)
    chunks = [*once.values(), chunks[-1]]
    terms = ['"' + c.replace('"', '""') + '"' for c in chunks]
    last = _WORD.findall(chunks[-1])[-1]
    indexed = len(last) in PREFIX_LENGTHS
    if not query[-1:].isspace() and (
        indexed or documents_matching(conn, terms[-1], RANK_WINDOW) <= RANK_WINDOW
    ):
        terms[-1] += "*"
    return " ".join(terms)


def documents_matching(conn: sqlite3.Connection, match: str, cap: int) -> int:
    """How many articles match, counting no further than cap + 1.

    Bounded because a common word's full count walks its whole doclist; the fts5vocab
    table does exactly that, positions and all, and took ~60 ms per article at 50,000.
    """
    return int(conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
        (match, cap + 1),
    ).fetchone()[0])


def _as_typed(text: str) -> str:
    """`festival premi*` asks what typing `festival premi` asks, so it takes the same path
    (and the same shortcut for a long prefix of a common word)."""
    stem = text.rstrip()
    if stem.endswith("*") and stem[:-1].strip() and not stem[-2].isspace():
        stem = stem[:-1]
        if not _SYNTAX.search(stem):
            return stem
    return text


def run_search(conn: sqlite3.Connection, query: str, limit: int | None) -> list[Any]:
    """Ranked rows (article columns, snippet, score); InvalidSearch if nothing can run.
    With no limit, the ids of the newest RANK_WINDOW matches, unranked (saved searches).

    Plain words become quoted prefix phrases at once. A query with FTS5 syntax runs as
    written, falling back to the quoted form when FTS5 rejects it (FTS5 reports bad syntax
    and unknown columns as the generic SQLITE_ERROR). The quoted form is always valid, so
    an error from it, like a damaged index or a busy disk, is not the query's fault and
    propagates.
    """
    text = _tidy(query)
    if not text.strip():
        return []
    text = _as_typed(text)
    with _time_limit(conn):
        if _CJK.search(text):
            return _cjk_ranked(conn, text, limit)
        if _SYNTAX.search(text):
            try:
                return _ranked(conn, text.strip(), limit)
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorname != "SQLITE_ERROR":
                    raise
        quoted = _quoted(conn, text)
        if not quoted:
            raise InvalidSearch(f"invalid search: {query[:80]!r}")
        return _ranked(conn, quoted, limit)


@contextlib.contextmanager
def _time_limit(conn: sqlite3.Connection) -> Iterator[None]:
    """Stop the statements run inside after SEARCH_SECONDS, as SearchTooBroad."""
    end = time.monotonic() + SEARCH_SECONDS
    conn.set_progress_handler(lambda: time.monotonic() > end, _CHECK_STEPS)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorname != "SQLITE_INTERRUPT":
            raise
        raise SearchTooBroad(f"search stopped after {SEARCH_SECONDS:g} s: try fewer or "
                             "longer words") from None
    finally:
        conn.set_progress_handler(None, 0)


def _ranked(conn: sqlite3.Connection, match: str, limit: int | None) -> list[Any]:
    """The best `limit` of the newest RANK_WINDOW matches by bm25; equal relevance, newest first.

    Two passes so that only the rows returned are joined and get a snippet: an ORDER BY
    over the joined rows would build every match's snippet before sorting.
    """
    scores = dict(conn.execute(_CANDIDATES, (match, RANK_WINDOW)).fetchall())
    if limit is None:
        return list(scores)
    best = sorted(scores, key=scores.__getitem__)[:limit]
    if not best:
        return []
    snippets = dict(conn.execute(
        f"SELECT rowid, snippet(articles_fts, 2, '{HIT_START}', '{HIT_END}', '…', 16)"  # noqa: S608
        f" FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({_marks(best)})",
        (match, *best),
    ).fetchall())
    return _hits(conn, best, scores, snippets)


def _cjk_ranked(conn: sqlite3.Connection, text: str, limit: int | None) -> list[Any]:
    """A search with CJK text: articles holding every word given, found by the trigram index.

    Words are found inside longer ones, as CJK text is written without spaces; FTS5 syntax
    characters are ignored. Ranked by the index's bm25, except a query of only words the
    index cannot answer (one character), which scans and ranks by bm25 in Python.
    """
    words = [w for w in dict.fromkeys(_WORD.findall(text)) if w not in _FTS_KEYWORDS]
    if not words:
        raise InvalidSearch(f"invalid search: {text[:80]!r}")
    groups: list[str] = []
    short: list[str] = []
    for word in words:
        if len(word) >= _TRIGRAM:
            groups.append('"' + word + '"')
            continue
        starting = _trigrams_starting(conn, word) if len(word) == _TRIGRAM - 1 else None
        if starting == []:
            return []
        if starting is None:
            short.append(word)
        else:
            groups.append("(" + " OR ".join('"' + t.replace('"', '""') + '"'
                                            for t in starting) + ")")
    where = "".join(" AND (instr(title, ?) OR instr(body, ?))" for _ in short)
    inside = [w for w in short for _ in range(2)]
    if groups:
        match = " AND ".join(groups)
        scores = dict(conn.execute(
            f"SELECT rowid, bm25(articles_cjk, {_TITLE_WEIGHT}, 1.0) FROM articles_cjk"  # noqa: S608
            f" WHERE articles_cjk MATCH ?{where} ORDER BY rowid DESC LIMIT ?",
            (match, *inside, RANK_WINDOW),
        ).fetchall())
        if limit is None:
            return list(scores)
        best = sorted(scores, key=scores.__getitem__)[:limit]
        # Excerpts made here mark the word itself, where snippet() would mark the trigrams
        # that found it, and cost a tenth as much with two-character words' many trigrams.
        bodies = dict(conn.execute(
            f"SELECT rowid, body FROM articles_cjk WHERE rowid IN ({_marks(best)})",  # noqa: S608
            best).fetchall())
        return _hits(conn, best, scores, {i: _excerpt(bodies[i], words) for i in best})
    found = conn.execute(
        f"SELECT rowid, title, body FROM articles_cjk WHERE 1{where}"  # noqa: S608
        " ORDER BY rowid DESC LIMIT ?", (*inside, RANK_WINDOW),
    ).fetchall()
    if limit is None:
        return [r[0] for r in found]
    scores = _bm25({r[0]: (r[1], r[2]) for r in found}, short)
    best = sorted(scores, key=scores.__getitem__)[:limit]
    bodies = {r[0]: r[2] for r in found}
    return _hits(conn, best, scores, {i: _excerpt(bodies[i], short) for i in best})


def _trigrams_starting(conn: sqlite3.Connection, word: str) -> list[str] | None:
    """The indexed trigrams that begin with `word`, or None when there are too many to ask for.

    Every character of the indexed text begins a trigram (each column ends in a space), so
    these find every place the word occurs.
    """
    folded = word.lower()
    terms = [r[0] for r in conn.execute(
        "SELECT term FROM articles_cjk_terms WHERE term >= ? AND term < ? LIMIT ?",
        (folded, folded + "\U0010ffff", _MAX_TRIGRAMS + 1))]
    return terms if len(terms) <= _MAX_TRIGRAMS else None


def _bm25(texts: dict[int, tuple[str, str]], words: list[str]) -> dict[int, float]:
    """bm25 of articles that all contain every word, negated as FTS5 gives it.

    Every article holds every word, so each word's idf is the same for all of them and
    left out; lengths are measured against the average of these articles.
    """
    if not texts:
        return {}
    average = sum(len(t) + len(b) for t, b in texts.values()) / len(texts)
    scores = {}
    for article_id, (title, body) in texts.items():
        norm = _K1 * (1 - _B + _B * (len(title) + len(body)) / max(average, 1.0))
        score = 0.0
        for word in words:
            tf = _TITLE_WEIGHT * title.count(word) + body.count(word)
            score += tf * (_K1 + 1) / (tf + norm)
        scores[article_id] = -score
    return scores


def _excerpt(body: str, words: list[str], around: int = 40) -> str:
    """The body around the first word found, marked as FTS5's snippet() marks a hit."""
    for word in words:
        at = body.find(word)
        if at >= 0:
            start, end = max(at - around, 0), at + len(word)
            return ("…" if start else "") + body[start:at] + HIT_START + word + HIT_END + (
                body[end:end + around * 2] + ("…" if end + around * 2 < len(body) else ""))
    return body[:around * 3]


def _hits(conn: sqlite3.Connection, best: list[int], scores: dict[int, float],
          snippets: dict[int, str]) -> list[Any]:
    """The rows of `best`, by relevance and, when about equal, newest first, with snippets."""
    if not best:
        return []
    rows = conn.execute(
        f"SELECT {ARTICLE_COLUMNS}, a.sort_time FROM {ARTICLE_FROM}"  # noqa: S608
        f" WHERE a.id IN ({_marks(best)})", best,
    ).fetchall()
    rows.sort(key=lambda r: (round(scores[r[0]] / _RANK_STEP), -_epoch(r[-1])))
    return [(*r[:-1], snippets.get(r[0], "")) for r in rows]


def _marks(values: list[int]) -> str:
    return ",".join("?" * len(values))


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def _fold(word: str) -> str:
    """Lower case without diacritics, as the unicode61 tokenizer stores terms."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def term_counts(title: str, body: str) -> Counter[str]:
    """Meaningful words and how often they occur, a title word counting as three."""
    words = Counter(
        _fold(w) for w in _WORD.findall(body[:20000]) if len(w) > 3 and not w.isdigit()
    )
    for w in _WORD.findall(title):
        if len(w) > 2 and not w.isdigit():
            words[_fold(w)] += 3
    for stop in _STOP & words.keys():
        del words[stop]
    return words


def distinctive_terms(conn: sqlite3.Connection, title: str, body: str, count: int = 8) -> list[str]:
    """The words that best tell this article apart: tf-idf over the cached articles.

    A word only this article has finds nothing else, and one in more than 2% of articles
    finds too much; both are skipped.
    """
    counts = term_counts(title, body)
    total = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    cap = max(total // 50, 50)
    scored = []
    for word, tf in counts.most_common(40):
        docs = documents_matching(conn, f'"{word}"', cap)
        if 2 <= docs <= cap:
            scored.append((tf * math.log(total / docs), word))
    return [w for _, w in sorted(scored, reverse=True)[:count]]


def similar_articles(
    conn: sqlite3.Connection, article_id: int, title: str, body: str, limit: int
) -> list[tuple[int, str, str | None, str]]:
    """(id, title, url, body) of the articles closest to this one by bm25, best first."""
    terms = distinctive_terms(conn, title, body)
    if not terms:
        return []
    match = " OR ".join(f'"{t}"' for t in terms)
    rows = conn.execute(
        "SELECT a.id, a.title, a.url, a.body FROM ("
        " SELECT rowid AS id, bm25(articles_fts, 5.0, 1.0, 1.0) AS score FROM articles_fts"
        " WHERE articles_fts MATCH ? AND rowid != ? ORDER BY score LIMIT ?"
        ") AS hit JOIN articles a ON a.id = hit.id ORDER BY hit.score",
        (match, article_id, limit),
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def index_is_sound(conn: sqlite3.Connection) -> bool:
    """FTS5's own check of both indexes, including agreement with the articles table."""
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
        conn.execute("INSERT INTO articles_cjk (articles_cjk) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorname.startswith("SQLITE_CORRUPT"):
            return False
        raise
    return True


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Rebuild both indexes from the articles table (inside the caller's transaction)."""
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM articles_cjk")
    conn.execute(CJK_FILL)

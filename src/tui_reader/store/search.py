"""FTS5 queries: user searches that never raise, and term-based similar articles."""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
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
PREFIX_LENGTHS = (2, 3, 4, 5, 6)  # the FTS5 prefix= option of the current schema
MIN_PREFIX = 2
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
# Ranked searches of only such words look at the newest this many articles that have them:
# their text is read and counted in Python (~25 µs an article).
SHORT_WINDOW = 500
# A hit's excerpt: about this many characters of the body, this many of them before the hit.
_EXCERPT, _BEFORE = 120, 40
_HIT = re.compile(f"{HIT_START}(.*?){HIT_END}", re.DOTALL)
_MAX_HITS = 10  # an excerpt starts at one of a body's first this many hits
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

    A prefix FTS5 has no prefix index for (1 or 7+ characters) is answered by merging the
    doclists of every word it starts; when the whole word alone already matches more than
    RANK_WINDOW articles, that merge (~70 ms at 50,000 articles) could not change what the
    window shows, so the word is searched as it is. A single letter is always searched as
    the word: it starts a tenth of all words, and merging them took over 2 s.
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
    if not query[-1:].isspace() and len(last) >= MIN_PREFIX and (
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
    # One pass over the matches between the first and last article shown: `rowid IN` would
    # run the match once per article, and a long prefix merges its words' doclists each
    # time (1.5 s for 50 hits). highlight() rather than snippet(), which scores every
    # fragment against every hit and cost three times as much on a word found often.
    bodies = dict(conn.execute(
        f"SELECT rowid, highlight(articles_fts, 2, '{HIT_START}', '{HIT_END}')"  # noqa: S608
        " FROM articles_fts WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ?"
        f" AND +rowid IN ({_marks(best)})",
        (match, min(best), max(best), *best),
    ).fetchall())
    return _hits(conn, best, scores, {i: _excerpt(body) for i, body in bodies.items()})


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
        mark = _marker(words)
        return _hits(conn, best, scores, {i: _excerpt(mark(bodies[i])) for i in best})
    # Only words no index holds: the articles' text is read, newest first, until enough
    # match. Ranked searches stop at SHORT_WINDOW, as their text is counted in Python too.
    scan = f"FROM articles_cjk WHERE 1{where} ORDER BY rowid DESC LIMIT ?"
    if limit is None:
        return [r[0] for r in conn.execute(f"SELECT rowid {scan}", (*inside, RANK_WINDOW))]
    found = conn.execute(f"SELECT rowid, title, body {scan}", (*inside, SHORT_WINDOW)).fetchall()
    scores = _bm25({r[0]: (r[1], r[2]) for r in found}, short)
    best = sorted(scores, key=scores.__getitem__)[:limit]
    bodies = {r[0]: r[2] for r in found}
    mark = _marker(short)
    return _hits(conn, best, scores, {i: _excerpt(mark(bodies[i])) for i in best})


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


def _marker(words: list[str]) -> Callable[[str], str]:
    """What marks the places the words are found in a body, as highlight() marks hits: as
    far as an excerpt could reach, since a one-character word can be found hundreds of times."""
    found = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)),
                       re.IGNORECASE)

    def mark(body: str) -> str:
        ends = [m.end() for m in itertools.islice(found.finditer(body), _MAX_HITS)]
        reach = ends[-1] + _EXCERPT + _BEFORE if ends else 0
        return found.sub(lambda m: HIT_START + m[0] + HIT_END, body[:reach]) + body[reach:]

    return mark


def _excerpt(marked: str) -> str:
    """About _EXCERPT characters of a body whose hits are marked: from a little before the
    first hit followed by the most different words found, or the body's start if none is."""
    hits = [(m.start(), m[1].casefold()) for m in itertools.islice(_HIT.finditer(marked),
                                                                   _MAX_HITS)]
    if not hits:
        return marked[:_EXCERPT] + ("…" if len(marked) > _EXCERPT else "")
    reach = _EXCERPT - _BEFORE
    at, most, words = hits[0][0], 0, len({w for _, w in hits})
    ahead: Counter[str] = Counter()  # the words of the hits within reach of this one
    j = 0
    for place, word in hits:
        while j < len(hits) and hits[j][0] < place + reach:
            ahead[hits[j][1]] += 1
            j += 1
        if len(ahead) > most:
            at, most = place, len(ahead)
            if most == words:
                break
        ahead[word] -= 1
        if not ahead[word]:
            del ahead[word]
    start = max(at - _BEFORE, 0)
    space = marked.find(" ", start, at)
    if start and space >= 0:  # begin at a word where the text has spaces between words
        start = space + 1
    end = at + reach
    space = marked.find(" ", end, end + _BEFORE)
    if space >= 0:
        end = space
    text = marked[start:end]
    # A cut inside a marked phrase keeps the marks paired.
    closing = text.find(HIT_END)
    if closing >= 0 and closing < text.find(HIT_START):
        text = HIT_START + text
    if text.rfind(HIT_START) > text.rfind(HIT_END):
        text += HIT_END
    return ("…" if start else "") + text + ("…" if end < len(marked) else "")


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

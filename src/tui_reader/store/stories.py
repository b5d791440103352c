"""The same story told by different sites: deciding it for two articles, and grouping by it.

Entertainment news repeats one event across many outlets in different words, while the
hardest near-misses share every name: the review and the box office of one film, episode 3
and episode 4 of one show, this week's and last week's chart column. So two articles are one
story only when they come from different sites within a few days, share a name (a capitalised
run or a quoted title) *and* share enough of their other content words, and carry no
conflicting numbers (episode, season, week, a different sum). Everything an article
contributes is computed once into a `Signature`, so comparing it with each recent article
is a few set operations (`bench/stories.py` measures precision, recall and speed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=3)
# Shared evidence beyond a name (content words, with the headline's counted twice, kinds of
# event, sums): chosen on the tuning half of the bench set.
MIN_EVIDENCE = 3

_STOP_TEXT = """
a about after again against all also an and any are as at back be been before being big but by
can could did do does down during each even first for from get gets go going got had has have
he her here hers him his how i if in into is it its just last late latest like look made make
may me more most much my new next no not now of off on one only or other our out over own
said says set she should so some still such than that the their them then there these they
this those through to too two up us very was watch we week were what when where which while
who why will with won't would yet you your finally already ahead news report reports
confirmed confirms announced announces reveals revealed source sources told according
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_KIND_WORDS = {
    "review": "review reviews", "recap": "recap recaps", "trailer": "trailer teaser",
    "interview": "interview interviews talks", "box office": "box opening opened debut",
    "ratings": "ratings rating viewership", "nominations": "nominations nominated nominees nods",
    "renewal": "renewed renews renewal returning", "cancel": "canceled cancels cancelled axed",
    "delay": "delayed delays delay slips pushed postponed postpones", "death": "dies died dead",
    "casting": "cast casts joins boards lead leads star stars role eyed talks",
    "win": "wins won win takes named prize award", "host": "host hosts emcee",
    "price": "price prices raises hikes", "snubs": "snubs", "patch": "patch update",
    "layoffs": "layoffs lays cuts jobs", "preorders": "preorders", "sequel": "sequel",
    "tour": "tour", "hiatus": "hiatus break", "album": "album record", "release": "release dated",
}
# Words that name a kind of piece or event rather than its subject: "Review: X" and "X box
# office" share the film's name, and whether both are reviews is told by the kind, never by
# the name; outlets also say one event in different verbs ("delayed", "slips", "pushed").
KINDS = {word: kind for kind, words in _KIND_WORDS.items() for word in words.split()}
# Capitalised, yet dates rather than names: sharing "August" makes no two stories one.
_CALENDAR_TEXT = """
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
"""
CALENDAR = frozenset(_CALENDAR_TEXT.split())
# Numbered parts: two articles naming different episodes or seasons are different stories.
PART = re.compile(r"\b(episode|ep|season|week|vol|volume|part|chapter)\.?\s*(\d+)", re.IGNORECASE)
WORD = re.compile(r"[\w$][\w$.,'’-]*\w|\w", re.UNICODE)
QUOTED = re.compile(r"(?<!\w)[‘'\"“]([^\"“”]{2,80}?)[’'\"”](?!\w)")
CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:(?:of|the|and|de|van|von)\b|[A-Z][\w’'-]*))*")
SUM = re.compile(r"\$\s?\d[\d,.]*\s?(?:million|billion|m|b|k)?\b"
                 r"|\b\d[\d,.]*\s?(?:million|percent|%)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Signature:
    """What one article brings to a comparison, computed once when it is stored."""

    site: str
    published: datetime
    events: frozenset[str]
    headline: frozenset[str]
    names: frozenset[str]
    kinds: frozenset[str]
    parts: frozenset[tuple[str, str]]
    sums: frozenset[str]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def _stem(word: str) -> str:
    """A crude English stem: "premieres" and "premiere", "delayed" and "delay" meet."""
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _sum(text: str) -> str:
    """"$48 million" and "$48M" are one sum."""
    folded = _fold(text).replace(" ", "").replace(",", "")
    folded = folded.replace("million", "m").replace("billion", "b").replace("percent", "%")
    return folded.rstrip(".")


def _names(text: str) -> set[str]:
    names = {_fold(m.group(1)).strip() for m in QUOTED.finditer(text)}
    for match in CAPITALISED.finditer(text):
        words = [w for w in match.group(0).split() if _fold(w) not in STOP_WORDS]
        if words:
            names.add(_fold(" ".join(words)).strip("'.,:;!?"))
    # A name is also each of its words, so "Hana Corvell" meets "Corvell's".
    for name in list(names):
        names.update(_stem(w.strip(".,:;!?")) for w in name.split() if len(w) > 2)
    return {n for n in names if n and n not in STOP_WORDS and n not in CALENDAR}


def _tokens(text: str) -> list[str]:
    return [_fold(t).strip(".,'") for t in WORD.findall(text)]


def _content(text: str) -> set[str]:
    return {_stem(t) for t in _tokens(text) if t and t not in STOP_WORDS}


def signature(title: str, lead: str, site: str, published: datetime) -> Signature:
    """The comparable parts of an article; `site` is its host (two copies from one site are
    never one story: a site's own follow-ups stay separate)."""
    text = f"{title}. {lead}"
    tokens = _tokens(text)
    words = _content(text)
    names = _names(text)
    return Signature(
        site=_fold(site).removeprefix("www."),
        published=published,
        events=frozenset(words - names),
        headline=frozenset(_content(title) - names),
        names=frozenset(names),
        kinds=frozenset(KINDS[t] for t in tokens if t in KINDS),
        parts=frozenset((_fold(k).removesuffix(".")[:2], n) for k, n in PART.findall(text)),
        sums=frozenset(_sum(m.group(0)) for m in SUM.finditer(text)),
    )


def same_story(a: Signature, b: Signature, window: timedelta = WINDOW) -> bool:
    """Whether two articles from different sites tell the same event."""
    if a.site == b.site or abs(a.published - b.published) > window:
        return False
    if not a.names & b.names:
        return False
    if a.kinds and b.kinds and not a.kinds & b.kinds:
        return False
    if _conflict(a.parts, b.parts) or (a.sums and b.sums and not a.sums & b.sums):
        return False
    shared = (len(a.events & b.events) + len(a.headline & b.headline)
              + len(a.kinds & b.kinds) + len(a.sums & b.sums))
    return shared >= MIN_EVIDENCE


def _conflict(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Both name a numbered part of the same kind, and never the same one."""
    kinds = {k for k, _ in a} & {k for k, _ in b}
    return any({n for k2, n in a if k2 == k}.isdisjoint({n for k2, n in b if k2 == k})
               for k in kinds)


def group(signatures: Sequence[Signature], window: timedelta = WINDOW) -> list[list[int]]:
    """Indexes of `signatures` grouped into stories (the union of every same-story pair),
    each group and the list in first-seen order; an article alone is a group of one."""
    parent = list(range(len(signatures)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(signatures)), key=lambda i: signatures[i].published)
    for pos, i in enumerate(order):
        for j in _recent(order, pos, signatures, window):
            if same_story(signatures[i], signatures[j], window):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(signatures)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _recent(order: list[int], pos: int, signatures: Sequence[Signature],
            window: timedelta) -> Iterable[int]:
    """The articles before `order[pos]` that are still within the window of it."""
    start = signatures[order[pos]].published - window
    for j in reversed(order[:pos]):
        if signatures[j].published < start:
            return
        yield j

"""The same story told by different sites: deciding it for two articles, and grouping by it.

Entertainment news repeats one event across many outlets in different words, while the
hardest near-misses share every name: the review and the box office of one film, episode 3
and episode 4 of one show, a star's casting and her engagement in the same week. So two
articles are one story only when they come from different sites within a few days, share a
name (a capitalised run, a quoted title, a Hangul word, or a Hangul name and its
romanisation), say the same kind of event when both say one (trailer, casting, box office,
review, renewal, death...), carry no conflicting numbers (episode, season, a different sum),
and their words are close: a TF-IDF cosine of title and lead, the headline's words counted
twice, with document frequencies from the articles around them, so that a rare name weighs
more than "film". Grouping is complete-link: an article joins a story only if it is the same
story as every article already in it, so a chain of near-misses never merges two stories.
`bench/stories.py` measures precision, recall and speed on a labelled set.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import chain, groupby
from urllib.parse import urlsplit

import Stemmer
from anyascii import anyascii

from tui_reader.store.rows import iso

WINDOW = timedelta(days=3)
# The cosine above which two articles that pass every other test are one story: chosen on
# the tuning half of the bench set.
THRESHOLD = 0.25
# Two headlines that name one subject and one kind of event need only this share of it:
# reviews of one film, or the news of one death, say the same thing in different words.
KIND_RELIEF = 0.5
# Words two articles must share when no kind of event or numbered part is common to both.
MIN_SHARED = 3
# Names, numbers, dates and kinds an English article and a Korean or Japanese one must share.
MIN_ACROSS = 2

_STOP_TEXT = """
a about after again against all also an and any are as at back be been before being big but by
can could did do does down during each even first for from get gets go going got had has have
he her here hers him his how i if in into is it its just last late latest like look made make
may me more most much my new next no not now of off on one only or other our out over own
said says set she should so some still such than that the their them then there these they
this those through to too two up us very was watch we week were what when where which while
who why will with won't would yet you your finally already ahead news report reports
confirmed confirms confirm announced announces announce reveals revealed source sources told
according here's it's
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_KIND_WORDS = {
    "review": "review reviews", "recap": "recap recaps", "trailer": "trailer teaser",
    "interview": "interview interviews", "box office": "box opening opened",
    "ratings": "ratings rating viewership 시청률",
    "nominations": "nominations nominated nominees nods",
    "renewal": "renewed renews renewal", "cancel": "canceled cancels cancelled axed",
    "delay": "delayed delays delay slips pushed postponed postpones",
    "death": "dies died dead mourns tributes obituary",
    "casting": "cast casts joins boards adds direct directs helm helms 캐스팅 출연",
    "offer": "offer offered eyed",
    "win": "wins won win takes named prize award 1위", "host": "host hosts emcee",
    "price": "price prices raises hikes", "snubs": "snubs", "patch": "patch update",
    "layoffs": "layoffs lays cuts jobs", "preorders": "preorders", "sequel": "sequel",
    "tour": "tour", "hiatus": "hiatus break", "album": "album",
    "engaged": "engaged engagement married wedding", "dating": "dating relationship 열애",
    "enlist": "enlist enlists enlistment military 입대", "lawsuit": "lawsuit sues sued suit",
    "deal": "acquires acquired buys", "shutdown": "shutdown shut",
    "injury": "injury injured 부상",
    "filming": "filming production", "comeback": "comeback 컴백", "birth": "baby born welcomes",
    "launch": "launch launches launched release dated", "exit": "exits exit leaves quits departs",
    "order": "greenlit greenlights greenlight orders ordered development",
    "preview": "hands-on preview previews impressions",
}
# Kinds of piece rather than of event: a review, an interview, a first look or a list of
# snubs is its own story beside the news it comments on, so a headline saying one of them
# only meets another saying the same.
PIECES = frozenset({"review", "interview", "preview", "snubs"})
# What a headline is about, apart from the event: one franchise's film and its series are
# two stories even when the same event befalls both.
FORMATS = {"film": "film", "movie": "film", "season": "series", "series": "series"}
# Words that name a kind of piece or event rather than its subject: "Review: X" and "X box
# office" share the film's name, and whether both are reviews is told by the kind, never by
# the name; outlets also say one event in different verbs ("delayed", "slips", "pushed").
KINDS = {word: kind for kind, words in _KIND_WORDS.items() for word in words.split()}
_CALENDAR_TEXT = """
january february march april may june july august september october november december
"""
_WEEKDAY_TEXT = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = _CALENDAR_TEXT.split()
# A month by its name or its usual abbreviation, so "Oct. 14", "October 14" and "10월 14일"
# meet as one date.
MONTH = {name[:n]: i for i, name in enumerate(_MONTHS, 1) for n in (3, 4, len(name))}
_WEEKDAYS = frozenset(_WEEKDAY_TEXT.split())
# Numbered parts: two articles naming different episodes, seasons or sequels are different
# stories. "Season 2" and "second season" are one part; so are "Starhaven 4" and "the fourth
# Starhaven film" (a number right after a name is its instalment, unless the name is a month).
PART = re.compile(r"\b(episode|ep|season|week|vol|volume|part|chapter)\.?\s*(\d+)", re.IGNORECASE)
# Japanese "第3期" is a third season.
_SEASON_JA = re.compile(r"第(\d+)期")
_ORDINAL_TEXT = "first second third fourth fifth sixth seventh eighth ninth tenth"
_ORDINALS = _ORDINAL_TEXT.split()
ORDINAL = re.compile(rf"\b({'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+"
                     r"(?:[\w'’-]+\s+){0,2}?(season|film|movie|installment|instalment|chapter|album)\b",
                     re.IGNORECASE)
INSTALMENT = re.compile(r"\b([A-Z][\w'’-]*)['’\"”]?\s+(\d{1,2})\b"
                        r"(?![.,]?\d|\s*(?:%|percent|million|billion))")
_PART_OF = {"film": "#", "movie": "#", "installment": "#", "instalment": "#"}
WORD = re.compile(r"[\w$][\w$.,'’-]*\w|\w", re.UNICODE)
QUOTED = re.compile(r"(?<!\w)[‘'\"“「『]([^\"“”」』]{2,80}?)[’'\"”」』](?!\w)")
_CAPITAL_TAIL = r"(?:[\w+-]|['’](?=\w))*"
# The run's first capital is matched before the word boundary behind it is checked, so the
# scan jumps from capital to capital instead of trying every position.
CAPITALISED = re.compile(rf"[A-Z](?<!\w[A-Z]){_CAPITAL_TAIL}"
                         rf"(?:\s+(?:(?:of|the|de|van|von)\b|[A-Z]{_CAPITAL_TAIL}))*")
SUM = re.compile(r"[$¥€£]\s?\d[\d,.]*\s?(?:million|billion|m|b|k)?\b"
                 r"|\b\d[\d,.]*\s?(?:million|percent|%)", re.IGNORECASE)
# A count however it is written: "410,000", "410K" and Korean "41만" are one number.
# What comes before its first digit is checked once the digit is matched, so the scan jumps
# from digit to digit.
NUMBER = re.compile(r"(\d(?<![\w.]\d)[\d,]*(?:\.\d+)?)\s?(k|m|million|billion|만|억)?(?![\w.]*\d)",
                    re.IGNORECASE)
_UNITS = {"k": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9, "만": 1e4, "억": 1e8}
_DATE_EN = re.compile(r"\b([a-z]{3,9})\.?\s+(\d{1,2})\b|\b(\d{1,2})\s+([a-z]{3,9})\b")
_DATE_KO = re.compile(r"(\d{1,2})월(?:\s*(\d{1,2})일)?")
# Cheap tests that rule a pattern out before its costly scan: every date in words starts with
# a month's first three letters; every numbered part, count, sum and date has a digit; a part
# is named by one of PART's nouns, and an ordinal one by an ordinal and one of ORDINAL's
# nouns. Those are looked for in the text lower-cased as IGNORECASE matches letters (a regex
# alternation ignoring case would cost as much as the scan it saves).
_MONTH_START = re.compile("|".join(sorted({name[:3] for name in _MONTHS})))
_DIGIT = re.compile(r"\d")
_NTH = re.compile(r"\d(?:st|nd|rd|th)")
# PART without its word boundary and case, over the lower-cased text.
_PART_NEAR = re.compile(r"(?:ep|season|week|vol|part|chapter)[a-z]*\.?\s*\d")
# INSTALMENT's number follows a space; QUOTED opens with one of these.
_SPACE_DIGIT = re.compile(r"\s\d")
_QUOTES = ("'", '"', "‘", "“", "「", "『")
# A sum has a currency or per cent sign, or says "million" or "percent".
_SUM_SIGNS = ("$", "¥", "€", "£", "%")
_SUM_WORDS = ("million", "percent")
_ORDINAL_NOUNS = ("season", "film", "movie", "instal", "chapter", "album")
# What IGNORECASE takes for an ASCII letter beyond its two cases; `str.lower` turns İ into
# "i" and a combining dot.
_SIMPLE_LOWER = str.maketrans("ıſİ", "isi")
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
# Han and kana: no spaces between words, so their text is compared by pairs of characters.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u9fff"
_CJK = re.compile(f"[{_CJK_CHARS}]")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]{{2,}}")
# A token's runs of one script: Hangul, Han and kana, or anything else.
_SCRIPTS = re.compile(f"[\uac00-\ud7a3]+|[{_CJK_CHARS}]+|[^\uac00-\ud7a3{_CJK_CHARS}]+")
# Korean particles written onto the word before them: "루미나가" is "루미나".
_PARTICLE_TEXT = "이 가 은 는 을 를 의 와 과 도 에 로 으로 에서 까지 부터 에게 이다 하다 만"
_PARTICLES = sorted(_PARTICLE_TEXT.split(), key=len, reverse=True)
# Romanisations of one name differ in how they spell its vowels, in voiced or unvoiced
# consonants, in a silent h or w, and in the vowel Korean adds after a final consonant
# ("VANTA" and 반타 as "BanTa", "Yoon Ji-ho" and 윤지호 as "YunJiHo", "NOVUS" and 노부스 as
# "NoBuSeu"), so a name is also compared by a key with those differences folded away: each
# run of vowels one "a", a final vowel dropped. Short keys meet by chance.
_DIGRAPHS = (("ch", "j"), ("sh", "s"), ("ph", "b"), ("ck", "g"))
_CONSONANTS = str.maketrans("kqctpvfrzeiou", "gggdbbbljaaaa", "wh")
_MIN_KEY = 4
_NOT_LETTER = re.compile("[^a-z]")


@dataclass(frozen=True, slots=True)
class Signature:
    """What one article brings to a comparison, computed once."""

    site: str
    published: datetime
    # Each word, name, date and sum of title and lead, the headline's counted twice.
    terms: Mapping[str, int]
    names: frozenset[str]
    # Consonant keys of the names written in Latin letters, and of the Hangul words.
    latin_keys: frozenset[str]
    hangul_keys: frozenset[str]
    kinds: frozenset[str]
    title_kinds: frozenset[str]
    title_names: frozenset[str]
    formats: frozenset[str]
    # The names of two words or more and the quoted titles of the headline, each as its
    # words' forms and its consonant key: what the headline is about.
    subjects: frozenset[tuple[frozenset[str], str]]
    # Whether the headline has Hangul, Han or kana in it: a Korean headline, or an English
    # one giving a name in Hangul too. Two such headlines are compared by their words (the
    # Hangul name meets); one with another, by what any language writes alike.
    asian: bool
    parts: frozenset[tuple[str, str]]
    sums: frozenset[str]

    def __reduce__(self) -> tuple[type[Signature], tuple[object, ...]]:
        """Pickled as its fields, passed to the constructor: a refresh's workers hand their
        signatures to the process that groups them, and the frozen dataclass's own way, each
        field set through `object.__setattr__`, made loading twice as slow. The terms go as a
        plain dict, as `decode` makes them: a Counter is loaded by a call to its constructor."""
        return Signature, (self.site, self.published, dict(self.terms),
                           *map(self.__getattribute__, _SIGNATURE_FIELDS[3:]))


_SIGNATURE_FIELDS = tuple(field.name for field in fields(Signature))
assert _SIGNATURE_FIELDS[:3] == ("site", "published", "terms")


class Weights:
    """Inverse document frequencies from a set of articles: a word most of them use says
    little about which story one tells.

    Counted when first asked for: new articles that share no name with any article around
    them are compared with none, and a refresh that brings such articles into a large store
    would otherwise count the words of every article within the window for nothing."""

    def __init__(self, signatures: Iterable[Signature]) -> None:
        self._signatures: list[Signature] | None = list(signatures)
        self.n = len(self._signatures)
        self._df: Counter[str] = Counter()

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df[term] + 1)) + 1

    @property
    def df(self) -> Counter[str]:
        if self._signatures is not None:
            sigs, self._signatures = self._signatures, None
            # Counted in one pass each: an `update` per article was a fifth of grouping's time.
            self._df.update(chain.from_iterable([sig.terms for sig in sigs]))
            self._df.update([f"~{k}" for sig in sigs for k in sig.latin_keys | sig.hangul_keys])
        return self._df


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


# Words recur from article to article: folding each once is a fifth of a signature's cost
# saved (titles and leads, each new, go through `_fold`).
_fold_word = lru_cache(maxsize=65536)(_fold)


_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The Snowball stem: "performances" and "performance", "delayed" and "delay" meet."""
    return str(_STEMMER.stemWord(word.removesuffix("'s")))


@lru_cache(maxsize=65536)
def _hangul_stem(word: str) -> str:
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _sum(text: str) -> str:
    """"$48 million" and "$48M" are one sum."""
    folded = _fold(text).replace(" ", "").replace(",", "")
    folded = folded.replace("million", "m").replace("billion", "b").replace("percent", "%")
    return folded.rstrip(".")


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """The loose sound of a name's romanisation."""
    ascii_text = _NOT_LETTER.sub("", (text if text.isascii() else anyascii(text)).lower())
    for digraph, single in _DIGRAPHS:
        ascii_text = ascii_text.replace(digraph, single)
    folded = "".join(letter for letter, _ in groupby(ascii_text.translate(_CONSONANTS)))
    return folded[:-1] if folded.endswith("a") and len(folded) > 1 else folded


@lru_cache(maxsize=65536)
def _word(token: str) -> tuple[str, ...]:
    """The comparable forms of one folded token: a stem, a Hangul word without its particle,
    or the character pairs of Han and kana; a token that changes script ("'ember'로") is
    its parts."""
    token = token.strip(".,'-")
    if not token or token in STOP_WORDS:
        return ()
    if token.isascii():  # one script, neither Hangul nor Han nor kana
        return (_stem(token),)
    if len(parts := _SCRIPTS.findall(token)) > 1:
        return tuple(form for part in parts for form in _word(part))
    if _CJK.search(token):
        return tuple(token[i:i + 2] for i in range(max(1, len(token) - 1)))
    if HANGUL.search(token):
        return (_hangul_stem(token),)
    return (_stem(token),)


def _numbers(folded: str) -> set[str]:
    """The counts of `folded` from a thousand up, by value."""
    numbers = set()
    for digits, unit in NUMBER.findall(folded):
        value = float(digits.replace(",", "")) * _UNITS.get(unit, 1)
        if value >= 1000 and not (unit == "" and 1900 <= value <= 2100):
            numbers.add(f"#{value:g}")
    return numbers


def _dates(folded: str) -> set[str]:
    dates = set()
    if _MONTH_START.search(folded):
        for m in _DATE_EN.finditer(folded):
            month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if month in MONTH and 1 <= int(day) <= 31:
                dates.add(f"@{MONTH[month]}-{int(day)}")
    if "월" in folded:
        for m in _DATE_KO.finditer(folded):
            dates.add(f"@{int(m.group(1))}-{int(m.group(2))}" if m.group(2)
                      else f"@{int(m.group(1))}")
    return dates


def _counted(folded: str, digits: bool) -> set[str]:
    """The dates and counts of `folded`: none without a digit, which most headlines lack."""
    return _dates(folded) | _numbers(folded) if digits else set()


def _has_digit(text: str) -> bool:
    """Whether `text` has a digit as `\\d` matches one; in ASCII only 0-9 are, and deleting
    them from its bytes (one pass in C) is three times quicker than a search for each."""
    if text.isascii():
        data = text.encode()
        return len(data.translate(None, _ASCII_DIGITS)) != len(data)
    return bool(_DIGIT.search(text))


_ASCII_DIGITS = b"0123456789"


def _sums(title: str) -> frozenset[str]:
    if not (_any_in(title, _SUM_SIGNS) or _any_in(_caseless(title), _SUM_WORDS)):
        return frozenset()
    return frozenset(_sum(m.group(0)) for m in SUM.finditer(title))


def _caseless(text: str) -> str:
    """`text` with letters in one case, as IGNORECASE compares them."""
    if not text.isascii() and any(c in text for c in "ıſİ"):
        text = text.translate(_SIMPLE_LOWER)
    return text.lower()


def _any_in(text: str, words: Iterable[str]) -> bool:
    return any(map(text.__contains__, words))


def _parts(title: str, text: str, title_digits: bool, lead_digits: bool
           ) -> set[tuple[str, str]]:
    """The numbered parts of `text`, the title and lead joined by ". "."""
    parts: set[tuple[str, str]] = set()
    caseless = _caseless(text)
    # What each shortcut below matches holds a digit and cannot run on past the title into
    # the ". " after it, so with no digit in the lead it lies within the title: only the
    # title need be searched.
    near = text if lead_digits else title
    near_caseless = caseless if lead_digits else _caseless(title)
    digits = title_digits or lead_digits
    if digits:
        if _PART_NEAR.search(near_caseless):
            parts.update((_fold(k).removesuffix(".")[:2], n) for k, n in PART.findall(text))
        if "第" in text:
            parts.update(("se", n) for n in _SEASON_JA.findall(text))
        if _SPACE_DIGIT.search(near):
            parts.update(("#", n) for name, n in INSTALMENT.findall(text)
                         if _fold_word(name) not in MONTH and _fold_word(name) != "no")
    if _any_in(caseless, _ORDINAL_NOUNS) and (
            _any_in(caseless, _ORDINALS) or (digits and _NTH.search(near_caseless))):
        for ordinal, noun in ORDINAL.findall(text):
            folded = _fold(ordinal)
            number = str(_ORDINALS.index(folded) + 1) if folded in _ORDINALS else folded[:-2]
            parts.add((_PART_OF.get(_fold(noun), _fold(noun)[:2]), number))
    return parts


_POSSESSIVE = ("'s", "’s")


@lru_cache(maxsize=65536)
def _run(match: str) -> str:
    """The name a capitalised run gives: its words less stop words, kinds of event, months
    and weekdays, each without a possessive 's; empty when nothing is left."""
    return " ".join(w[:-2] if w.endswith(_POSSESSIVE) else w for w in match.split()
                    if (f := _fold_word(w).strip(".,:;!?")) not in STOP_WORDS and f not in KINDS
                    and f not in MONTH and f not in _WEEKDAYS)


def _runs(text: str) -> set[str]:
    """The names of `text` written as capitalised runs."""
    runs = set(map(_run, CAPITALISED.findall(text)))
    runs.discard("")
    return runs


@lru_cache(maxsize=65536)
def _name_forms(name: str) -> tuple[str, ...]:
    """A name's words, so "Hana Corvell" meets "Corvell's"."""
    return tuple(form for word in name.split() if len(word) > 2
                 for form in _word(word.strip(".,:;!?")))


@lru_cache(maxsize=65536)
def _named(text: str, strip: str | None) -> frozenset[str]:
    """The names a quoted title or a capitalised run gives: itself, folded and stripped of
    `strip`, and its words' forms. Each is kept or dropped on its own, so a text's names
    are the union of its parts' and each part is worked out once however often it recurs."""
    name = _fold(text).strip(strip)
    return frozenset(n for n in (name, *_name_forms(name)) if _is_name(n))


def _is_name(word: str) -> bool:
    return bool(word) and word not in STOP_WORDS and word not in KINDS


_RUN_EDGES = "'.,:;!?"


def _names(runs: Iterable[str], hangul: Sequence[str], cjk: Sequence[str]) -> set[str]:
    """The names of a text from its capitalised runs, Hangul words and runs of Han and kana
    (its quoted titles give theirs by `_quoted_names`)."""
    names = set().union(*[_named(run, _RUN_EDGES) for run in runs])
    if hangul:
        names.update(n for w in hangul if len(w) >= 2 and _is_name(n := _hangul_stem(w)))
    if cjk:
        names.update(n for n in cjk if _is_name(n))
    return names


def _quoted_names(quoted: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*[_named(q, None) for q in quoted])


def _quoted(text: str) -> list[str]:
    return QUOTED.findall(text) if _any_in(text, _QUOTES) else []


@lru_cache(maxsize=65536)
def _bare(token: str) -> str:
    """A word folded as kinds of event and formats are looked up."""
    return _fold_word(token).strip(".,'")


class _Memo(dict[str, tuple[str, ...]]):
    """`make`'s answer for each key asked, kept until `limit` are kept (then all are
    forgotten). Where keys are looked up for every word of every article, a dict's own lookup
    (`map(memo.__getitem__, keys)`) costs nearly a third less than an `lru_cache`, which
    keeps the keys' order of use at each lookup. Forgetting all is cheap here: the words'
    own forms stay cached beneath."""

    def __init__(self, make: Callable[[str], tuple[str, ...]], limit: int = 65536) -> None:
        super().__init__()
        self._make, self._limit = make, limit

    def __missing__(self, key: str) -> tuple[str, ...]:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._make(key)
        return value


# Text is tokenised piece by piece between spaces, each distinct piece once: WORD neither
# matches a space nor looks beyond what it matches, so a text's words are its pieces' words
# in turn, and pieces ("the", "film,", "Keepers'") recur from article to article.

def _forms_of_piece(piece: str) -> tuple[str, ...]:
    """The comparable forms of a folded piece's words."""
    return tuple(chain.from_iterable(map(_word, WORD.findall(piece))))


_TAG_WORDS = KINDS.keys() | FORMATS.keys()


def _tags_of_piece(piece: str) -> tuple[str, ...]:
    """A piece's words, folded, that name a kind of event or a format."""
    return tuple(word for word in map(_bare, WORD.findall(piece)) if word in _TAG_WORDS)


_piece_forms = _Memo(_forms_of_piece).__getitem__
_piece_tags = _Memo(_tags_of_piece).__getitem__
# In ASCII a word that names a kind of event or a format is one of the words' own forms
# stemmed (no such word is a stop word, and each begins and ends with a letter), so a text
# none of whose forms is one of these names none: most have none, and their pieces are not
# looked through a second time.
_TAG_STEMS = frozenset(map(_stem, _TAG_WORDS))


@lru_cache(maxsize=65536)
def _run_keys(run: str) -> frozenset[str]:
    """The consonant keys of a name written in Latin letters and of each of its words."""
    return frozenset(k for r in (run, *run.split()) if len(k := _key(r)) >= _MIN_KEY)


@lru_cache(maxsize=65536)
def _subject(text: str) -> tuple[frozenset[str], str]:
    """A headline's subject (a name or quoted title) as its words' forms and its key."""
    return frozenset(f for w in _fold(text).split() for f in _word(w)), _key(text)


@dataclass(slots=True)
class _Scan:
    """What one of title and lead holds, each pattern run over it once."""

    folded: str
    forms: list[str]  # its words' comparable forms, for the terms
    tags: set[str]  # its words, folded, that name a kind of event or a format
    runs: set[str]
    hangul: list[str]
    cjk: list[str]
    # Whether it has a digit as written, and once folded (the same for ASCII).
    digits: bool
    folded_digits: bool


def _scan(part: str) -> _Scan:
    folded = _fold(part)
    pieces = folded.split()
    forms = list(chain.from_iterable(map(_piece_forms, pieces)))
    if part.isascii():
        # Folding ASCII only lowers it: its words are the folded ones, its digits the same,
        # and it has no Hangul, Han or kana.
        digits = _has_digit(part)
        tags = set() if _TAG_STEMS.isdisjoint(forms) \
            else set(chain.from_iterable(map(_piece_tags, pieces)))
        return _Scan(folded, forms, tags, _runs(part), [], [], digits, digits)
    return _Scan(folded, forms, set(chain.from_iterable(map(_piece_tags, part.split()))),
                 _runs(part), HANGUL.findall(part), _CJK_RUN.findall(part),
                 _has_digit(part), _has_digit(folded))


def _tagged(tags: set[str], table: Mapping[str, str]) -> frozenset[str]:
    """The kinds of event or formats (as `table` gives them) that `tags` name: most texts
    name none, and are not looked up."""
    return frozenset(map(table.__getitem__, tags & table.keys())) if tags else _NONE


_NONE: frozenset[str] = frozenset()


def _hangul_keys(hangul: list[str]) -> frozenset[str]:
    if not hangul:  # most articles have none: no generator made for nothing
        return frozenset()
    return frozenset(k for w in hangul if len(k := _key(_hangul_stem(w))) >= _MIN_KEY)


def signature(title: str, lead: str, site: str, published: datetime) -> Signature:
    """The comparable parts of an article; `site` is its host (two articles from one site
    are never one story: a site's own follow-ups stay separate).

    Title and lead are scanned apart where no pattern can match across the two (names,
    words, Hangul), so the title's findings serve both the headline and the whole text."""
    text = f"{title}. {lead}"
    head, body = _scan(title), _scan(lead)
    # Counted in one pass, the headline's words twice, each term keyed where it first
    # appears: the headline's words, its dates and counts, the lead's words, its own.
    counted = list(_counted(head.folded, head.folded_digits))
    terms = Counter([*head.forms, *head.forms, *counted, *counted, *body.forms,
                     *_counted(body.folded, body.folded_digits)])
    runs = head.runs | body.runs
    title_quoted = _quoted(title)
    title_kinds = _tagged(head.tags, KINDS)
    # Names are each part's own, so the headline's serve the whole text too.
    head_names = _names(head.runs, head.hangul, head.cjk)
    return Signature(
        site=_fold_word(site).removeprefix("www."),
        published=published,
        terms=terms,
        names=frozenset().union(head_names, _names(body.runs, body.hangul, body.cjk),
                                _quoted_names(_quoted(text))),
        latin_keys=frozenset().union(*map(_run_keys, runs)),
        hangul_keys=_hangul_keys(head.hangul + body.hangul),
        kinds=title_kinds.union(_tagged(body.tags, KINDS)),
        title_kinds=title_kinds,
        title_names=frozenset().union(head_names, _quoted_names(title_quoted)),
        formats=_tagged(head.tags, FORMATS),
        subjects=frozenset(map(_subject, {r for r in head.runs if " " in r} | set(title_quoted))),
        asian=bool(head.hangul or (not title.isascii() and _CJK.search(title))),
        parts=frozenset(_parts(title, text, head.digits, body.digits)),
        sums=_sums(title) if head.digits else frozenset(),
    )


def encode(sig: Signature) -> str:
    """A signature as the store keeps it beside its article, made when the article is
    prepared (in a refresh's worker processes), so grouping reads it instead of working it
    out again for every article around the new ones. Site and time come from the row."""
    return _json([
        sig.terms, sorted(sig.names), sorted(sig.latin_keys), sorted(sig.hangul_keys),
        sorted(sig.kinds), sorted(sig.title_kinds), sorted(sig.title_names), sorted(sig.formats),
        sorted(sig.sums), sorted([sorted(words), key] for words, key in sig.subjects),
        sig.asian, sorted(sig.parts),
    ])


# What it encodes holds no cycles, so it is not checked for one.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def decode(text: str, site: str, published: datetime) -> Signature | None:
    """A kept signature, or None when it is not one this release writes (it is then worked
    out again from the article)."""
    try:
        (terms, names, latin, hangul, kinds, title_kinds, title_names, formats, sums,
         subjects, asian, parts) = json.loads(text)
        # JSON keys are strings; the counts must be whole numbers.
        if not isinstance(terms, dict) or not set(map(type, terms.values())) <= _COUNTS:
            return None
        return Signature(
            site=_fold_word(site).removeprefix("www."), published=published, terms=terms,
            names=frozenset(names), latin_keys=frozenset(latin), hangul_keys=frozenset(hangul),
            kinds=frozenset(kinds), title_kinds=frozenset(title_kinds),
            title_names=frozenset(title_names), formats=frozenset(formats),
            subjects=frozenset([(frozenset(words), str(key)) for words, key in subjects]),
            asian=bool(asian), parts=frozenset([(str(k), str(n)) for k, n in parts]),
            sums=frozenset(sums))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None


_COUNTS = frozenset({int})


def similarity(a: Signature, b: Signature, weights: Weights) -> float:
    """The TF-IDF cosine of two articles' terms."""
    dot = sum(tf * b.terms[t] * weights.idf(t) ** 2 for t, tf in a.terms.items() if t in b.terms)
    denominator = _norm(a.terms, weights) * _norm(b.terms, weights)
    return dot / denominator if denominator else 0.0


def _norm(vector: Mapping[str, int], weights: Weights) -> float:
    return math.sqrt(sum((tf * weights.idf(t)) ** 2 for t, tf in vector.items()))


def _across(a: Signature, b: Signature) -> int:
    """What an article in Korean or Japanese and one in English have in common: they share
    no words but names (a Hangul name meeting its romanisation), Latin-letter words the Asian
    one quotes, numbers, dates, and the kind of event."""
    shared = {t for t in a.terms.keys() & b.terms.keys() if not HANGUL.search(t)
              and not _CJK.search(t)}
    return (len(shared) + len(a.names & b.names - shared) + len(_cross(a, b))
            + len(a.title_kinds & b.title_kinds))


def vetoed(a: Signature, b: Signature, window: timedelta = WINDOW) -> bool:
    """Whether anything rules out one story before the words are weighed: one site, too far
    apart, no shared name, different kinds of event, different episodes or sums."""
    if a.site == b.site or abs(a.published - b.published) > window:
        return True
    if not (a.names & b.names or _cross(a, b)) or not _evidence(a, b):
        return True
    if a.title_kinds & PIECES != b.title_kinds & PIECES:
        return True
    if _disjoint(a.title_kinds, b.title_kinds) or _disjoint(a.formats, b.formats) \
            or _disjoint(a.sums, b.sums):
        return True
    return _conflict(a.parts, b.parts) or (
        a.asian == b.asian and _unmatched(a, b) and _unmatched(b, a))


def _evidence(a: Signature, b: Signature) -> bool:
    """Whether the two share more than one name: a kind of event, a numbered part, or a few
    words. A star's new role and her baby share only her name."""
    return bool(a.kinds & b.kinds or a.parts & b.parts or _cross(a, b)
                or len(a.terms.keys() & b.terms.keys()) >= MIN_SHARED)


def _disjoint(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b and not a & b)


def _unmatched(a: Signature, b: Signature) -> bool:
    """Whether `a`'s headline names someone or something `b` never mentions: when both do,
    they are about different subjects ("X joins the film" and "Y joins the film"). Not asked
    across scripts, where a title is translated rather than spelt."""
    keys = b.latin_keys | b.hangul_keys
    return any(not (forms & b.names or key in keys) for forms, key in a.subjects)


def score(a: Signature, b: Signature, weights: Weights, window: timedelta = WINDOW) -> float:
    """How close two articles are, as a share of what one story needs (1 or more is one)."""
    if vetoed(a, b, window):
        return 0.0
    if a.asian != b.asian:
        return _across(a, b) / MIN_ACROSS
    needed = THRESHOLD
    shared_name = a.title_names & b.title_names or _cross(a, b)
    if shared_name and (a.title_kinds & b.title_kinds or a.parts & b.parts or a.sums & b.sums):
        needed *= KIND_RELIEF
    return similarity(a, b, weights) / needed


def _cross(a: Signature, b: Signature) -> frozenset[str]:
    """The names one article writes in Hangul and the other in Latin letters."""
    return (a.hangul_keys & b.latin_keys) | (a.latin_keys & b.hangul_keys)


def same_story(a: Signature, b: Signature, weights: Weights,
               window: timedelta = WINDOW) -> bool:
    """Whether two articles from different sites tell the same event."""
    return score(a, b, weights, window) >= 1


# A name more articles around carry than this says little about which story one tells (a
# streaming service, a big studio, the biggest group of the day) and would pair each of them
# with every other: pairs are found through their rarer names, which one story shares too.
COMMON_MIN = 60
COMMON_SHARE = 50


def _candidates(signatures: Sequence[Signature], window: timedelta,
                among: set[int] | None = None) -> set[tuple[int, int]]:
    """The pairs (lower index first) from different sites within `window` of each other that
    share a name or a name's key, and (given `among`) have one of their two in it: no other
    pair can be one story, and most pairs share none."""
    holders: dict[str, list[int]] = {}
    for i, sig in enumerate(signatures):
        for name in sig.names | {f"~{key}" for key in sig.latin_keys | sig.hangul_keys}:
            holders.setdefault(name, []).append(i)
    common = max(COMMON_MIN, len(signatures) // COMMON_SHARE)
    pairs = set()
    for held in holders.values():
        if len(held) > common or (among is not None and among.isdisjoint(held)):
            continue
        held.sort(key=lambda i: signatures[i].published)
        for pos, i in enumerate(held):
            first = signatures[i]
            for j in held[pos + 1:]:
                second = signatures[j]
                if second.published - first.published > window:
                    break
                if second.site != first.site and (among is None or i in among or j in among):
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def _conflict(a: frozenset[tuple[str, str]], b: frozenset[tuple[str, str]]) -> bool:
    """Both name a numbered part of the same kind, and never the same one."""
    kinds = {k for k, _ in a} & {k for k, _ in b}
    return any({n for k2, n in a if k2 == k}.isdisjoint({n for k2, n in b if k2 == k})
               for k in kinds)


def _links(signatures: Sequence[Signature], weights: Weights, window: timedelta,
           among: set[int] | None = None) -> dict[tuple[int, int], float]:
    """The candidate pairs (see `_candidates`) that are one story, with their scores."""
    links = {}
    for i, j in _candidates(signatures, window, among):
        if (value := score(signatures[i], signatures[j], weights, window)) >= 1:
            links[i, j] = value
    return links


def group(signatures: Sequence[Signature], weights: Weights | None = None,
          window: timedelta = WINDOW,
          links: Mapping[tuple[int, int], float] | None = None) -> list[list[int]]:
    """Indexes of `signatures` grouped into stories, each group and the list in time order
    (ties by index); an article alone is a group of one. `links` are the pairs that are one
    story, when already found (`_links`).

    Complete-link: the closest pairs are taken first, and two stories join only when every
    article of one is the same story as every article of the other, so the result does not
    hang on the order articles came in.
    """
    weights = weights or Weights(signatures)
    order = sorted(range(len(signatures)), key=lambda i: (signatures[i].published, i))
    if links is None:
        links = _links(signatures, weights, window)
    if not links:  # most articles of most refreshes: each alone
        return [[i] for i in order]
    story_of = {i: [i] for i in order}
    for i, j in sorted(links, key=lambda pair: (-links[pair], pair)):
        first, second = story_of[i], story_of[j]
        if first is second or any((min(x, y), max(x, y)) not in links
                                  for x in first for y in second):
            continue
        first.extend(second)
        for k in second:
            story_of[k] = first
    rank = {i: pos for pos, i in enumerate(order)}
    # Each story is first met at its first article, `story_of` being in time order: the
    # stories come in the order of their first articles.
    stories = {id(story): story for story in story_of.values()}.values()
    return [sorted(story, key=rank.__getitem__) if len(story) > 1 else story
            for story in stories]


# In the database: `articles.story` holds the id of the story's first article.

# What of an article's text is its lead: feeds' summaries and first paragraphs run to a
# sentence or two.
LEAD_CHARS = 300
# Articles around new ones read at most, newest first, when grouping them.
POOL_LIMIT = 20000
_SENTENCE_END = re.compile(r"[.!?。…](?=\s|$)")


def lead(body: str) -> str:
    """The first paragraph of `body`, cut after its last full sentence within LEAD_CHARS.

    Read without splitting off the rest of a long body, and sentence ends looked for only
    in a paragraph that is cut: most feeds' summaries are shorter."""
    text = body.strip()
    end = text.find("\n")
    first = (text if end < 0 else text[:end])[:LEAD_CHARS]
    if len(first) < LEAD_CHARS:
        return first
    ends = [m.end() for m in _SENTENCE_END.finditer(first)]
    return first[: ends[-1]] if ends else first


def site_of(url: str | None, feed_id: int | None) -> str:
    """The site an article is from: its link's host, or its feed when it has no link (or
    one without a host)."""
    origin = _ORIGIN.match(url) if url else None
    host = _site_host(origin.group(0)) if origin else _host(url) if url else None
    return host.removeprefix("www.") if host else f"feed:{feed_id}"


# Scheme and authority: all `urlsplit` reads a host from, the same for every article of a
# site, so each site's is split once (a fifth of grouping's time went to splitting links).
_ORIGIN = re.compile(r"[^:/?#]*://[^/?#]*")


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # brackets that hold no address
        return None


_site_host = lru_cache(maxsize=4096)(_host)


# An article's new story, and the story it had: (article id, story, former story).
Change = tuple[int, int | None, int | None]


@dataclass(slots=True)
class Regrouping:
    """What grouping new articles changes: stories, and the signatures it had to work out
    (articles stored before signatures were kept, or cleaned again), to be kept."""

    changes: list[Change]
    signatures: list[tuple[str, int]]


def regrouped(conn: sqlite3.Connection, new_ids: Sequence[int],
              known: Mapping[int, Signature] | None = None) -> Regrouping:
    """The articles whose story changes when `new_ids` arrive; `known` are signatures at
    hand (those the store prepared itself), which need not be read back.

    Only reads, so the work is done outside the write lock (`save_changes` writes it).
    What can change is the new articles, those they are the same story as, and the stories
    those are in: only they are grouped again, with document frequencies from every article
    within twice WINDOW (all of those stories lie within it, every article of a story being
    within WINDOW of every other). An article alone gets None.
    """
    done = Regrouping([], [])
    if not new_ids:
        return done
    low, high = conn.execute("SELECT min(sort_time), max(sort_time) FROM articles"
                             " WHERE id IN (SELECT value FROM json_each(?))",
                             (json.dumps(list(new_ids)),)).fetchone()
    if low is None:
        return done
    first, last = datetime.fromisoformat(low), datetime.fromisoformat(high)
    rows = conn.execute(
        "SELECT id, story FROM articles WHERE sort_time BETWEEN ? AND ?"
        " ORDER BY sort_time DESC, id DESC LIMIT ?",
        (iso(first - 2 * WINDOW), iso(last + 2 * WINDOW), POOL_LIMIT),
    ).fetchall()
    known = known or {}
    # The rest of a row only where no signature is at hand (after a large refresh, none):
    # title and lead only where none is kept either, to work it out.
    unknown = [article_id for article_id, _ in rows if article_id not in known]
    kept = {row[0]: row[1:] for row in conn.execute(
        "SELECT id, url, feed_id, sort_time, signature, iif(signature IS NULL, title, NULL),"
        " iif(signature IS NULL, substr(body, 1, ?), NULL) FROM articles"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (LEAD_CHARS * 2, json.dumps(unknown)))} if unknown else {}
    sigs = []
    pool = []  # the rows, less any deleted between the two reads
    for article_id, story in rows:
        sig = known.get(article_id)
        if sig is not None:
            sigs.append(sig)
            pool.append((article_id, story))
            continue
        if (row := kept.get(article_id)) is None:
            continue
        url, feed_id, sort_time, signed, title, body = row
        site, published = site_of(url, feed_id), datetime.fromisoformat(sort_time)
        sig = decode(signed, site, published) if signed else None
        if sig is None:
            if title is None:  # a kept signature that did not read back
                title, body = conn.execute("SELECT title, substr(body, 1, ?) FROM articles"
                                           " WHERE id = ?", (LEAD_CHARS * 2, article_id)).fetchone()
            sig = signature(title, lead(body or ""), site, published)
            done.signatures.append((encode(sig), article_id))
        sigs.append(sig)
        pool.append((article_id, story))
    weights = Weights(sigs)
    ids = [article_id for article_id, _ in pool]
    before = dict(pool)
    wanted = set(new_ids)
    arrived = {n for n, article_id in enumerate(ids) if article_id in wanted}
    fresh = _links(sigs, weights, WINDOW, among=arrived)
    touched = arrived | {n for pair in fresh for n in pair}
    stories = {before[ids[n]] for n in touched} - {None}
    touched |= {n for n, article_id in enumerate(ids) if before[article_id] in stories}
    chosen = sorted(touched)
    # When the new articles are all there is (a first refresh, or one after days away),
    # grouping them compares the very pairs just compared.
    only_new = len(arrived) == len(sigs)
    after: dict[int, int | None] = {}
    for story in group([sigs[n] for n in chosen], weights, links=fresh if only_new else None):
        members = [chosen[k] for k in story]
        if len(members) == 1:  # most articles: alone, so no story and no first to find
            after[ids[members[0]]] = None
            continue
        head = ids[min(members, key=lambda n: (sigs[n].published, ids[n]))]
        for n in members:
            after[ids[n]] = head
    done.changes = [(article_id, story, before[article_id])
                    for article_id, story in after.items() if before[article_id] != story]
    return done


def save_changes(conn: sqlite3.Connection, regrouping: Regrouping) -> None:
    """Write what `regrouped` found, inside a write transaction."""
    changes = regrouping.changes
    conn.executemany("UPDATE articles SET signature = ? WHERE id = ?", regrouping.signatures)
    conn.executemany("UPDATE articles SET story = ? WHERE id = ?",
                     [(story, article_id) for article_id, story, _ in changes])
    # A story the new grouping left with one article is no story.
    for former in {former for _, _, former in changes if former is not None}:
        conn.execute("UPDATE articles SET story = NULL WHERE story = ?1"
                     " AND (SELECT count(*) FROM articles WHERE story = ?1) < 2", (former,))


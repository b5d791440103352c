"""The same story from different sites: the pairwise test and grouping by it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui_reader.store import stories
from tui_reader.store.stories import (
    COMMON_MIN,
    Signature,
    Weights,
    _candidates,
    decode,
    encode,
    group,
    lead,
    same_story,
    signature,
    site_of,
)

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _sig(title: str, lead: str, site: str, hours: float = 0) -> Signature:
    return signature(title, lead, site, T0 + timedelta(hours=hours))


RELEASE_A = _sig("Brightwater dates 'Copper Moths' for an August release",
                 "Brightwater Films will open the heist comedy Copper Moths on August 7, "
                 "the studio said.", "cinemadesk.test")
RELEASE_B = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Director Ilse Varga's comedy gets its release date: Copper Moths opens "
                 "August 7.", "moviewire.test", hours=5)
# Other news of the same days, so that a word every article uses weighs little.
BACKGROUND = [
    _sig("Halden Games delays 'Frostline' to 2027", "The studio pushed its shooter out of "
         "this year.", "gamedesk.test"),
    _sig("Orbis TV renews 'Night Garden' for season 2", "The comedy returns next year.",
         "tvline.test"),
    _sig("Pia Moretti joins 'Salt Lake' drama", "The actor will star opposite Dan Kerr in the "
         "film, the studio said.", "moviewire.test"),
    _sig("Review: 'Frostline' is a cold, clever shooter", "Halden's game is worth the wait.",
         "gamedesk.test"),
]


def _same(a: Signature, b: Signature, window: timedelta | None = None) -> bool:
    weights = Weights([a, b, *BACKGROUND])
    return same_story(a, b, weights) if window is None else same_story(a, b, weights, window)


def test_one_event_in_other_words_from_another_site_is_one_story() -> None:
    assert _same(RELEASE_A, RELEASE_B)
    assert _same(RELEASE_B, RELEASE_A)


def test_the_same_site_is_never_one_story_with_itself() -> None:
    again = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Copper Moths opens August 7.", "CineMaDesk.test", hours=1)
    assert not _same(RELEASE_A, again)


def test_beyond_the_window_is_another_story() -> None:
    later = _sig("'Copper Moths' heist comedy set for August 7 release by Brightwater",
                 "Director Ilse Varga's comedy gets its release date: Copper Moths opens "
                 "August 7.", "moviewire.test", hours=24 * 5)
    assert not _same(RELEASE_A, later)
    assert _same(RELEASE_A, later, window=timedelta(days=6))


def test_a_review_and_the_box_office_of_one_film_are_two_stories() -> None:
    review = _sig("'Copper Moths' review: a breezy heist with Brightwater polish",
                  "Ilse Varga's comedy is slight, quick and fun.", "cinemadesk.test")
    box = _sig("Box office: 'Copper Moths' steals the weekend with $31 million",
               "Brightwater's heist comedy opened to $31 million.", "moviewire.test", hours=30)
    assert not _same(review, box)


def test_two_reviews_of_one_film_are_one_story() -> None:
    first = _sig("'Copper Moths' review: a breezy heist with Brightwater polish",
                 "Ilse Varga's comedy is slight, quick and fun.", "cinemadesk.test")
    second = _sig("Review: Copper Moths steals nothing but an evening",
                  "A forgettable caper, charmingly played.", "moviewire.test", hours=6)
    assert _same(first, second)


def test_different_episodes_of_one_show_are_two_stories() -> None:
    ep5 = _sig("'Glass Orchard' episode 5 recap: the letter is found",
               "Min Ha-rin's heir finds the hidden letter in episode 5 of the drama.",
               "dramanotes.test")
    ep6 = _sig("'Glass Orchard' episode 6 recap: the letter is burned",
               "Min Ha-rin's heir destroys the letter in episode 6 of the drama.",
               "kdramaweek.test", hours=24)
    assert not _same(ep5, ep6)


def test_different_instalments_of_a_franchise_are_two_stories() -> None:
    """"Copper Moths 2" and "the third Copper Moths film" are different numbers."""
    sequel = _sig("'Copper Moths 2' trailer: the gang is back",
                  "Brightwater released the first look at the heist sequel.", "cinemadesk.test")
    third = _sig("Brightwater plans third Copper Moths film",
                 "Writers are already at work on the next heist, a trailer shows.",
                 "moviewire.test", hours=20)
    assert not _same(sequel, third)


def test_two_actors_joining_one_film_are_two_stories() -> None:
    """Each headline names someone the other article never mentions."""
    first = _sig("Pia Moretti Joins 'Salt Lake' at Brightwater Films",
                 "Moretti will play the mayor in Ilse Varga's drama.", "cinemadesk.test")
    second = _sig("'Salt Lake' Adds Dan Kerr",
                  "The actor joins Pia Moretti in Ilse Varga's film.", "moviewire.test", hours=8)
    assert not _same(first, second)


def test_a_hangul_name_meets_its_romanisation() -> None:
    english = _sig("VANTA's Jaeho to enlist on October 14",
                   "The leader will serve as an active-duty soldier, his agency said.",
                   "kpopdesk.test")
    korean = _sig("반타 재호, 10월 14일 입대",
                  "그룹 반타의 리더 재호가 다음 달 14일 현역으로 입대한다.", "hanews.test", hours=2)
    assert {"band"} <= english.latin_keys & korean.hangul_keys
    assert "반타" in korean.names  # "반타의" without its particle
    assert "@10-14" in english.terms and "@10-14" in korean.terms


def test_different_sums_tell_different_events() -> None:
    first = _sig("'Copper Moths' opens to $31 million at the box office",
                 "Brightwater's heist comedy led the weekend.", "cinemadesk.test")
    second = _sig("'Copper Moths' adds $12 million at the box office in week two",
                  "Brightwater's heist comedy held on in its second weekend.",
                  "moviewire.test", hours=48)
    assert not _same(first, second)


def test_no_shared_name_is_no_story() -> None:
    other = _sig("Studio sets comedy for an August release",
                 "A studio will open a comedy on August 7, it said.", "moviewire.test")
    assert not _same(RELEASE_A, other)


def test_apostrophes_are_not_quotes() -> None:
    """A possessive is not the start of a quoted title running to the next apostrophe."""
    sig = _sig("Ilse Varga's next film is Nina Roe's 'Paper Gulls'", "", "a.test")
    assert "paper gulls" in sig.names
    assert "ilse varga" in sig.names
    assert not any("next film" in name for name in sig.names)


def test_grouping_keeps_time_order_and_leaves_unrelated_alone() -> None:
    third = _sig("Brightwater sets Copper Moths release for August 7",
                 "Ilse Varga's heist comedy Copper Moths will open on August 7.",
                 "screenpost.test", hours=20)
    unrelated = _sig("Halden Games delays 'Frostline' to 2027",
                     "The studio pushed its shooter out of this year.", "gamedesk.test", hours=2)
    sigs = [RELEASE_A, unrelated, RELEASE_B, third]
    assert group(sigs, Weights([*sigs, *BACKGROUND])) == [[0, 2, 3], [1]]
    assert group([]) == []


def test_grouping_is_complete_link() -> None:
    """An article close to one member of a story but not to another starts its own: a chain
    of near-misses never joins two stories."""
    second = _sig("'Copper Moths 2' trailer: the gang is back",
                  "Ilse Varga's heist sequel gets a first trailer from Brightwater.",
                  "cinemadesk.test")
    unnumbered = _sig("Copper Moths trailer: Ilse Varga's gang returns",
                      "Brightwater's heist comedy is back with a first trailer.",
                      "moviewire.test", hours=3)
    third = _sig("'Copper Moths 3' trailer: one last heist",
                 "Ilse Varga's gang returns in a first trailer from Brightwater.",
                 "screenpost.test", hours=8)
    sigs = [second, unnumbered, third]
    weights = Weights([*sigs, *BACKGROUND])
    assert same_story(second, unnumbered, weights) and same_story(unnumbered, third, weights)
    assert not same_story(second, third, weights)
    stories = group(sigs, weights)
    assert sorted(map(len, stories)) == [1, 2]
    assert not any({0, 2} <= set(story) for story in stories)


def test_counts_meet_however_they_are_written() -> None:
    english = _sig("NOVUS sells 410,000 copies in debut week", "", "a.test")
    short = _sig("NOVUS breaks rookie record with 410K first-week sales", "", "b.test")
    korean = _sig("노부스, 데뷔 앨범 초동 41만 장", "", "c.test")
    assert "#410000" in english.terms and "#410000" in short.terms
    assert "#410000" in korean.terms


def test_a_japanese_season_is_a_numbered_part() -> None:
    japanese = _sig("「紅灯学園」第2期 1月放送開始", "", "a.test")
    english = _sig("'Crimson Lantern Academy' season 3 set for January", "", "b.test")
    assert ("se", "2") in japanese.parts and ("se", "3") in english.parts
    assert not _same(japanese, english)


def test_a_review_meets_only_a_review() -> None:
    review = _sig("Review: 'Copper Moths' steals nothing but an evening",
                  "Ilse Varga's heist comedy is slight.", "cinemadesk.test")
    news = _sig("'Copper Moths' steals the weekend for Brightwater",
                "Ilse Varga's heist comedy led the weekend.", "moviewire.test", hours=4)
    assert not _same(review, news)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.text(max_size=200), st.text(max_size=120),
       st.text(max_size=200))
def test_any_text_makes_a_signature_and_the_test_is_symmetric(
    title_a: str, lead_a: str, title_b: str, lead_b: str
) -> None:
    a = _sig(title_a, lead_a, "a.test")
    b = _sig(title_b, lead_b, "b.test", hours=1)
    weights = Weights([a, b])
    assert same_story(a, b, weights) == same_story(b, a, weights)
    assert group([a, b], weights) in ([[0, 1]], [[0], [1]])


def test_a_name_every_article_carries_pairs_none_of_them_while_a_rarer_one_still_does() -> None:
    """A streaming service named by a whole day's news would otherwise make every two of
    them a pair to compare: grouping a large refresh went quadratic."""
    day = [_sig(f"Netflix orders 'Show {n}' from Maker{n} Studio",
                f"Netflix confirmed the series Show {n}.", f"site{n}.test", hours=n / 100)
           for n in range(COMMON_MIN + 40)]
    assert _candidates(day, timedelta(days=3)) == set()
    both = [*day, RELEASE_A, RELEASE_B]
    assert (len(day), len(day) + 1) in _candidates(both, timedelta(days=3))
    assert [len(day), len(day) + 1] in group(both)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.text(max_size=200))
def test_a_kept_signature_reads_back_as_it_was(title: str, lead: str) -> None:
    sig = _sig(title, lead, "www.Site.test")
    kept = encode(sig)
    assert decode(kept, "www.Site.test", sig.published) == sig
    # Kept signatures are compared as text: it is what `json` itself writes for the value.
    assert kept == json.dumps(json.loads(kept), ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("kept", ["", "[", "{}", "[1, 2]", '[{"a": "b"}]', "null",
                                  '[{"a": "2"}, [], [], [], [], [], [], [], [], [], false, []]',
                                  '[{"a": 2.5}, [], [], [], [], [], [], [], [], [], false, []]',
                                  '[{"a": 2}, [[]], [], [], [], [], [], [], [], [], false, []]',
                                  pytest.param("[" * 5000, id="deep")])
def test_a_kept_signature_that_is_not_one_reads_as_none(kept: str) -> None:
    assert decode(kept, "a.test", T0) is None


_URL_PIECES = st.lists(st.sampled_from(
    ["http", "HTTPS", "1ab", ":", "://", "//", "/", "?", "#", "@", "[", "]", "::1", "www.",
     "Example.COM", ".", ":80", "\t", "\n", " ", "x", "%41", "é", "user:pw@", "\\"]),
    max_size=10).map("".join)


@given(_URL_PIECES)
def test_an_article_site_is_its_link_host_as_urlsplit_reads_it(url: str) -> None:
    """Hosts are cached by scheme and authority; the answer is what splitting the whole link
    gives, and a link with no host (or brackets holding none) falls back to the feed."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    expected = host.removeprefix("www.") if host else "feed:7"
    assert site_of(url, 7) == expected


_STORY_TEXT = st.lists(st.sampled_from(
    ["season", "SEASON", "ſeaſon", "fİrst", "fırst", "Film", "movie", "instalment", "album",
     "chapter", "episode", "Ep", "vol", "part", "week", "first", "Tenth", "1st", "2ND", "3rd",
     "3", "12", "١٢", "²", " ", ". ", "'", "may", "Oct", "월", "일", "第", "期", "$", "%",
     "million", "k", "Starhaven", "No", "\u212a", "\u3000", "\n", ".", "'", '"', "“", "”",
     "‘", "’", "「", "」", "ep.", "Vol", "part"]), max_size=12).map("".join)


@given(_STORY_TEXT)
def test_what_a_shortcut_rules_out_its_pattern_never_finds(text: str) -> None:
    """Signatures skip a pattern's scan when a cheap test says it cannot match: that test
    must never be wrong, whatever the case or script of the letters."""
    caseless, folded = stories._caseless(text), stories._fold(text)
    if not stories._DIGIT.search(text):
        for pattern in (stories.PART, stories.INSTALMENT, stories.SUM, stories._SEASON_JA):
            assert not pattern.search(text)
    if not stories._DIGIT.search(folded):
        for pattern in (stories.NUMBER, stories._DATE_EN, stories._DATE_KO):
            assert not pattern.search(folded)
    if not stories._PART_NEAR.search(caseless):
        assert not stories.PART.search(text)
    if "第" not in text:
        assert not stories._SEASON_JA.search(text)
    if not stories._SPACE_DIGIT.search(text):
        assert not stories.INSTALMENT.search(text)
    if not any(quote in text for quote in stories._QUOTES):
        assert not stories.QUOTED.search(text)
    if not (any(noun in caseless for noun in stories._ORDINAL_NOUNS) and (
            any(word in caseless for word in stories._ORDINALS)
            or stories._NTH.search(caseless))):
        assert not stories.ORDINAL.search(text)
    if not stories._MONTH_START.search(folded):
        assert not [m for m in stories._DATE_EN.finditer(folded)
                    if (m.group(1) or m.group(4)) in stories.MONTH]


_NAME_TEXT = st.lists(st.one_of(st.sampled_from(
    ["A", "Z", "a", "É", "İ", "\u212a", "Lantern", "KEEPERS", "of", "the", "von", "van", "de",
     "Of", "'", "’", "'s", "-", "+", "_", "1", " ", "  ", "\n", "\u3000", ".", ",", "루미나",
     "東京", "\u0301", "x"]), st.text(max_size=3)), max_size=14).map("".join)


@given(_NAME_TEXT)
def test_capitalised_runs_are_found_as_a_word_boundary_before_the_capital_finds_them(
        text: str) -> None:
    """The pattern checks the boundary behind a capital it has matched, so its scan can jump
    between capitals: it must find exactly the runs a leading `\\b` finds."""
    tail = r"(?:[\w+-]|['’](?=\w))*"
    plain = rf"\b[A-Z]{tail}(?:\s+(?:(?:of|the|de|van|von)\b|[A-Z]{tail}))*"
    assert stories.CAPITALISED.findall(text) == re.findall(plain, text)


@given(st.one_of(_STORY_TEXT, _NAME_TEXT, st.text(max_size=60)))
def test_text_has_the_words_of_its_pieces_between_spaces(text: str) -> None:
    """Words are found piece by piece (each piece once, cached): the same words, in order, as
    one scan of the whole text."""
    assert [w for piece in text.split() for w in stories.WORD.findall(piece)] \
        == stories.WORD.findall(text)


@given(st.one_of(_STORY_TEXT, st.text(max_size=30)))
def test_a_digit_is_found_as_the_regex_finds_one(text: str) -> None:
    assert stories._has_digit(text) == bool(stories._DIGIT.search(text))


_WITHOUT_DIGITS = st.one_of(_STORY_TEXT, st.text(max_size=30)).map(
    lambda text: stories._DIGIT.sub("", text))


@given(st.one_of(_STORY_TEXT, st.text(max_size=30)), _WITHOUT_DIGITS)
def test_with_no_digit_in_the_lead_a_part_shortcut_matches_in_the_title_alone(
        title: str, lead: str) -> None:
    """A numbered part's shortcuts search only the title when the lead has no digit: they must
    match there exactly when they match the title and lead joined."""
    text = f"{title}. {lead}"
    caseless, title_caseless = stories._caseless(text), stories._caseless(title)
    assert bool(stories._SPACE_DIGIT.search(text)) == bool(stories._SPACE_DIGIT.search(title))
    for pattern in (stories._PART_NEAR, stories._NTH):
        assert bool(pattern.search(caseless)) == bool(pattern.search(title_caseless))


@given(st.one_of(_STORY_TEXT, st.text(max_size=30)))
def test_counts_are_found_as_a_lookbehind_before_the_first_digit_finds_them(text: str) -> None:
    """NUMBER checks what comes before a digit it has matched, so its scan jumps between
    digits: it must find exactly the counts the lookbehind in front finds."""
    plain = r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(k|m|million|billion|만|억)?(?![\w.]*\d)"
    assert stories.NUMBER.findall(text) == re.findall(plain, text, re.IGNORECASE)


_SUM_TEXT = st.lists(st.sampled_from(
    ["$", "€", "%", "million", "MİLLİON", "perſent", "percent", "billion", "12", "1,2", " ", "k",
     "x"]), max_size=6).map("".join)


@settings(max_examples=300)
@given(st.one_of(_SUM_TEXT, st.text(max_size=20)))
@example("12%")
@example("€12")
@example("12 MİLLİON")
@example("1,2 perſent")
def test_a_text_the_sum_shortcut_rules_out_holds_no_sum(text: str) -> None:
    if not (any(sign in text for sign in stories._SUM_SIGNS)
            or any(word in stories._caseless(text) for word in stories._SUM_WORDS)):
        assert not stories.SUM.search(text)


def test_a_memo_answers_as_its_function_and_forgets_all_when_full() -> None:
    calls: list[str] = []

    def make(key: str) -> tuple[str, ...]:
        calls.append(key)
        return (key.upper(),)

    memo = stories._Memo(make, limit=2)
    assert [memo[k] for k in ("a", "b", "a")] == [("A",), ("B",), ("A",)]
    assert calls == ["a", "b"]
    assert memo["c"] == ("C",) and len(memo) == 1
    assert memo["a"] == ("A",) and calls == ["a", "b", "c", "a"]


@given(st.text(alphabet=st.characters(max_codepoint=127), min_size=1, max_size=20))
def test_an_ascii_token_is_one_script_and_neither_hangul_nor_han_nor_kana(token: str) -> None:
    """A word in ASCII is stemmed at once, without the script checks: they must find what
    that assumes."""
    assert stories._SCRIPTS.findall(token) == [token]
    assert not stories._CJK.search(token) and not stories.HANGUL.search(token)


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t\u3000\u2028。")), max_size=700))
@example("a" * 299 + ". " + "b" * 10)
@example("  " + "word. " * 80 + "\n second")
def test_a_lead_is_the_first_paragraph_cut_after_its_last_sentence(body: str) -> None:
    """`lead` reads the first paragraph without copying the body: it must be what stripping
    the body, taking its first line and cutting it after its last sentence gives."""
    first = body.strip().split("\n", 1)[0][:stories.LEAD_CHARS]
    ends = [m.end() for m in re.finditer(r"[.!?。…](?=\s|$)", first)]
    assert lead(body) == (first[: ends[-1]] if ends and len(first) == stories.LEAD_CHARS
                          else first)

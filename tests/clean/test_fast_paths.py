"""The cleaner's shortcuts decide exactly what the general paths they skip would decide."""

from __future__ import annotations

import threading
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from hypothesis import assume, given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from tui_reader import scalars
from tui_reader.clean import (
    article_with_fallback,
    blocks,
    boilerplate,
    extract_article,
    related,
    score,
    select,
)
from tui_reader.clean.htmltree import parse_html, parse_page
from tui_reader.models import FeedEntry
from tui_reader.sanitize import clean_line, safe_join, safe_url
from tui_reader.scalars import _URL_UNSAFE, MAX_URL

PAGES = [
    "<html><head><meta name=a content=b><script type='application/ld+json'>{}</script></head>"
    "<body><div class='x y'><p>One <a href=/a>a</a></p><span id=s>two</span></div>"
    "<svg><a>svg link</a><title>t</title></svg><template><p>inert</p></template></body></html>",
    "<table><tr><td><p>cell</p></td></tr></table><figure><img src=x><figcaption>c"
    "<small>credit</small></figcaption></figure>",
    "",
]
_BLOCK_SELECTOR = ("p, div, h1, h2, h3, h4, h5, h6, ul, ol, figure, table, img, amp-img, "
                   "section")
QUERIES = ["p", "a", "div, span, p", "meta[content], script[type=\"application/ld+json\"]",
           ".x .y, #s, [class*=x]", "img, amp-img", "figcaption, small", "title"]


def test_shared_engine_finds_what_each_documents_own_engine_finds() -> None:
    for page in PAGES:
        tree = LexborHTMLParser(page)
        for node in (tree.root, tree.head, tree.body):
            assert node is not None
            for query in QUERIES:
                assert [n.mem_id for n in select.css(node, query)] == [
                    n.mem_id for n in node.css(query)]
                first = select.css_first(node, query)
                expected = node.css_first(query)
                assert (first and first.mem_id) == (expected and expected.mem_id)


def test_every_thread_has_its_own_engine() -> None:
    engines: list[object] = []

    def take() -> None:
        engines.append(select._engine())

    workers = [threading.Thread(target=take) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    take()
    assert len({id(engine) for engine in engines}) == 4
    assert select._engine() is engines[-1]


def _reference_safe_url(url: str | None) -> str | None:
    """safe_url as it was before its ASCII shortcut: every URL through urlsplit."""
    if not url:
        return None
    url = url.strip()
    if (len(url) > MAX_URL or _URL_UNSAFE.search(url)
            or not url[:8].lower().startswith(("http://", "https://"))):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


_URL_PARTS = st.sampled_from(["http://", "HTTPS://", "//", "/", "?", "#", "@", ":", "[", "]",
                              "host", "a.b", "user:pw", "80", "%41", ".", "é", " ", "\t"])


@given(st.lists(_URL_PARTS, max_size=8).map("".join))
def test_safe_url_accepts_nothing_urlsplit_would_refuse(tail: str) -> None:
    for url in (tail, "http://" + tail, "https://" + tail):
        if safe_url(url) is not None:
            assert _reference_safe_url(url) is not None


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e)))
def test_printable_ascii_is_folded_as_the_general_path_folds_it(text: str) -> None:
    # A trailing NUL sends the same text down the general path, which strips it.
    assert clean_line(text) == clean_line(text + "\x00")


_HINT_WORDS = st.sampled_from(["share", "Related-Posts", "ARTICLE", "body", "hidden", "sr-only",
                               "nav", "Comment", "x", "-", "_", " ", "ſ", "K", "é", "author",
                               "bio", "content", "yarpp2", "ad12"])


@given(st.lists(_HINT_WORDS, max_size=8).map("".join))
def test_hints_match_as_a_case_insensitive_search_does(hint: str) -> None:
    for pattern in (boilerplate._JUNK, boilerplate._KEEP, boilerplate._RELATED,
                    boilerplate._HIDDEN_CLASS, boilerplate._COMMENTS, score._POSITIVE,
                    score._NEGATIVE):
        # Searched with a space in front (see `Hints`).
        assert pattern.found_in(hint) == (pattern._any.search(" " + hint) is not None)
        # A word at the start of the name is found as one after a separator is.
        assert pattern.found_in(hint) == pattern.found_in("q " + hint)


_NAME_WORDS = st.sampled_from(["ad", "ads", "advert_x", "a2a", "author", "-bio", "bio", "tag",
                                "tags", "widget", "widgets", "elementor", "share", "K", "ſ",
                                "ad12", "x", "-", "_", " ", "more", "cat", "ı", "related_x",
                                "yarpp", "disqus", "replies", "hidden", "sr-only", "HIDE"])


@given(st.lists(_NAME_WORDS, max_size=8).map("".join))
def test_words_grouped_by_letter_match_as_their_plain_alternation_does(hint: str) -> None:
    def plain(words: str) -> str:
        return "|".join(words.split())

    for grouped, alternation in (
            (boilerplate._JUNK,
             rf"[\s_-](?:{plain(boilerplate._WORDS)})(?=$|[\s_-])|\swidget"),
            (boilerplate._RELATED,
             rf"[\s_-](?:{plain(boilerplate._RELATED_WORDS)})(?=$|[\s_-])"),
            (boilerplate._COMMENTS,
             rf"[\s_-](?:{plain(boilerplate._COMMENT_WORDS)})(?=$|[\s_-])"),
            (boilerplate._HIDDEN_CLASS, rf"\s(?:{plain(boilerplate._HIDDEN_WORDS)})(?=$|\s)")):
        assert grouped.found_in(hint) == boilerplate.Hints(alternation).found_in(hint)


_NAMES = st.lists(st.sampled_from(
    ["hidden", "SR-ONLY", "d-none", "you-may-like", "discussion", "replies", "Widget", "ad",
     "related", "yarpp2", "share", "comment", "has-comments", "comments-open", "author", "bio",
     "content", "x", "-", "_", " ", "K", "ſ", "ı", "ommentx"]), max_size=6).map("".join)


@given(_NAMES, _NAMES)
def test_a_name_without_any_verdicts_word_is_one_every_verdict_keeps(klass: str,
                                                                      ident: str) -> None:
    hint = f"{klass} {ident}"
    if "omment" not in hint and not boilerplate._ANY_WORD.found_in(hint):
        assert boilerplate._named_verdict(klass, ident, hint) is boilerplate.Verdict.KEEP


_BASES = st.sampled_from(["https://a.example/x/y", "https://a.example", "http://a.example/x?q=1",
                          "https://a.example/x?", "https://a.example/x;p", "HTTPS://A.example/x",
                          "http://u@a.example:8080/a/b/", "https://a.example/x#f", "",
                          "ftp://a.example/b", "https://[::1/x", "https://a.example/x y"])
_LINK_PARTS = st.sampled_from(["/", "a", ".", "..", "?", "#", ";", "q=1", " ", "\t", "//", "é",
                               "%2e", "[", "http:"])


@given(_BASES, st.sampled_from(["/", "#", ""]), st.lists(_LINK_PARTS, max_size=6).map("".join))
def test_relative_links_join_as_urljoin_joins_them(base: str, lead: str, rest: str) -> None:
    href = lead + rest
    try:
        expected: str | None = urljoin(base, href)
    except ValueError:
        expected = None
    try:
        joined: str | None = scalars._join(base, href)
    except ValueError:
        joined = None
    assert joined == expected


@given(_BASES, st.sampled_from(["/", "#", "", "https://b.example/", " /"]),
       st.lists(_LINK_PARTS, max_size=6).map("".join))
def test_links_resolve_as_the_general_url_check_resolves_them(base: str, lead: str,
                                                               rest: str) -> None:
    href = (lead + rest).strip()
    expected = safe_url(href) if href.startswith(("https://", "http://")) else safe_join(base, href)
    assert related.absolute(base, lead + rest) == (expected if lead + rest else None)


_ATTR_NAMES = st.sampled_from(["class", "id", "href", "hidden", "aria-hidden", "role", "style"])
_ATTR_VALUES = st.sampled_from([None, "", "true", "navigation", "display:none", "share-bar",
                                "article-body", "comments", "related-posts", "x"])


@given(st.dictionaries(_ATTR_NAMES, _ATTR_VALUES, max_size=4))
def test_verdict_reads_every_marker_an_element_has(attrs: dict[str, str | None]) -> None:
    hidden = ("hidden" in attrs or attrs.get("aria-hidden") == "true"
              or attrs.get("role") in boilerplate._HIDDEN_ROLES
              or bool((style := attrs.get("style")) and boilerplate._hidden_style(style)))
    expected = boilerplate.Verdict.KEEP if not attrs else boilerplate.Verdict.HIDDEN if hidden \
        else boilerplate._hint_verdict(attrs.get("class") or "", attrs.get("id") or "")
    assert boilerplate.verdict_of(attrs) is expected


_MARKUP = st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<span>", "</span>",
                                    "<template>t</template>", "<!-- c -->", " ", "\n", "word",
                                    "é", "<br>", "<table><tr><td>x</td></tr></table>"]),
                   max_size=30).map("".join)


def _best_and_chain(body: LexborNode) -> tuple[LexborNode, list[LexborNode]]:
    """The element `#best` and its ancestors below `body`, innermost first."""
    best = select.css_first(body, "#best")
    assert best is not None
    chain = []
    node = best.parent
    while node is not None and node.tag_id != body.tag_id:
        chain.append(node)
        node = node.parent
    return best, chain


@given(_MARKUP)
def test_text_lengths_read_level_by_level_are_what_each_box_adds_to_the_winner(markup: str) -> None:
    body = LexborHTMLParser(f"<div><section><article>{markup}<p id=best>a</p></article>"
                            f"{markup}</section>{markup}</div>").body
    assert body is not None
    best, chain = _best_and_chain(body)
    chain.append(body)
    assert list(score._text_lengths(best, chain)) == [
        len(n.text()) - len(best.text()) for n in (best, *chain)]


# Bytes that make UTF-8 well-formed and broken sequences, markup, and the NUL that Lexbor's
# decoder reads differently inside a broken sequence.
_PAGE_BYTES = st.lists(st.sampled_from(
    [b"a", b" ", b"<p>", b"</p>", b"<a href=/x>", b"</a>", b"&amp;", b"\xc3", b"\xa9", b"\xe2",
     b"\x82", b"\xac", b"\xf0", b"\x9f", b"\x98", b"\x80", b"\xff", b"\xed", b"\xa0", b"\x00",
     b"\r\n", b"\x0c"]), max_size=40).map(b"".join)


@given(_PAGE_BYTES)
def test_utf8_bytes_parse_as_their_decoded_text_parses(body: bytes) -> None:
    """A UTF-8 page handed to Lexbor as bytes holds the text and links it holds decoded."""
    page = b"<html><head><meta charset=utf-8></head><body><div>" + body + b"</div></body></html>"
    fast = parse_page(page).body
    slow = parse_html(page.decode("utf-8", errors="replace")).body
    assert fast is not None and slow is not None
    assert fast.text() == slow.text()
    assert [a.attributes for a in fast.css("a")] == [a.attributes for a in slow.css("a")]


def test_a_page_in_another_charset_is_decoded_before_parsing() -> None:
    page = "<meta charset=euc-kr><p>드라마 방영 시작</p>".encode("cp949")
    body = parse_page(page).body
    assert body is not None and body.text() == "드라마 방영 시작"
    # The header's charset, not the bytes' guess, reads a whole article (no meta this time).
    paragraphs = "".join(f"<p>{n}화에서 주인공은 오래된 비밀을 마주하고, 시청자들은 다음 이야기를"
                         " 기다리며 드라마의 결말을 두고 다양한 추측을 내놓았다.</p>"
                         for n in range(1, 6))
    article = f"<html><body><article>{paragraphs}</article></body></html>".encode("cp949")
    assert "시청자들은 다음 이야기를" in extract_article(
        article, None, "text/html; charset=EUC-KR").text


def test_a_utf8_page_with_many_tags_parses_from_its_bytes_as_its_text_parses() -> None:
    """Past `_SCAN_FROM` tags the bounds are counted on the bytes: within them, nothing is cut
    and the page parses as its decoded text does."""
    page = ("<html><body>" + "<div><p>café <a href=/x>€ 5</a></p></div>" * 3_000).encode()
    fast = parse_page(page).body
    slow = parse_html(page.decode()).body
    assert fast is not None and slow is not None
    assert fast.text() == slow.text() and len(fast.css("a")) == 3_000


_TREE_MARKUP = st.lists(st.sampled_from(
    ["<div class=a id=b>", "</div>", "<p>", "</p>", "<table><tr><td>", "</table>", "<li>",
     "<template>t</template>", "<noscript><p>n</p></noscript>", "<form><input value=v>",
     "<select><option selected>o</option></select>", "<a href=/x>", "</a>", "<b>", "</i>",
     "<h2>", "<br>", "<!-- c -->", "<script>s<p></script>", "<svg><title>t</title></svg>",
     "text", " ", "&amp;"]), max_size=30).map("".join)


@given(_TREE_MARKUP)
def test_pages_parse_without_mutation_callbacks_into_the_same_tree(markup: str) -> None:
    """`parse_html` skips Lexbor's mutation callbacks; the tree is the one a default parse
    builds."""
    page = f"<html><body>{markup}</body></html>"
    assert parse_html(page).html == LexborHTMLParser(page).html


_BOX_MARKUP = st.lists(st.sampled_from(
    ["<div>", "</div>", "<td>", "<span>", "</span>", "<img src=x>", "<amp-img src=y></amp-img>",
     "<template><img src=t></template>", "<!-- <img> -->", "<svg><image/></svg>", "<p>", "</p>",
     "<picture><source srcset=s></picture>", "<amp-video></amp-video>", "<section>", "text",
     "<noscript><img src=n></noscript>", "<ul><li>i</li></ul>", "<figure>", "</figure>"]),
    max_size=20).map("".join)


@given(_BOX_MARKUP)
def test_a_scan_for_tag_names_finds_what_their_selector_finds(markup: str) -> None:
    body = LexborHTMLParser(f"<table><tr>{markup}</tr></table><ul><li>{markup}</ul>").body
    assert body is not None
    # Boxes that are none of the tags asked for (a selector matches its own node, too).
    for node in (body, *select.css(body, "tr, li")):
        for query, ids, custom in (("img", blocks._IMGS, None),
                                   ("img, amp-img", blocks._IMGS, "amp-img"),
                                   (_BLOCK_SELECTOR, blocks._BLOCK_INSIDE, "amp-img")):
            found = blocks._first_below(node, ids, custom)
            expected = select.css_first(node, query)
            assert (found and found.mem_id) == (expected and expected.mem_id)


_SUMMARY_TEXT = st.lists(st.sampled_from(
    [*"ab .,'\"-\n\t\x0b\x0c\x01\x7f>=/;#", "é", "한", "漢", "\u00a0", "\u2028", "\u200b",
     "ALSO READ- ", "Read more", "\n\n"]), max_size=40).map("".join)


@given(_SUMMARY_TEXT)
def test_a_plain_summary_gives_what_its_parsed_tree_gives(text: str) -> None:
    """Markup-free text skips the parse; an empty comment forces it without adding text."""
    entry = FeedEntry(guid="g", title="t", link="https://a.example/x", summary=text)
    parsed = replace(entry, summary=text + "<!---->")
    plain, general = article_with_fallback(None, entry), article_with_fallback(None, parsed)
    assert [b.to_dict() for b in plain.blocks] == [b.to_dict() for b in general.blocks]
    assert (plain.source, plain.truncated) == (general.source, general.truncated)


_CLIMB_MARKUP = st.lists(st.sampled_from(
    ["<div>", "<div class=share>", "<section class=post>", "</div>", "</section>", "<p>t</p>",
     "<aside>", "</aside>", "<a href=/x>", "</a>", "<ul>", "<li>i</li>", "</ul>", "<p>"]),
    max_size=24).map("".join)


@given(_CLIMB_MARKUP, _CLIMB_MARKUP, _CLIMB_MARKUP)
def test_prose_added_from_a_paragraph_in_the_winner_is_what_walking_from_every_one_adds(
        before: str, inside: str, after: str) -> None:
    """Bisecting for the run of paragraphs inside the winner, and walking only from those
    beside it up to the first one outside the climb, tallies what walking from every
    paragraph tallies (a start outside the winner takes the walk from every one)."""
    body = LexborHTMLParser(f"<div class=page>{before}<div class=wrap><div>{before}"
                            f"<div id=best><p>t</p>{inside}</div>{after}</div></div>"
                            f"{after}</div>").body
    assert body is not None
    best, chain = _best_and_chain(body)
    assume(chain)  # the climb has no level to tally
    voters = [(p, 1 << n) for n, p in enumerate(select.css(body, "p"))]
    items = [(li, 1) for li in select.css(chain[-1], "li")]
    expected = score._prose_added(voters, -1, items, best, chain)
    for start in range(len(voters) + 1):
        assert score._prose_added(voters, start, items, best, chain) == expected


_BOXES = st.lists(st.sampled_from(
    ["<div>", "<div class=comments>", "<div hidden>", "<div class=related-modal>",
     "<section class=post>", "<aside>", "<nav>", "<a href=/x>", "<span>", "<td>"]),
    max_size=12).map("".join)


@given(_BOXES)
def test_a_winner_clear_of_chrome_climbs_through_the_ancestors_the_check_read(boxes: str) -> None:
    """The ancestors the check for chrome reads are the boxes the climb would look up."""
    body = LexborHTMLParser(f"{boxes}<p id=best>t</p>").body
    assert body is not None
    best = select.css_first(body, "#best")
    assert best is not None
    for node in (best, best.parent):
        assert node is not None
        above = score._outside_chrome(node)
        if above is not None:
            assert [n.mem_id for n in above[:score._CLIMB_LEVELS]] == [
                n.mem_id for n in score._chain(node)]


def _climb_reading_every_level(best: LexborNode, voters: list[tuple[LexborNode, int]],
                               start: int) -> LexborNode:
    """The climb as it was before it stopped reading levels early: every level's length."""
    chain = score._chain(best)
    if not chain:
        return best
    items = [(li, len(text)) for li in select.css(chain[-1], "li")
             if len(text := li.text(deep=False).strip()) >= score._MIN_ITEM]
    gains = score._prose_added(voters, start, items, best, chain)
    lengths = list(score._text_lengths(best, chain))
    chosen, length, linked, prose = best, lengths[0], None, 0
    for ancestor, gain, ancestor_length in zip(chain, gains, lengths[1:], strict=True):
        prose += gain
        added = ancestor_length - length
        if not prose or added <= score._WRAPPER_SLACK or prose < score._PROSE_SHARE * added:
            continue
        linked = score._linked(chosen) if linked is None else linked
        ancestor_linked = score._linked(ancestor)
        if ancestor_linked - linked <= score._ADDED_LINKS * added:
            chosen, length, linked, prose = ancestor, ancestor_length, ancestor_linked, 0
    return chosen


_LEVEL_PARTS = st.lists(st.sampled_from(
    ["<p>" + "prose, " * 30 + "</p>", "<p>short</p>", "<h2>" + "heading " * 25 + "</h2>",
     "<ul><li>" + "item text " * 5 + "</li></ul>", "<a href=/x>" + "link " * 40 + "</a>",
     "<div class=share>" + "<p>" + "share, " * 30 + "</p></div>", "<img src=x>"]),
    max_size=4).map("".join)


@given(st.lists(st.tuples(_LEVEL_PARTS, _LEVEL_PARTS), min_size=1, max_size=6))
def test_the_climb_stops_reading_levels_only_where_none_above_can_be_taken(
        levels: list[tuple[str, str]]) -> None:
    markup = "<div id=best>" + "<p>" + "article text, " * 20 + "</p>" * 3 + "</div>"
    for before, after in levels:
        markup = f"<div>{before}{markup}{after}</div>"
    body = LexborHTMLParser(f"<html><body>{markup}</body></html>").body
    assert body is not None
    best = select.css_first(body, "#best")
    assert best is not None
    voters = [(p, len(p.text().strip())) for p in select.css(body, "p")]
    start = next(n for n, (p, _) in enumerate(voters) if p.parent and p.parent.id == "best")
    expected = _climb_reading_every_level(best, voters, start)
    assert score._climb(best, None, None, voters, start).mem_id == expected.mem_id

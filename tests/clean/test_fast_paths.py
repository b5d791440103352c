"""The cleaner's shortcuts decide exactly what the general paths they skip would decide."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from tui_reader.clean import boilerplate, score, select
from tui_reader.sanitize import clean_line, safe_url
from tui_reader.scalars import _URL_UNSAFE, MAX_URL

PAGES = [
    "<html><head><meta name=a content=b><script type='application/ld+json'>{}</script></head>"
    "<body><div class='x y'><p>One <a href=/a>a</a></p><span id=s>two</span></div>"
    "<svg><a>svg link</a><title>t</title></svg><template><p>inert</p></template></body></html>",
    "<table><tr><td><p>cell</p></td></tr></table><figure><img src=x><figcaption>c"
    "<small>credit</small></figcaption></figure>",
    "",
]
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

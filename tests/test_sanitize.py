"""The one boundary where web text is made safe for a terminal."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui_reader.feeds.parse import parse_feed
from tui_reader.sanitize import _CONTROLS, _SEQUENCES, clean_line, clean_text, safe_url

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PAYLOADS = [
    "\x1b]0;pwned\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[31mred",
    "\x9b31m",
    "\x9d0;title\x9c",
    "\x1bP+q544e\x1b\\",
    "\u202eevil\u202c",
]


def test_known_payloads_are_removed() -> None:
    for payload in PAYLOADS:
        cleaned = clean_text(f"Title {payload} end")
        assert "\x1b" not in cleaned and not FORBIDDEN.search(cleaned)
        assert cleaned.startswith("Title ") and cleaned.endswith(" end")
    assert clean_text("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\") == "click"


@given(st.text())
def test_clean_text_is_idempotent_and_leaves_no_controls(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert not FORBIDDEN.search(once)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_visible_text_is_kept(text: str) -> None:
    assert clean_text(text) == text


def test_every_terminal_sequence_starts_with_a_control_character() -> None:
    # clean_text hands back text without control characters untouched, skipping the sequences.
    starts = [chr(c) for c in range(0x110000)
              if not 0xD800 <= c <= 0xDFFF and _SEQUENCES.match(chr(c) + "]0;x\x07")]
    assert starts and all(_CONTROLS.match(c) for c in starts)


@given(st.text())
def test_clean_line_is_one_line(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line
    assert clean_line(line) == line


def test_only_http_urls_are_safe() -> None:
    assert safe_url("https://variety.example/news") == "https://variety.example/news"
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "--incognito",
        "smb://host/share",
        "data:text/html,hi",
        "https://evil.example/\x1b\\",
        "http://a b.example/",
        "exec:rm",
        "|cmd",
        "http://",
        "http://good.example\\@evil.example/x",  # a browser goes to good.example
    ):
        assert safe_url(bad) is None
    assert safe_url("https://x.example/a\\b?q=\\") == "https://x.example/a\\b?q=\\"


@given(st.text(alphabet=st.characters(categories=["Cs", "Cc", "Lu", "Ll", "Lo", "Zs"])))
def test_cleaned_text_can_always_be_written(text: str) -> None:
    """Lone surrogates (a JSON feed's broken escapes) go with the controls: no terminal, file
    or database could encode them."""
    clean_text(text).encode("utf-8")
    clean_line(text).encode("utf-8")


def test_a_json_feed_with_broken_escapes_gives_text_that_can_be_stored() -> None:
    feed = parse_feed(
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Drama \\udc00Desk",'
        b' "items": [{"id": "1\\ud800", "url": "https://x.example/1", "title": "Ep\\ud800 3",'
        b' "content_text": "Recap\\ud800", "authors": [{"name": "Kim\\udfff"}],'
        b' "tags": ["K-drama\\ud800"]}]}', "https://x.example/feed.json")
    [entry] = feed.entries
    assert (feed.title, entry.title, entry.guid, entry.author, entry.categories) == (
        "Drama Desk", "Ep 3", "1", "Kim", ["K-drama"])
    assert "Recap" in entry.content
    entry.content.encode("utf-8")

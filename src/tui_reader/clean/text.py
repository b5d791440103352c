"""Small text helpers shared by the feed parsers and the cleaner."""

from __future__ import annotations

import html

from selectolax.lexbor import LexborHTMLParser

from tui_reader.sanitize import clean_line

# Titles, names and tags longer than this are cut: they are one line on a screen.
MAX_LINE = 1000
# Markup beyond this many characters per character kept is not parsed at all: Lexbor takes
# quadratic time over deeply nested tags (1 MB of "<div>" took 70 s).
_MARKUP_PER_CHAR = 16
# Phrasing elements: their text runs on with what is around it ("H<sub>2</sub>O" is "H2O"),
# where any other element (a paragraph, a line break, a list item) parts words.
_INLINE = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "ins", "kbd", "label", "mark", "nobr", "q", "rb", "rp", "rt", "ruby",
    "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
    "wbr",
})


def html_to_line(value: str | None, *, is_html: bool = True, limit: int = MAX_LINE) -> str:
    """Reduce a feed title or name to one plain, safe line.

    Marked-up values (`is_html`) lose their tags and entities; plain values are kept as they
    are, so a title like "x < y" survives.
    """
    if not value:
        return ""
    if is_html and "<" in value:
        body = LexborHTMLParser(f"<body>{value[:limit * _MARKUP_PER_CHAR]}</body>").body
        if body is not None:
            for node in body.traverse():
                if node.tag not in _INLINE and node is not body:
                    node.insert_before(" ")
                    node.insert_after(" ")
            value = body.text(separator="")
    elif is_html and "&" in value:
        value = html.unescape(value)
    return clean_line(value)[:limit]


def plain_to_html(value: str) -> str:
    """Plain-text feed content as HTML paragraphs, so downstream HTML handling keeps it all."""
    paragraphs = [p.strip() for p in value.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs if p
    )

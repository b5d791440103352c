"""HTML parsing with Lexbor's worst case bounded.

At most block start tags Lexbor's tree builder looks through the open elements for a <p> in
scope, so its time grows with the square of nesting depth: 40,000 nested <div>s take
seconds, a megabyte of them minutes, and nothing can interrupt a parse once it runs. Real
pages nest a few dozen containers deep and stay well under ten thousand tags. A document is
cut at its `MAX_TAGS`th tag, and where the open elements looked through add up to
`MAX_SCOPE_STEPS` (about a tenth of a second): 5,000 nested <div>s still parse whole.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser

from tui_reader.clean.charset import decode_as, sniff

MAX_TAGS = 40_000
MAX_SCOPE_STEPS = 20_000_000
# Below this many tags even the deepest nesting stays under MAX_SCOPE_STEPS, so only larger
# documents pay for the scan (none of 181 real news pages has as many).
_SCAN_FROM = 5_000
# The tree as the markup builds it, without the mutation callbacks that mirror a form's
# <option> into its <selectedcontent> (the cleaner skips forms): a parse without them takes
# about 4% less time.
_OPTIONS = LexborDocumentOptions.WO_EVENTS
# Start tags that look through the open elements (group 2: containers, which stay open until
# closed; <p>, <li> and headings close themselves), and end tags of containers.
_BLOCK = re.compile(
    r"<(/?)(?:(div|section|article|aside|nav|header|footer|main|ul|ol|dl|blockquote|table"
    r"|figure|form|fieldset|details|menu|center)|p|li|dd|dt|h[1-6]|pre|hr)[\s/>]", re.I)


def _within_bounds(tags: int, end_tags: int) -> bool:
    """Whether a document of `tags` tags, `end_tags` of them end tags, stays within the bounds
    whatever its nesting. The i-th start tag looks through at most i - 1 open elements, so a
    document with n start tags takes at most n(n-1)/2 steps: below the bound the scan could
    not cut anything, and counting (in C) is far cheaper than scanning (in Python). Real pages
    with more tags than _SCAN_FROM nearly always pass."""
    starts = tags - end_tags
    return tags <= MAX_TAGS and starts * (starts - 1) // 2 <= MAX_SCOPE_STEPS


def bounded(html: str) -> str:
    """`html` cut to the bounds above. Counting and cutting by tags run in C; the scan for
    depth, in Python, only past _SCAN_FROM tags."""
    if len(html) < _SCAN_FROM * 3 or (tags := html.count("<")) < _SCAN_FROM:
        return html
    if tags > MAX_TAGS:
        rest = html.split("<", MAX_TAGS)[-1]
        html = html[: len(html) - len(rest) - 1]
    if _within_bounds(html.count("<"), html.count("</")):
        return html
    depth = steps = 0
    for match in _BLOCK.finditer(html):
        closing, container = match.groups()
        if closing:
            if container:
                depth = max(0, depth - 1)
            continue
        steps += depth
        if steps > MAX_SCOPE_STEPS:
            return html[: match.start()]
        if container:
            depth += 1
    return html


def parse_html(html: str) -> LexborHTMLParser:
    """A Lexbor tree of `html` cut to bounds (see the module's docstring)."""
    return LexborHTMLParser(bounded(html), options=_OPTIONS)


def parse_page(data: bytes, content_type: str | None = None) -> LexborHTMLParser:
    """A Lexbor tree of a downloaded page, decoded by `charset.sniff`'s choice.

    Well-formed UTF-8 goes to Lexbor as it is: those are the very bytes the parser would get
    from the decoded text, which it encodes back, a seventh of the parse's time. Its tags are
    counted on the bytes, where a "<" is never part of another character. Broken UTF-8 is
    decoded first, as Lexbor's own decoder joins a broken sequence's bytes across markup and
    NULs; so is a page that `bounded` may have to cut, which scans and cuts text."""
    encoding, skip = sniff(data, content_type)
    if encoding == "utf-8" and ((tags := data.count(b"<")) < _SCAN_FROM
                                or _within_bounds(tags, data.count(b"</"))):
        body = data[skip:] if skip else data
        try:
            body.decode("utf-8")  # in C and cheaper than the encoding it spares
        except UnicodeDecodeError:
            pass
        else:
            return LexborHTMLParser(body, options=_OPTIONS)
    return parse_html(decode_as(data, encoding, skip))

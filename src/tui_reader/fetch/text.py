"""Small text helpers shared by the feed parser and the cleaner."""

from __future__ import annotations

import html

from selectolax.lexbor import LexborHTMLParser

from tui_reader.sanitize import clean_line


def html_to_line(value: str | None) -> str:
    """Feed titles and names may hold tags and entities; reduce them to one plain line."""
    if not value:
        return ""
    if "<" in value:
        value = LexborHTMLParser(f"<body>{value}</body>").body.text(separator=" ") if "<" in value else value
    elif "&" in value:
        value = html.unescape(value)
    return clean_line(value)

"""Parse RSS 0.9x/1.0/2.0, Atom and JSON Feed bytes into a `ParsedFeed`."""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from tui_reader.fetch.errors import NotAFeed
from tui_reader.fetch.jsonfeed import looks_like_json, parse_json_feed
from tui_reader.fetch.text import html_to_line
from tui_reader.models import FeedEntry, ParsedFeed
from tui_reader.sanitize import clean_text, safe_url

# An internal DTD subset is where entity bombs live; feeds never need one.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.I | re.S)
_ENTITY_DECL = re.compile(rb"<!ENTITY[^>]*>", re.I | re.S)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Raise `NotAFeed` with a user-facing reason when the document yields no feed."""
    if looks_like_json(data, content_type):
        return parse_json_feed(data, url)
    if _HTML_START.match(data[:2048]):
        raise NotAFeed("not a feed: got an HTML page")
    data = _ENTITY_DECL.sub(b"", _DOCTYPE.sub(b"", data))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    feed = parsed.get("feed", {})
    if not parsed.get("version") and not parsed.get("entries"):
        if b"<html" in data[:4096].lower():
            raise NotAFeed("not a feed: got an HTML page")
        raise NotAFeed("not a feed: no RSS, Atom or JSON Feed found")
    ttl = feed.get("ttl")
    return ParsedFeed(
        title=html_to_line(feed.get("title", "")) or url,
        site_url=safe_url(urljoin(url, feed.get("link", "") or "")),
        entries=[_entry(e, url) for e in parsed.get("entries", [])],
        bozo=bool(parsed.get("bozo")),
        ttl_minutes=int(ttl) if isinstance(ttl, str) and ttl.strip().isdigit() else None,
        kind=parsed.get("version") or "rss",
    )


def _date(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _base(entry: Any, fallback: str) -> str:
    for key in ("link", "id"):
        detail = entry.get(f"{key}_detail") or {}
        if detail.get("base"):
            return str(detail["base"])
    title = entry.get("title_detail") or {}
    return str(title.get("base") or fallback)


def _image(entry: Any, base: str) -> str | None:
    candidates: list[str] = []
    for media in entry.get("media_content", []) or []:
        if str(media.get("medium", "image")) == "image" or str(media.get("type", "")).startswith("image/"):
            candidates.append(media.get("url", ""))
    candidates += [m.get("url", "") for m in entry.get("media_thumbnail", []) or []]
    for link in entry.get("links", []) or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            candidates.append(link.get("href", ""))
    for candidate in candidates:
        url = safe_url(urljoin(base, candidate or ""))
        if url:
            return url
    return None


def _entry(entry: Any, feed_url: str) -> FeedEntry:
    base = _base(entry, feed_url)
    content = ""
    for part in entry.get("content", []) or []:
        if len(part.get("value", "")) > len(content):
            content = part["value"]
    author = entry.get("author") or (entry.get("author_detail") or {}).get("name")
    guid = entry.get("id") or None
    return FeedEntry(
        guid=clean_text(str(guid)).strip() or None if guid else None,
        link=safe_url(urljoin(base, (entry.get("link") or "").strip())) if entry.get("link") else None,
        title=html_to_line(entry.get("title", "")),
        author=html_to_line(author) or None if author else None,
        published=_date(entry.get("published_parsed")) or None,
        updated=_date(entry.get("updated_parsed")),
        categories=[c for c in (html_to_line(t.get("term") or "") for t in entry.get("tags", []) or []) if c],
        summary=clean_text(entry.get("summary", "") or ""),
        content=clean_text(content),
        image=_image(entry, base),
    )

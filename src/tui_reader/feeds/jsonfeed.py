"""JSON Feed 1.0 and 1.1 (jsonfeed.org), which feedparser does not read.

Every field but `items` is optional in practice, so each is read defensively: a wrong type
counts as absent rather than failing the feed.
"""

from __future__ import annotations

import json
from typing import Any

from tui_reader.clean.text import html_to_line, plain_to_html
from tui_reader.feeds.dates import parse_date
from tui_reader.feeds.entries import content_key, enclosures, take_entries
from tui_reader.models import FeedEntry, ParsedFeed
from tui_reader.net.errors import NotAFeed
from tui_reader.sanitize import clean_text, safe_join

_BLANK = b"\xef\xbb\xbf \t\r\n"


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    """An object at the start, or a JSON content type on a body that is not markup."""
    first = data.lstrip(_BLANK)[:1]
    if first == b"{":
        return True
    return first != b"<" and "json" in (content_type or "").lower()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _url(base: str, value: Any) -> str | None:
    return safe_join(base, _str(value).strip()) if _str(value).strip() else None


def _authors(*sources: dict[str, Any]) -> str | None:
    """1.1 `authors` (a list), else 1.0 `author` (one object); the item's before the feed's."""
    for source in sources:
        people = source.get("authors")
        if not isinstance(people, list):
            people = [source.get("author")]
        names = [html_to_line(_str(p.get("name")), is_html=False)
                 for p in people if isinstance(p, dict)]
        names = [n for n in names if n]
        if names:
            return ", ".join(names)
    return None


def _attachments(item: dict[str, Any]) -> list[dict[str, Any]]:
    found = item.get("attachments")
    return [a for a in found if isinstance(a, dict)] if isinstance(found, list) else []


def _image(item: dict[str, Any], base: str) -> str | None:
    candidates = [item.get("image"), item.get("banner_image")]
    for attachment in _attachments(item):
        if _str(attachment.get("mime_type")).startswith("image/"):
            candidates.append(attachment.get("url"))
    return next((u for u in (_url(base, c) for c in candidates) if u), None)


def _entry(item: Any, doc: dict[str, Any], base: str) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    tags = item.get("tags")
    raw_id = item.get("id")
    guid = html_to_line(str(raw_id), is_html=False) if isinstance(raw_id, str | int) else ""
    link = _url(base, item.get("url")) or _url(base, item.get("external_url"))
    if not guid and not link:
        guid = content_key([_str(item.get(k)) for k in ("title", "summary", "content_html",
                                                          "content_text")]
                           + [_str(a.get("url")) for a in _attachments(item)]) or ""
    content = clean_text(_str(item.get("content_html"))
                         or plain_to_html(_str(item.get("content_text"))))
    summary = clean_text(plain_to_html(_str(item.get("summary"))))
    published = parse_date(item.get("date_published"))
    updated = parse_date(item.get("date_modified"))
    return FeedEntry(
        guid=guid or None,
        link=link,
        title=html_to_line(_str(item.get("title")), is_html=False),
        author=_authors(item, doc),
        published=published or updated,
        updated=updated,
        categories=[t for t in (html_to_line(t, is_html=False) for t in tags
                                if isinstance(t, str)) if t] if isinstance(tags, list) else [],
        summary=summary,
        content=content,
        image=_image(item, base),
        enclosures=enclosures(((a.get("url"), a.get("mime_type"), a.get("size_in_bytes"),
                                a.get("duration_in_seconds")) for a in _attachments(item)), base),
    )


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    """JSON is UTF-8 by definition (RFC 8259), whatever the header says."""
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise NotAFeed("not a feed: invalid JSON") from exc
    if not isinstance(doc, dict):
        raise NotAFeed("not a feed: JSON, but not a JSON Feed")
    version = _str(doc.get("version"))
    items = doc.get("items")
    if "jsonfeed.org/version" not in version and not isinstance(items, list):
        raise NotAFeed("not a feed: JSON, but not a JSON Feed")
    entries, cut = take_entries(items if isinstance(items, list) else [],
                                lambda item: _entry(item, doc, url))
    return ParsedFeed(
        title=html_to_line(_str(doc.get("title")), is_html=False) or url,
        site_url=_url(url, doc.get("home_page_url")),
        entries=entries,
        bozo="jsonfeed.org/version" not in version or not isinstance(doc.get("items"), list),
        kind="json" + (version.rsplit("/", 1)[-1] if "jsonfeed.org/version" in version else ""),
        cut=cut,
    )

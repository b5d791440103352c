"""JSON Feed 1.0 and 1.1, which feedparser does not read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from tui_reader.fetch.errors import NotAFeed
from tui_reader.fetch.text import html_to_line
from tui_reader.models import FeedEntry, ParsedFeed
from tui_reader.sanitize import clean_text, safe_url


def looks_like_json(data: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    text = _str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _authors(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for source in (item, feed):
        people = source.get("authors")
        if not isinstance(people, list):
            people = [source.get("author")]
        names = [html_to_line(_str(p.get("name"))) for p in people if isinstance(p, dict)]
        names = [n for n in names if n]
        if names:
            return ", ".join(names)
    return None


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="replace"))
    except (ValueError, RecursionError) as exc:
        raise NotAFeed("not a feed: invalid JSON") from exc
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in _str(doc.get("version")):
        raise NotAFeed("not a feed: JSON without a JSON Feed version")
    items = doc.get("items")
    entries: list[FeedEntry] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = safe_url(urljoin(url, _str(item.get("url")))) if item.get("url") else None
        image = _str(item.get("image")) or _str(item.get("banner_image"))
        tags = item.get("tags")
        entries.append(
            FeedEntry(
                guid=clean_text(str(item["id"])) if item.get("id") not in (None, "") else None,
                link=link,
                title=html_to_line(_str(item.get("title"))),
                author=_authors(item, doc),
                published=_date(item.get("date_published")),
                updated=_date(item.get("date_modified")),
                categories=[html_to_line(t) for t in tags if isinstance(t, str)] if isinstance(tags, list) else [],
                summary=clean_text(_str(item.get("summary"))),
                content=clean_text(_str(item.get("content_html")) or _str(item.get("content_text"))),
                image=safe_url(urljoin(url, image)) if image else None,
            )
        )
    return ParsedFeed(
        title=html_to_line(_str(doc.get("title"))) or url,
        site_url=safe_url(_str(doc.get("home_page_url"))),
        entries=entries,
        kind="json" + _str(doc.get("version")).rsplit("/", 1)[-1],
    )

"""Bookmarks written out with their full text, so they survive outside the app."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal

from tui_reader.markdown import block_to_markdown
from tui_reader.models import Article, Block, Span
from tui_reader.sanitize import safe_url
from tui_reader.store import ArticleRow, Store

Format = Literal["markdown", "json"]
Bookmark = tuple[ArticleRow, Article, datetime]


def export_bookmarks(store: Store, fmt: Format) -> tuple[str, int]:
    """The document and how many articles it holds."""
    marks = list(store.bookmarks())
    text = bookmarks_json(marks) if fmt == "json" else bookmarks_markdown(marks)
    return text, len(marks)


def bookmarks_json(marks: list[Bookmark]) -> str:
    articles = [
        {"id": row.id, "feed": row.feed_title, "bookmarked": when.isoformat(), **article.to_json()}
        for row, article, when in marks
    ]
    document = {"exported": _now(), "articles": articles}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _plain(text: str, href: str | None = None) -> str:
    """Web text as inert Markdown: escaped, so it cannot become markup."""
    return block_to_markdown(Block("p", [[Span(text, href)]]))


def bookmarks_markdown(marks: list[Bookmark]) -> str:
    parts = [f"<!-- tui-reader bookmarks, exported {_now()} -->"]
    parts += [article_markdown(article, row.feed_title, f"Bookmarked {when.date().isoformat()}")
              for row, article, when in marks]
    return "\n\n---\n\n".join(parts) + "\n"


def article_markdown(article: Article, feed_title: str, note: str | None = None) -> str:
    """One article as a Markdown document: title, link, byline, `note`, text, related reads."""
    byline = [part for part in (
        article.author, article.published.date().isoformat() if article.published else None,
        feed_title or article.site_name,
    ) if part]
    head = [f"# {_plain(article.title or '(untitled)')}", ""]
    if article.url:
        head.append(_plain(article.url, article.url) + "  ")
    if byline:
        head.append(_plain(" · ".join(byline)) + "  ")
    if note:
        head.append(note)
    related = [f"- {_plain(link.title, link.url)}" for link in article.related]
    media = [f"- {_plain(url, url)}" for e in article.enclosures if (url := safe_url(e.url))]
    body = [article.markdown] + (["## Related", "\n".join(related)] if related else [])
    body += ["## Media", "\n".join(media)] if media else []
    return "\n".join(head).rstrip() + "\n\n" + "\n\n".join(body)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

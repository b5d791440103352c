"""Plain data shared by every layer; no I/O and no third-party imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from tui_reader.body import Block, BlockKind, Span
from tui_reader.markdown import blocks_to_markdown

# The body's types are named here too: every layer imports its plain data from this module.
__all__ = ["Article", "Block", "BlockKind", "Enclosure", "FeedEntry", "Link", "ParsedFeed", "Span",
           "TextSource"]

TextSource = Literal["page", "feed-content", "feed-summary", "none"]


@dataclass(frozen=True, slots=True)
class Link:
    """A titled link: a related read, or a link inside an article body."""

    title: str
    url: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url}


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file an entry carries (a podcast's audio, a video, a picture), at an absolute
    http(s) URL; `length` in bytes and `duration` in seconds, as the feed gives them."""

    url: str
    type: str | None = None
    length: int | None = None
    duration: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "type": self.type, "length": self.length,
                "duration": self.duration}


@dataclass(slots=True)
class Article:
    """A cleaned article, as `extract_article` returns it and the store keeps it."""

    url: str | None = None
    title: str = ""
    author: str | None = None
    published: datetime | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    site_name: str | None = None
    blocks: list[Block] = field(default_factory=list)
    related: list[Link] = field(default_factory=list)
    source: TextSource = "page"
    truncated: bool = False
    # Files the feed entry carried (a podcast's audio, a trailer), numbered after the links.
    enclosures: list[Enclosure] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body as plain text, blank line between blocks, without the title."""
        return "\n\n".join([text for b in self.blocks if b.kind != "img" and (text := b.text)])

    @property
    def markdown(self) -> str:
        return blocks_to_markdown(self.blocks)

    @property
    def links(self) -> list[Link]:
        """Every link in the body, in reading order, numbered from 1 by the reader."""
        found: list[Link] = []
        for block in self.blocks:
            for line in block.lines:
                found.extend(Link(s.text, s.href) for s in line if s.href)
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "image": self.image,
            "tags": list(self.tags),
            "site_name": self.site_name,
            "source": self.source,
            "truncated": self.truncated,
            "text": self.text,
            "markdown": self.markdown,
            "related": [link.to_dict() for link in self.related],
            "enclosures": [e.to_dict() for e in self.enclosures],
        }


@dataclass(slots=True)
class FeedEntry:
    """One item of a parsed feed, before its page is downloaded."""

    guid: str | None = None
    link: str | None = None
    title: str = ""
    author: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    categories: list[str] = field(default_factory=list)
    summary: str = ""
    content: str = ""
    image: str | None = None
    enclosures: list[Enclosure] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """Identity used to dedupe: the guid, else the link (the parsers give an entry with
        neither a guid made from its content)."""
        return self.guid or self.link


@dataclass(slots=True)
class ParsedFeed:
    """A feed document reduced to what the reader keeps."""

    title: str
    site_url: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    bozo: bool = False
    ttl_minutes: int | None = None
    kind: str = "rss"
    # Entries the document held beyond what was kept (see feeds.entries.take_entries).
    cut: int = 0

"""OPML 1.0/2.0 import and export, with nested outlines as folders."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from tui_reader.sanitize import clean_line, safe_url

_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.I | re.S)


class OpmlError(Exception):
    """The file is not OPML."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    folder: str | None


def parse_opml(text: str) -> tuple[list[OpmlFeed], list[str]]:
    """Feeds to add, and the xmlUrl values skipped because they are not http(s)."""
    try:
        root = ET.fromstring(_DOCTYPE.sub("", text))  # noqa: S314 - DTDs removed first
    except ET.ParseError as exc:
        raise OpmlError(f"not an OPML file: {exc}") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("not an OPML file: no <opml><body>")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []

    def walk(node: ET.Element, folder: str | None) -> None:
        for outline in node.findall("outline"):
            title = clean_line(outline.get("title") or outline.get("text") or "")
            raw = outline.get("xmlUrl") or outline.get("xmlurl")
            if raw is None:
                walk(outline, "/".join(p for p in (folder, title) if p) or None)
                continue
            url = safe_url(raw)
            if url is None:
                skipped.append(clean_line(raw))
            else:
                feeds.append(OpmlFeed(url, title, folder))

    walk(body, None)
    return feeds, skipped


def write_opml(feeds: list[OpmlFeed], title: str = "tui-reader subscriptions") -> str:
    """OPML 2.0 with one outline level per folder segment."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    open_path: list[str] = []
    for feed in sorted(feeds, key=lambda f: ((f.folder or ""), f.title.lower())):
        path = feed.folder.split("/") if feed.folder else []
        common = 0
        while common < min(len(path), len(open_path)) and path[common] == open_path[common]:
            common += 1
        for depth in range(len(open_path), common, -1):
            lines.append("  " * (depth + 1) + "</outline>")
        for depth in range(common, len(path)):
            lines.append("  " * (depth + 2) + f"<outline text={quoteattr(path[depth])}>")
        open_path = path
        lines.append(
            "  "
            * (len(path) + 2)
            + f'<outline type="rss" text={quoteattr(feed.title)} title={quoteattr(feed.title)}'
            f" xmlUrl={quoteattr(feed.url)}/>"
        )
    for depth in range(len(open_path), 0, -1):
        lines.append("  " * (depth + 1) + "</outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

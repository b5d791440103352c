"""OPML 1.0/2.0 import and export, with nested outlines as folders."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from tui_reader.files import read_bounded
from tui_reader.sanitize import clean_line, safe_url
from tui_reader.scalars import shorten

_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.I | re.S)
# A subscription list of tens of thousands of feeds is a few MiB; /dev/zero is endless.
MAX_OPML_BYTES = 16 * 2**20
# Folders deeper than this are folded into their eighth level: no reader shows more.
MAX_FOLDER_DEPTH = 8
# Characters XML 1.0 cannot hold at all, even escaped, beyond the controls clean_line drops.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


class OpmlError(Exception):
    """The file is not OPML."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str
    folder: str | None


def read_opml(path: Path) -> str:
    """The text of an OPML file, refused past `MAX_OPML_BYTES` without reading further."""
    try:
        data = read_bounded(path, MAX_OPML_BYTES)
    except OSError as exc:
        raise OpmlError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if data is None:
        raise OpmlError(f"{path} is larger than {MAX_OPML_BYTES // 2**20} MiB: not an OPML file")
    return data.decode("utf-8", errors="replace")


def parse_opml(text: str) -> tuple[list[OpmlFeed], list[str]]:
    """Feeds to add, and the xmlUrl values skipped because they are not http(s).

    The outlines are walked with a stack, not by recursion, so any nesting the XML parser
    accepts is read; folders deeper than `MAX_FOLDER_DEPTH` are folded into the last level.
    """
    try:
        root = ET.fromstring(_DOCTYPE.sub("", text))  # noqa: S314 - DTDs removed first
    except (ET.ParseError, RecursionError) as exc:
        raise OpmlError(f"not an OPML file: {shorten(str(exc))}") from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("not an OPML file: no <opml><body>")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    stack: list[tuple[Iterator[ET.Element], tuple[str, ...]]] = [
        (iter(body.findall("outline")), ())]
    while stack:
        outlines, folder = stack[-1]
        outline = next(outlines, None)
        if outline is None:
            stack.pop()
            continue
        title = clean_line(outline.get("title") or outline.get("text") or "")
        raw = outline.get("xmlUrl") or outline.get("xmlurl")
        if raw is None:
            deeper = (*folder, title) if title and len(folder) < MAX_FOLDER_DEPTH else folder
            stack.append((iter(outline.findall("outline")), deeper))
            continue
        url = safe_url(raw)
        if url is None:
            skipped.append(shorten(clean_line(raw)))
        else:
            feeds.append(OpmlFeed(url, title, "/".join(folder) or None))
    return feeds, skipped


def write_opml(feeds: list[OpmlFeed], title: str = "tui-reader subscriptions") -> str:
    """OPML 2.0 with one outline level per folder segment. Every value is cleaned as a line
    first: a title with an escape sequence would otherwise make the file invalid XML."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape(_line(title))}</title></head>",
        "  <body>",
    ]
    open_path: list[str] = []
    cleaned = sorted(((_folder(f.folder), _line(f.title), _line(f.url)) for f in feeds),
                     key=lambda f: (f[0], f[1].lower()))
    for path, title, url in cleaned:
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
            + f'<outline type="rss" text={quoteattr(title)} title={quoteattr(title)}'
            f" xmlUrl={quoteattr(url)}/>"
        )
    for depth in range(len(open_path), 0, -1):
        lines.append("  " * (depth + 1) + "</outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _line(value: str) -> str:
    return _NOT_XML.sub("", clean_line(value))


def _folder(folder: str | None) -> list[str]:
    """A folder's segments as the import reads them back: cleaned, none empty."""
    return [part for part in map(_line, (folder or "").split("/")) if part]

"""What every feed format's entries go through: how many are kept, the key of one with
neither a guid nor a link, and its enclosures."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from feedparser.urls import _urljoin

from tui_reader.clean.text import html_to_line
from tui_reader.feeds.xmlfeed import joins_to_itself
from tui_reader.models import Enclosure, FeedEntry
from tui_reader.sanitize import clean_line, safe_join, safe_url
from tui_reader.scalars import ScalarError, parse_int

# A news feed never needs more entries than this; a hostile one could send 100k.
MAX_ENTRIES = 500
# Podcasts and archive feeds list hundreds of short entries: past MAX_ENTRIES a feed keeps
# going while the entries taken hold less than SMALL_TEXT characters in all, up to MAX_SMALL.
SMALL_TEXT = 2 * 1024 * 1024
MAX_SMALL = 5000
# An entry without a title is listed by the start of its text, cut at a word within this.
UNTITLED_CHARS = 80

T = TypeVar("T")


def take_entries(raw: Sequence[T], convert: Callable[[T], FeedEntry | None]
                 ) -> tuple[list[FeedEntry], int]:
    """The entries kept, converted one by one so that those cut cost nothing, and how many
    of the document's were left out. An entry without a title takes the start of its text
    (RSS 0.92 items and microblog posts have none), so a list of them is not a column of
    blanks."""
    kept: list[FeedEntry] = []
    text = 0
    for taken, item in enumerate(raw):
        if taken >= MAX_ENTRIES and (taken >= MAX_SMALL or text >= SMALL_TEXT):
            return kept, len(raw) - taken
        entry = convert(item)
        if entry is not None:
            if not entry.title:
                entry.title = _title_from(entry.summary or entry.content)
            kept.append(entry)
            text += len(entry.title) + len(entry.summary) + len(entry.content)
    return kept, 0


def _title_from(markup: str) -> str:
    text = html_to_line(markup, limit=UNTITLED_CHARS * 4)
    if len(text) <= UNTITLED_CHARS:
        return text
    cut = text.rfind(" ", 0, UNTITLED_CHARS)
    return text[:cut if cut > UNTITLED_CHARS // 2 else UNTITLED_CHARS].rstrip(" ,;:.-") + "…"


def joined(base: str, ref: str) -> str | None:
    """`safe_join`, without urllib's join (a tenth of a feed's parse once per link) for the
    usual absolute link, which that join would give back as it is."""
    return safe_url(ref) if joins_to_itself(base, ref) else safe_join(base, ref)


def former_key(guid: str, base: str) -> str | None:
    """The key releases that resolved ids against the feed's address stored an entry under
    ("https://host/r/t3_157awnr" for "t3_157awnr"), when it is not the id as written."""
    if joins_to_itself(base, guid):
        return None
    resolved = clean_line(_urljoin(base, guid))
    return resolved if resolved and resolved != guid else None


def content_key(parts: Iterable[str]) -> str | None:
    """A key for an entry with no guid and no link (RSS 0.92 items that are a description and
    an enclosure): a digest of what it says and links to, as written in the document, so it
    holds as long as the entry does and whatever address the feed is read from."""
    text = "\x1f".join(part.strip() for part in parts)
    if not text.strip("\x1f"):
        return None
    return "content:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:40]


# An entry lists a few files; a hostile one could list thousands.
MAX_ENCLOSURES = 20
# 10 TB, and 100 days: beyond either a number is not a file's.
_MAX_LENGTH = 10**13
_MAX_DURATION = 100 * 86400
_DURATION = re.compile(r"(?:(?:(\d{1,4}):)?(\d{1,4}):)?(\d{1,9})(?:\.\d{0,9})?", re.ASCII)


def enclosures(candidates: Iterable[tuple[Any, Any, Any, Any]], base: str,
               duration: Any = None) -> list[Enclosure]:
    """The entry's files from (url, type, length, duration) as the feed wrote them, in order,
    one per URL (a later mention fills what an earlier one left out); `duration`, the
    entry's own (itunes:duration), goes to the first audio or video file without one."""
    found: dict[str, Enclosure] = {}
    for url, kind, length, seconds in candidates:
        address = joined(base, url.strip()) if isinstance(url, str) and url.strip() else None
        if not address:
            continue
        new = Enclosure(address, _text(kind), _number(length, _MAX_LENGTH),
                        parse_duration(seconds))
        old = found.get(address)
        if old is not None:
            new = Enclosure(address, old.type or new.type, old.length or new.length,
                            old.duration or new.duration)
        elif len(found) >= MAX_ENCLOSURES:
            break
        found[address] = new
    files = list(found.values())
    entry_duration = parse_duration(duration)
    if entry_duration:
        for n, file in enumerate(files):
            if file.duration is None and (file.type or "").startswith(("audio/", "video/")):
                files[n] = replace(file, duration=entry_duration)
                break
    return files


def parse_duration(value: Any) -> int | None:
    """Seconds from "3723", "3723.5", "62:03" or "1:02:03"; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    match = _DURATION.fullmatch(str(value).strip())
    if match is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return total if 0 < total <= _MAX_DURATION else None


def _number(value: Any, ceiling: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        return parse_int(str(value), low=1, high=ceiling, what="length")
    except ScalarError:
        return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return clean_line(value)[:200] or None

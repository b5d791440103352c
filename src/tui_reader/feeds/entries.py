"""What every feed format's entries go through: how many are kept, and the key of one with
neither a guid nor a link."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from tui_reader.models import FeedEntry

# A news feed never needs more entries than this; a hostile one could send 100k.
MAX_ENTRIES = 500
# Podcasts and archive feeds list hundreds of short entries: past MAX_ENTRIES a feed keeps
# going while the entries taken hold less than SMALL_TEXT characters in all, up to MAX_SMALL.
SMALL_TEXT = 2 * 1024 * 1024
MAX_SMALL = 5000

T = TypeVar("T")


def take_entries(raw: Sequence[T], convert: Callable[[T], FeedEntry | None]
                 ) -> tuple[list[FeedEntry], int]:
    """The entries kept, converted one by one so that those cut cost nothing, and how many
    of the document's were left out."""
    kept: list[FeedEntry] = []
    text = 0
    for taken, item in enumerate(raw):
        if taken >= MAX_ENTRIES and (taken >= MAX_SMALL or text >= SMALL_TEXT):
            return kept, len(raw) - taken
        entry = convert(item)
        if entry is not None:
            kept.append(entry)
            text += len(entry.title) + len(entry.summary) + len(entry.content)
    return kept, 0


def content_key(parts: Iterable[str]) -> str | None:
    """A key for an entry with no guid and no link (RSS 0.92 items that are a description and
    an enclosure): a digest of what it says and links to, as written in the document, so it
    holds as long as the entry does and whatever address the feed is read from."""
    text = "\x1f".join(part.strip() for part in parts)
    if not text.strip("\x1f"):
        return None
    return "content:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:40]

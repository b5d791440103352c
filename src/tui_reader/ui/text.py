"""Web text made into Textual `Content`: plain, sanitised, never parsed as markup."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from datetime import UTC, datetime
from functools import partial

from textual.content import Content

from tui_reader.models import Article, Block, Enclosure, Span
from tui_reader.sanitize import clean_line, clean_text, display_url, safe_url

WORDS_PER_MINUTE = 230
_MARKERS = re.compile("[\x02\x03]")
_WS = re.compile(r"\s+")


def plain(text: str | None) -> Content:
    """Untrusted text as literal content: no markup, no control characters."""
    return Content(clean_line(text or ""))


def now() -> datetime:
    """The clock the UI's relative dates read; tests pin it."""
    return datetime.now(UTC)


# (unit, its seconds, used below this age): minutes for an hour, hours for a day, days for a week.
_AGES = (("m", 60, 3600), ("h", 3600, 86400), ("d", 86400, 7 * 86400))


def relative_date(when: datetime | None) -> str:
    if when is None:
        return ""
    seconds = (now() - when).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size, below in _AGES:
        if seconds < below:
            return f"{int(seconds // size)}{unit}"
    if seconds < 86400 * 365:
        return when.astimezone().strftime("%b %d")
    # Seven characters, like the shorter forms, so the list's date column holds it.
    return when.astimezone().strftime("%b '%y")


def snippet(text: str) -> Content:
    """A search snippet with the store's hit markers turned into highlight spans."""
    chunks = _MARKERS.split(text)
    parts = [
        (_WS.sub(" ", clean_text(c)), "bold $accent" if n % 2 else "") for n, c in enumerate(chunks)
    ]
    return Content.assemble(*parts)


def reading_minutes(article: Article) -> int:
    return max(1, round(len(article.text.split()) / WORDS_PER_MINUTE))


SOURCE_LABELS = {
    "page": "cleaned from the page",
    "feed-content": "from the feed's full text",
    "feed-summary": "from the feed's summary only",
    "none": "no text found",
}


Piece = Callable[[], Content]
# Blocks whose lines are drawn by `inline`, and so the only ones whose links get numbers.
LINKED_KINDS = frozenset(("p", "ul", "ol", "quote", "embed"))


def render_body(
    article: Article, cut: Container[int] = ()
) -> tuple[list[list[Piece] | int], list[str]]:
    """The body as runs of pieces, split only at the blocks whose index is in `cut` (pictures),
    which stand in the list as that index for the caller to draw; and the link URLs in [n]
    order.

    A piece makes its Content when called, so a long article's blocks are turned into Content
    as the reader reaches them; the link numbers are settled here, in one cheap pass."""
    links: list[str] = []
    runs: list[list[Piece] | int] = []
    pieces: list[Piece] = []
    for n, block in enumerate(article.blocks):
        if n in cut:
            if pieces:
                runs.append(pieces)
                pieces = []
            runs.append(n)
            continue
        first = len(links) + 1
        if block.kind in LINKED_KINDS:
            # Checked again here: rows stored before a fix must not list a bad link either.
            links += [href for line in block.lines for span in line
                      if (href := safe_url(span.href))]
        pieces.append(partial(_block, block, first))
    if article.truncated:
        pieces.append(partial(Content.styled, "[article cut: too long to keep whole]",
                              "italic $text-muted"))
    if links:
        pieces.append(partial(_listing, tuple(links)))
    # The feed's files (a podcast's audio, a trailer) number on after the body's links.
    media = [(url, e) for e in article.enclosures if (url := safe_url(e.url))]
    if media:
        pieces.append(partial(_media, tuple(media), len(links) + 1))
        links += [url for url, _ in media]
    if pieces:
        runs.append(pieces)
    return runs, links


def _listing(links: tuple[str, ...]) -> Content:
    listing = [Content.styled("Links", "bold")]
    listing += [
        Content.assemble((f"[{n}] ", "$text-accent"), display_url(url))
        for n, url in enumerate(links, 1)
    ]
    return Content("\n").join(listing)


def _media(media: tuple[tuple[str, Enclosure], ...], first: int) -> Content:
    listing = [Content.styled("Media", "bold")]
    listing += [
        Content.assemble((f"[{n}] ", "$text-accent"), display_url(url),
                         (f"  {about}" if (about := enclosure_label(e)) else "", "$text-muted"))
        for n, (url, e) in enumerate(media, first)
    ]
    return Content("\n").join(listing)


def enclosure_label(enclosure: Enclosure) -> str:
    """What a file is and how long it runs: "audio/mpeg · 1:02:05 · 59.0 MB"."""
    parts = [clean_line(enclosure.type or "")]
    if enclosure.duration:
        minutes, seconds = divmod(enclosure.duration, 60)
        hours, minutes = divmod(minutes, 60)
        parts.append(f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}")
    if enclosure.length:
        size = enclosure.length
        parts.append(f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{max(1, size // 1000)} kB")
    return " · ".join(p for p in parts if p)


def _block(block: Block, first_link: int) -> Content:
    """One block; its links are numbered from `first_link`."""
    number = first_link

    def inline(line: list[Span]) -> Content:
        nonlocal number
        parts: list[str | tuple[str, str]] = []
        for span in line:
            text = clean_text(span.text).replace("\n", " ")
            if safe_url(span.href):
                parts.append((text, "underline"))
                parts.append((f"[{number}]", "$text-accent"))
                number += 1
            else:
                parts.append(text)
        return Content.assemble(*parts)

    if block.kind == "h":
        return Content.assemble((clean_line(block.text), "bold $accent"))
    if block.kind in ("ul", "ol"):
        items = []
        for n, line in enumerate(block.lines, 1):
            bullet = f"{n}. " if block.kind == "ol" else "• "
            items.append(Content.assemble("  ", (bullet, "$text-muted"), inline(line)))
        return Content("\n").join(items)
    if block.kind == "quote":
        return Content("\n").join(
            Content.assemble(("▌ ", "$accent"), inline(line).stylize("italic"))
            for line in block.lines
        )
    if block.kind == "pre":
        code = "\n".join(clean_text("".join(s.text for s in line)) for line in block.lines)
        return Content.styled(code, "$text-muted")
    if block.kind == "img":
        caption = clean_line(block.text) or "image"
        return Content.styled(f"[image: {caption}]", "italic $text-muted")
    return Content("\n").join(inline(line) for line in block.lines)

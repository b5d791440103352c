"""The site's own related reads: interstitial lines ("ALSO READ- <link>", "Read More: <link>",
"Related: <links>") and related-post boxes (Jetpack, YARPP, "You may also like")."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from tui_reader.clean import select
from tui_reader.models import Link, Span
from tui_reader.sanitize import clean_line, safe_join, safe_url

_PREFIX = re.compile(
    r"\s*(?:also read|read also|read more|more to read|read next|read|related( stories| posts"
    r"| articles| reads| coverage| content)?|see also|also see|also|more|watch|don'?t miss"
    r"|must read|recommended( reading)?|more from [^:]{1,40}|you (?:may|might) also like"
    r"|editor'?s pick)\s*(?:[:>»|–—-]+|\s-\s)",
    re.I,
)
_HEADING = re.compile(
    r"\s*(?:related( stories| posts| articles| reads| coverage| content)?|see also"
    r"|you (?:may|might) (?:also )?(?:like|enjoy)|recommended( for you| reading)?"
    r"|read (?:more|next|also)|also read|more (?:on|about) this( story| topic)?"
    r"|more from [^:.!?]{1,40})\s*[:.!]?\s*",
    re.I,
)
# An "ALSO READ- <headline>" line whose headline is not linked (the site's script links it).
_UNLINKED = re.compile(
    r"\s*(?:also read|read also|read more|read next|see also|must read)"
    r"\s*(?:[:>»|–—-]+|\s-\s)\s*(.{8,150})",
    re.I,
)


def absolute(base: str | None, href: str | None) -> str | None:
    """An absolute http(s) URL for an href, or None (javascript:, data:, mailto:, junk)."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return safe_url(href)
    return safe_join(base or "", href)


def interstitial(line: list[Span]) -> list[Link] | None:
    """The links of an "ALSO READ: <link>" style line, or None when it is prose."""
    text = "".join([s.text for s in line])
    prefix = _PREFIX.match(text)
    if prefix is None:
        return None
    links = [Link(clean_line(s.text), s.href) for s in line if s.href and s.text.strip()]
    linked = sum(len(link.title) for link in links)
    if links and linked >= 0.6 * (len(text) - prefix.end()):
        return links
    return None


def unlinked(text: str) -> str | None:
    """The headline of an unlinked "ALSO READ- <headline>" line, or None when it is prose."""
    match = _UNLINKED.fullmatch(text)
    return clean_line(match[1]) if match else None


def also_read(headlines: list[str], page: LexborNode | None, base: str | None) -> list[Link]:
    """The page's links whose text is one of `headlines` (an unlinked "ALSO READ" line
    names a story the page links elsewhere, in a teaser box or a menu)."""
    wanted = {_fold(headline) for headline in headlines}
    if not wanted or page is None:
        return []
    found = []
    for anchor in select.css(page, "a[href]"):
        title = clean_line(anchor.text(separator=" "))
        if _fold(title) in wanted and (url := absolute(base, anchor.attributes.get("href"))):
            wanted.discard(_fold(title))
            found.append(Link(title, url))
    return found


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def is_heading(text: str) -> bool:
    """A label such as "Related Posts" or "You may also like" that introduces a link list."""
    return len(text) < 60 and _HEADING.fullmatch(text) is not None


def harvest(node: LexborNode, base: str | None) -> list[Link]:
    """Headline-like links of a related-posts box, in page order, without duplicates."""
    found: list[Link] = []
    seen: set[str] = set()
    for anchor in select.css(node, "a[href]"):
        url = absolute(base, anchor.attributes.get("href"))
        title = clean_line(anchor.text(separator=" "))
        if url and url not in seen and len(title) >= 12 and " " in title:
            seen.add(url)
            found.append(Link(title, url))
    return found

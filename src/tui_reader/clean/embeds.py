"""Embedded players and posts as body blocks.

An entertainment story often says "Watch it below." and then shows a trailer, a post or a
song: the embed is part of what the reader came for. Each becomes one `embed` block, a label
such as `▶ Trailer — YouTube: <title>` linked to the item's own page (not the player), so
the text, Markdown and the reader show and number it like any other link. Only embeds from
known hosts count; other iframes are ads, forms and trackers.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from tui_reader.clean import select
from tui_reader.clean.related import absolute
from tui_reader.models import Block, Span
from tui_reader.sanitize import clean_line

# Host (without "www.") → (provider's name, what its items are).
_HOSTS = {
    "youtube.com": ("YouTube", "Video"),
    "m.youtube.com": ("YouTube", "Video"),
    "youtube-nocookie.com": ("YouTube", "Video"),
    "youtu.be": ("YouTube", "Video"),
    "vimeo.com": ("Vimeo", "Video"),
    "player.vimeo.com": ("Vimeo", "Video"),
    "instagram.com": ("Instagram", "Post"),
    "twitter.com": ("X", "Post"),
    "x.com": ("X", "Post"),
    "platform.twitter.com": ("X", "Post"),
    "tiktok.com": ("TikTok", "Video"),
    "open.spotify.com": ("Spotify", "Music"),
    "music.apple.com": ("Apple Music", "Music"),
    "embed.music.apple.com": ("Apple Music", "Music"),
}
# What the path (and query) of one item looks like, by provider.
_ITEMS = {
    "YouTube": re.compile(r"^/(?:watch\?(?:.*&)?v=|shorts/|embed/|[\w-]{11}\?)"),
    "Vimeo": re.compile(r"^/(?:video/)?\d+"),
    "Instagram": re.compile(r"^/(?:p|reel|tv)/[\w-]+"),
    "X": re.compile(r"^/(?:\w+/status/\d+|embed/)"),
    "TikTok": re.compile(r"^/(?:@[\w.-]+/video/\d+|embed/)"),
    "Spotify": re.compile(r"^/(?:embed/)?(?:track|album|playlist|episode|show)/\w+"),
    "Apple Music": re.compile(r"^/(?:\w\w/)?(?:album|playlist|song|music-video)/"),
}
# Player URLs rewritten to the item's page, which is what a reader can open.
_PAGES = (
    (re.compile(r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"),
     "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^https?://player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
    (re.compile(r"^https?://open\.spotify\.com/embed/(.+?)(?:\?.*)?$"),
     "https://open.spotify.com/{}"),
    (re.compile(r"^https?://embed\.music\.apple\.com/(.+)$"), "https://music.apple.com/{}"),
    (re.compile(r"^https?://(?:www\.)?instagram\.com/(p|reel|tv)/([\w-]+)/embed"),
     "https://www.instagram.com/{}/{}/"),
)
# Blockquotes that the providers' scripts turn into posts, by class.
_POST_CLASSES = re.compile(r"(?:^|\s)(?:twitter-tweet|instagram-media|tiktok-embed)(?=$|\s)")
_MEDIA_KINDS = {"video": "Video", "audio": "Audio"}
_TITLE_MAX = 200
_EMBED_PREFIX = re.compile(r"^\s*(?:embed|player)?\s*[:–—-]\s*", re.I)
_TRAILER = re.compile(r"\btrailer\b", re.I)


def provider(url: str) -> tuple[str, str] | None:
    """The provider and item kind of a known host's URL to one item (a video, a post, a
    track), not to a channel, a profile or a share dialog."""
    parts = urlsplit(url)
    found = _HOSTS.get((parts.hostname or "").removeprefix("www."))
    if found is None or _ITEMS[found[0]].search(f"{parts.path}?{parts.query}") is None:
        return None
    return found


def _page_url(url: str) -> str:
    for pattern, page in _PAGES:
        match = pattern.match(url)
        if match:
            return page.format(*match.groups())
    return url


def block(url: str, title: str | None, kind: str, name: str | None) -> Block:
    """The embed's block: `▶ <kind> — <name>: <title>`, the label linked to `url`. A title
    that names a trailer makes the kind "Trailer"."""
    title = clean_line(title or "")
    if name and title.casefold().startswith(name.casefold()):
        # "Spotify Embed: <song>": the provider's own prefix says nothing the label does not.
        title = _EMBED_PREFIX.sub("", title[len(name):], count=1)
    title = title[:_TITLE_MAX]
    if title and _TRAILER.search(title) and kind == "Video":
        kind = "Trailer"
    label = f"▶ {kind}" + (f" — {name}" if name else "") + (f": {title}" if title else "")
    return Block("embed", [[Span(label, url)]], src=url)


def from_link(url: str, text: str) -> Block | None:
    """A paragraph that is nothing but a link to a known provider's item: an embed whose
    script did not run."""
    found = provider(url)
    if found is None:
        return None
    name, kind = found
    return block(url, None if text.strip().startswith(("http://", "https://")) else text,
                 kind, name)


def from_frame(node: LexborNode, base: str | None) -> Block | None:
    """An <iframe> of a known provider, or a <video>/<audio> with a followable source."""
    attrs = node.attributes
    tag = node.tag or ""
    title = attrs.get("title") or attrs.get("aria-label")
    if tag == "iframe":
        url = absolute(base, attrs.get("src") or attrs.get("data-src"))
        found = provider(url) if url else None
        if url is None or found is None:
            return None
        return block(_page_url(url), title, found[1], found[0])
    url = absolute(base, attrs.get("src"))
    if url is None:
        source = select.css_first(node, "source[src]")
        url = absolute(base, source.attributes.get("src")) if source is not None else None
    if url is None:
        return None
    found = provider(url)
    kind = _MEDIA_KINDS.get(tag, "Video")
    return block(url, title, found[1] if found else kind, found[0] if found else None)


def is_post(node: LexborNode) -> bool:
    return _POST_CLASSES.search(node.attributes.get("class") or "") is not None


def from_post(node: LexborNode, base: str | None, titled: bool) -> Block | None:
    """A provider's post blockquote (X, Instagram, TikTok): its permalink, titled by the
    post's first paragraph when `titled` (the post's text was not kept as a quote)."""
    attrs = node.attributes
    candidates = [attrs.get("data-instgrm-permalink"), attrs.get("cite")]
    candidates += [a.attributes.get("href") for a in reversed(select.css(node, "a[href]"))]
    url = next((u for c in candidates if (u := absolute(base, c)) and provider(u)), None)
    if url is None:
        return None
    name, kind = provider(url) or ("", "Post")
    paragraph = select.css_first(node, "p") if titled else None
    title = paragraph.text(separator=" ") if paragraph is not None else None
    # A permalink's query is the provider's tracking (`?ref_src=`, `?utm_source=`).
    return block(url.split("?", 1)[0], title, "Post" if name != "TikTok" else kind, name)

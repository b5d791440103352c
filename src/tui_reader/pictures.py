"""Pictures for stored articles: the lead image and the first few in the body, kept on disk.

Downloaded when an article is stored, so they are there offline and a bookmark keeps them; the
reader only reads the cache (and fills it for articles stored before pictures were on).
"""

from __future__ import annotations

import asyncio

from tui_reader.models import Article
from tui_reader.net.http import Fetcher
from tui_reader.net.images import Skipped, download_image
from tui_reader.paths import Paths
from tui_reader.sanitize import safe_url
from tui_reader.store import Store
from tui_reader.store.images import ImageCache

# Besides the lead image: enough for a review's stills, few enough to keep a refresh light.
MAX_BODY_PICTURES = 4


def picture_urls(article: Article) -> list[str]:
    """The pictures an article shows: its lead image, then the first body images, no repeats."""
    urls: list[str] = []
    lead = safe_url(article.image)
    if lead:
        urls.append(lead)
    body = 0
    for block in article.blocks:
        src = safe_url(block.src) if block.kind == "img" else None
        if src and src not in urls:
            urls.append(src)
            body += 1
            if body == MAX_BODY_PICTURES:
                break
    return urls


def prune_pictures(store: Store, paths: Paths, max_age_days: int) -> int:
    """Retention for the picture cache: old pictures go, bookmarked articles keep theirs."""
    keep = {url for _, article, _ in store.bookmarks() for url in picture_urls(article)}
    return ImageCache(paths.cache_dir / "images").prune(max_age_days, keep)


class Pictures:
    """Downloads pictures into an ImageCache through a run's shared, bounded Fetcher."""

    def __init__(self, cache: ImageCache) -> None:
        self.cache = cache

    @classmethod
    def at(cls, paths: Paths) -> Pictures:
        return cls(ImageCache(paths.cache_dir / "images"))

    async def save(self, fetcher: Fetcher, article: Article, *,
                   public_only: bool = False) -> dict[str, str]:
        """Cache the article's pictures; returns a note for each one that could not be kept.
        `public_only` keeps a public feed's pictures off private addresses."""
        return await self.fetch(fetcher, picture_urls(article), public_only=public_only)

    async def fetch(self, fetcher: Fetcher, urls: list[str], *,
                    public_only: bool = False) -> dict[str, str]:
        """Download what is neither cached nor known to be broken, one at a time (politer to
        the site, and one decoded picture in memory per article)."""
        notes: dict[str, str] = {}
        for url in urls:
            if await asyncio.to_thread(self.cache.has, url):
                continue
            note = await asyncio.to_thread(self.cache.note, url)
            if note:
                notes[url] = note
                continue
            result = await download_image(fetcher, url, public_only=public_only)
            if isinstance(result, Skipped):
                notes[url] = result.reason
                if result.lasting:
                    await asyncio.to_thread(self.cache.put_note, url, result.reason)
                continue
            try:
                await asyncio.to_thread(self.cache.put, url, result.data)
            except OSError as exc:  # a full disk costs the picture, not the article
                notes[url] = f"could not be cached ({exc.strerror or exc})"
        return notes

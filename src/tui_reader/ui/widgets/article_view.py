"""The reader's body: a header, the article's text and its pictures, inside a scroll view."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from tui_reader.models import Article
from tui_reader.pictures import Pictures, picture_urls
from tui_reader.sanitize import clean_line, safe_url
from tui_reader.ui.text import (
    SOURCE_LABELS,
    Piece,
    plain,
    reading_minutes,
    relative_date,
    render_body,
)
from tui_reader.ui.widgets.article_text import ArticleText
from tui_reader.ui.widgets.picture import Picture

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp

NO_TEXT = "No article text was found. Press o to open the page in your browser."


class ArticleView(VerticalScroll):
    """The text between two pictures is one ArticleText, which wraps a long article lazily so
    it opens at once. Pictures come from the cache in a worker after the text is up."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.links: list[str] = []
        # The reader's `i` key; config.toml's `[reader] images` can still forbid them.
        self.pictures_on = True
        self._shown: tuple[Article, str] | None = None
        # Quick n/p presses overlap; each swap of widgets must finish before the next begins.
        self._placing = asyncio.Lock()
        # Where to scroll once the text is wrapped that far (a remembered position).
        self._scroll_target: float | None = None

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    @property
    def pictures_allowed(self) -> bool:
        return self.reader_app.settings.images

    @property
    def body(self) -> ArticleText:
        return self.query_one("#article-body", ArticleText)

    @property
    def body_ready(self) -> bool:
        """The first screen of text is wrapped and laid out."""
        return self.body.wrapped_lines > 0 and self.body.size.height > 0

    def compose(self) -> ComposeResult:
        yield Static(id="article-header")
        yield ArticleText(id="article-body", classes="article-text")

    def show(self, article: Article, feed_title: str) -> AwaitComplete:
        """Text at once; await the result to know the pictures' places are laid out."""
        self._shown = (article, feed_title)
        urls = picture_urls(article) if self.pictures_on and self.pictures_allowed else []
        lead = urls[0] if urls and urls[0] == safe_url(article.image) else None
        places = self._places(article, set(urls))
        runs, self.links = render_body(article, places)
        before: list[Widget] = []
        # A body picture repeating the lead image lends it its caption instead of showing twice.
        repeat = next((n for n, url in places.items() if url == lead), None)
        if lead:
            caption = clean_line(article.blocks[repeat].text) if repeat is not None else ""
            before.append(Picture(lead, caption, "lead image"))
        after: list[Widget] = []
        body: list[Piece] | None = None
        for run in runs:
            if isinstance(run, list):
                if body is None:
                    body = run
                else:
                    after.append(ArticleText(run, classes="article-text article-more"))
            elif run != repeat:
                picture = Picture(places[run], clean_line(article.blocks[run].text))
                (before if body is None else after).append(picture)
        self._header(article, feed_title, lead_shown=lead is not None)
        self._scroll_target = None
        self.body.update(body or [partial(Content.styled, NO_TEXT, "$text-muted")])
        # A new article starts at its top, not where the one before was left.
        self.scroll_to(y=0, animate=False, immediate=True)
        return AwaitComplete(self._place(before, after))

    def scroll_when_wrapped(self, y: float) -> None:
        """Scroll to `y` once the text is wrapped (and so as tall as it will be)."""
        self._scroll_target = y
        if self._wrapped:
            self.call_after_refresh(self._scroll_to_target)

    @property
    def _wrapped(self) -> bool:
        return all(text.complete for text in self.query(ArticleText))

    @on(ArticleText.Wrapped)
    def _text_wrapped(self) -> None:
        if self._scroll_target is not None and self._wrapped:
            self.call_after_refresh(self._scroll_to_target)

    def _scroll_to_target(self) -> None:
        target, self._scroll_target = self._scroll_target, None
        if target is not None:
            self.scroll_to(y=target, animate=False)

    def toggle_pictures(self) -> None:
        if not self.pictures_allowed:
            self.notify("Pictures are turned off in config.toml ([reader] images)", timeout=3)
            return
        self.pictures_on = not self.pictures_on
        self.notify("Pictures on" if self.pictures_on else "Pictures off", timeout=2)
        if self._shown:
            self.show(*self._shown)

    @staticmethod
    def _places(article: Article, urls: set[str]) -> dict[int, str]:
        """Block index → picture URL for the body pictures shown, each URL once."""
        places: dict[int, str] = {}
        for n, block in enumerate(article.blocks):
            src = safe_url(block.src) if block.kind == "img" else None
            if src in urls and src not in places.values():
                places[n] = src
        return places

    def _header(self, article: Article, feed_title: str, *, lead_shown: bool) -> None:
        meta = [plain(part) for part in (feed_title or article.site_name, article.author) if part]
        if article.published:
            date = article.published.astimezone().strftime("%d %b %Y")
            ago = relative_date(article.published)
            # Within a week the age says more than the date; past that it would repeat it.
            meta.append(Content(f"{date} ({ago})" if ago[:1].isdigit() else date))
        meta.append(Content(f"{reading_minutes(article)} min read"))
        meta.append(Content(SOURCE_LABELS.get(article.source, article.source)))
        lines = [
            plain(article.title).stylize("bold"),
            Content(" · ").join(meta).stylize("$text-muted"),
        ]
        if article.image and not lead_shown:
            lines.append(Content.styled("[lead image]", "italic $text-muted"))
        self.query_one("#article-header", Static).update(Content("\n").join(lines))

    async def _place(self, before: list[Widget], after: list[Widget]) -> None:
        async with self._placing:
            await self.query(".article-more, Picture").remove()
            if before:
                await self.mount_all(before, before="#article-body")
            if after:
                await self.mount_all(after)
        if any(isinstance(w, Picture) for w in (*before, *after)):
            self._fill()

    @work(exclusive=True, group="pictures", exit_on_error=False)
    async def _fill(self) -> None:
        """From the cache first; what is missing is downloaded, unless the app is offline.

        The pictures are looked up here rather than passed in: Textual can keep a finished
        worker, and its arguments with it, alive for a while, and these hold decoded images.
        """
        app = self.reader_app
        pictures = list(self.query(Picture).results(Picture))
        service = Pictures.at(app.paths)
        missing = [picture for picture in pictures if not await picture.load(service.cache)]
        if not missing:
            return
        urls = [p.url for p in missing]
        notes: dict[str, str] = {}
        if not app.offline:
            notes = await app.network(lambda _, fetcher: service.fetch(fetcher, urls))
        for picture in missing:
            if not await picture.load(service.cache):
                picture.show_missing(notes.get(picture.url, "offline, and not in the cache"))

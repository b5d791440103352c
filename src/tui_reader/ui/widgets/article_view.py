"""The reader's body: a header and the article as one Content, inside a scroll view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui_reader.models import Article
from tui_reader.ui.text import SOURCE_LABELS, plain, reading_minutes, relative_date, render_body


class ArticleView(VerticalScroll):
    """One Static for the whole body: laying out a single Content is far cheaper than a widget
    per block, which keeps long articles opening fast."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.links: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="article-header")
        yield Static(id="article-body")

    def show(self, article: Article, feed_title: str) -> None:
        body, self.links = render_body(article)
        meta = [plain(part) for part in (feed_title or article.site_name, article.author) if part]
        if article.published:
            meta.append(
                Content(
                    article.published.astimezone().strftime("%d %b %Y")
                    + f" ({relative_date(article.published)})"
                )
            )
        meta.append(Content(f"{reading_minutes(article)} min read"))
        meta.append(Content(SOURCE_LABELS.get(article.source, article.source)))
        lines = [
            plain(article.title).stylize("bold"),
            Content(" · ").join(meta).stylize("$text-muted"),
        ]
        if article.image:
            lines.append(Content.styled("[lead image]", "italic $text-muted"))
        self.query_one("#article-header", Static).update(Content("\n").join(lines))
        self.query_one("#article-body", Static).update(
            body
            or Content.styled(
                "No article text was found. Press o to open the page in your browser.",
                "$text-muted",
            )
        )

"""The related-reads sidebar: the site's own related links, then similar cached articles."""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui_reader.sanitize import display_url
from tui_reader.store import RelatedRead
from tui_reader.ui.text import plain

MARKER = 2  # "● " or "↗ ": the width wrapped lines hang under


class RelatedList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="related.down"),
        Binding("k", "cursor_up", "Up", show=False, id="related.up"),
    ]


def origin(read: RelatedRead) -> str:
    """Where a read comes from: the linked site's name, "same story" for another site's
    article on the same event, or "similar" for a cached look-alike."""
    if read.same_story:
        return "same story"
    if not read.from_site:
        return "similar"
    host = urlsplit(display_url(read.url)).hostname if read.url else None
    return (host or "related link").removeprefix("www.")


def related_prompt(read: RelatedRead, width: int) -> Content:
    """The title with its wrapped lines hanging under its first word, and its origin dimmed on
    a line of its own below."""
    marker = ("● ", "$success") if read.cached else ("↗ ", "$text-muted")
    lines = plain(read.title or read.url).wrap(max(8, width - MARKER))
    title = Content("\n" + " " * MARKER).join(lines)
    source = Content.styled(" " * MARKER + origin(read), "$text-muted")
    return Content("\n").join([Content.assemble(marker, title), source])


class RelatedSidebar(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reads: list[RelatedRead] = []
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Label("Related reads", classes="sidebar-title")
        yield RelatedList(id="related-list", markup=False)

    @property
    def options(self) -> OptionList:
        return self.query_one("#related-list", OptionList)

    def show(self, reads: list[RelatedRead], *, keep: bool = False) -> None:
        """List the reads, the first highlighted, or the one that was if `keep`."""
        self.reads = reads
        self._width = self.options.scrollable_content_region.width
        width = self._width or 34
        options: list[Option | None] = []
        for read in reads:
            if options:
                options.append(None)
            options.append(Option(related_prompt(read, width)))
        if not options:
            options.append(Option(Content.styled("No related reads", "$text-muted"), disabled=True))
        highlighted = (self.options.highlighted or 0) if keep else 0
        self.options.set_options(options)
        self.options.highlighted = highlighted if reads else None

    def on_resize(self, event: events.Resize) -> None:
        """Titles are wrapped to the width, so a new width wraps them again."""
        if self.reads and self.options.scrollable_content_region.width != self._width:
            self.show(self.reads, keep=True)

    @property
    def current(self) -> RelatedRead | None:
        index = self.options.highlighted
        return self.reads[index] if index is not None and index < len(self.reads) else None

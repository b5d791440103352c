"""The related-reads sidebar: the site's own related links, then similar cached articles."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui_reader.store import RelatedRead
from tui_reader.ui.text import plain


class RelatedSidebar(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reads: list[RelatedRead] = []

    def compose(self) -> ComposeResult:
        yield Label("Related reads", classes="sidebar-title")
        yield OptionList(id="related-list", markup=False)

    @property
    def options(self) -> OptionList:
        return self.query_one("#related-list", OptionList)

    def show(self, reads: list[RelatedRead]) -> None:
        self.reads = reads
        options: list[Option] = []
        for read in reads:
            marker = ("● ", "$success") if read.cached else ("↗ ", "$text-muted")
            origin = "" if read.from_site else "  similar"
            options.append(
                Option(
                    Content.assemble(marker, plain(read.title or read.url), (origin, "$text-muted"))
                )
            )
        if not options:
            options.append(Option(Content.styled("No related reads", "$text-muted"), disabled=True))
        self.options.set_options(options)
        self.options.highlighted = 0 if reads else None

    @property
    def current(self) -> RelatedRead | None:
        index = self.options.highlighted
        return self.reads[index] if index is not None and index < len(self.reads) else None

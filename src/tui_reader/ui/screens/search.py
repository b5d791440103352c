"""Search: full-text results as you type, Enter opens one in the reader."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_reader.store import InvalidSearch, SearchHit, SearchTooBroad
from tui_reader.ui.text import plain, relative_date, snippet
from tui_reader.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp

DEBOUNCE = 0.12


class SearchScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "results", "Results", show=False, id="search.results"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(
                placeholder='Search articles: words, "a phrase", prefix*, title:word',
                id="search-input",
            )
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.hits:
            results.focus()
            results.highlighted = 0
            self._open(0)

    @work(exclusive=True, group="search")
    async def run_search(self, query: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        status = self.query_one("#search-status", Static)
        results = self.query_one("#search-results", OptionList)
        if not query.strip():
            self.hits = []
            results.clear_options()
            status.update("")
            return
        try:
            hits = await self.reader_app.library.run(lambda s: s.search(query, limit=100))
        except SearchTooBroad as exc:
            status.update(Content(str(exc)))
            return
        except InvalidSearch:
            status.update("invalid search")
            return
        self.hits = hits
        status.update(f"{len(hits)} result{'s' if len(hits) != 1 else ''}")
        options: list[Option | None] = []
        for hit in hits:
            if options:
                options.append(None)  # a rule between hits, so two-line results stay apart
            head = Content.assemble(
                plain(hit.row.title).stylize("bold"),
                "  ",
                Content.assemble(
                    plain(hit.row.feed_title),
                    " · ",
                    relative_date(hit.row.published or hit.row.sort_time),
                ).stylize("$text-muted"),
            )
            options.append(Option(Content("\n").join([head, snippet(hit.snippet)])))
        results.set_options(options)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        ids = [hit.row.id for hit in self.hits]
        self.reader_app.open_reader(ids, index)

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self.hits:
            results.focus()

    def action_back(self) -> None:
        self.dismiss()

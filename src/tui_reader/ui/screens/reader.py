"""The reader: one article, its links numbered, related reads beside it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

from platformdirs import user_downloads_path
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import OptionList

from tui_reader.export import article_markdown
from tui_reader.files import write_atomic
from tui_reader.models import Article
from tui_reader.sanitize import display_url, safe_url
from tui_reader.store import ArticleRow, RelatedRead, Store
from tui_reader.ui.screens.dialogs import SavePathScreen
from tui_reader.ui.screens.reader_keys import READER_BINDINGS
from tui_reader.ui.widgets.article_view import ArticleView
from tui_reader.ui.widgets.footer import Footer
from tui_reader.ui.widgets.related import RelatedSidebar

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp

SIDEBAR_MIN_WIDTH = 100
# Below this height the article loses its padding, so the first screen reaches the text.
SHORT_HEIGHT = 32


def save_folder() -> Path:
    """The user's download folder when there is one, else their home."""
    downloads = user_downloads_path()
    return downloads if downloads.is_dir() else Path.home()


class ReaderScreen(Screen[None]):
    BINDINGS = READER_BINDINGS

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] = []
        self.index = 0
        self.row: ArticleRow | None = None
        self.article: Article | None = None
        self._sidebar_chosen: bool | None = None
        self._history: list[int] = []
        # Set when the first open pushes the screen to compose it: the article loads then.
        self._pending = False
        # Set by the copy-numbered key: the next number copies its link instead of opening it.
        self._copy_next = False

    def open(self, ids: list[int], index: int) -> None:
        """Show `ids[index]`, with n and p stepping through `ids`.

        The app keeps one ReaderScreen. Once composed, it reads the article and lays it out
        before it is pushed again, so the first frame shows the new article rather than the
        one before it, and screen, text and sidebar come up in one repaint."""
        self.ids, self.index, self._history = ids, index, []
        if self.is_running:
            self.load(ids[index], opening=True)
        elif not self._pending:
            self._pending = True
            self.app.push_screen(self)

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="reader-panes"):
            yield ArticleView(id="article")
            yield RelatedSidebar(id="related")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def sidebar(self) -> RelatedSidebar:
        return self.query_one(RelatedSidebar)

    def on_mount(self) -> None:
        self._fit_sidebar(self.size.width)

    def on_screen_resume(self) -> None:
        if self._pending:
            self._pending = False
            self.view.focus()
            self.load(self.ids[self.index], opening=True)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_sidebar(event.size.width)

    def _fit_sidebar(self, width: int) -> None:
        shown = (
            self._sidebar_chosen if self._sidebar_chosen is not None else width >= SIDEBAR_MIN_WIDTH
        )
        self.sidebar.display = shown
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")

    def _remember_scroll(self) -> None:
        if self.row is not None:
            self.reader_app.scroll_memory[self.row.id] = self.view.scroll_y

    @work(exclusive=True, group="article")
    async def load(self, article_id: int, *, opening: bool = False) -> None:
        """Read an article and mark it read, show it, and when `opening`, bring the screen up.

        Opened from a list, its related reads come in the same trip to the store, so screen,
        text and sidebar come up in one repaint; stepping with n or p, the text is shown
        first and the related reads follow."""
        self._remember_scroll()

        def fetch(
            store: Store,
        ) -> tuple[ArticleRow | None, Article | None, list[RelatedRead] | None]:
            row, article = store.row(article_id), store.article(article_id)
            if row is not None and not row.read:
                store.set_read([article_id])
                row = store.row(article_id)
            return row, article, store.related(article_id) if article and opening else None

        row, article, related = await self.reader_app.library.run(fetch)
        self.reader_app.changed_rows.add(article_id)
        if row is None or article is None:
            self.notify("That article is no longer stored", severity="warning")
            return
        self.row, self.article = row, article
        placed = self.view.show(article, row.feed_title)
        if related is not None:
            self.sidebar.show(related)
        # Only an open brings the screen up: stepping, it may have been left meanwhile.
        if opening and self.app.screen is not self:
            self.view.focus()
            self.app.push_screen(self)
        await placed
        self.view.scroll_when_wrapped(self.reader_app.scroll_memory.get(article_id, 0))
        if related is None:
            self.sidebar.show(await self.reader_app.library.run(lambda s: s.related(article_id)))

    def action_back(self) -> None:
        """Back from a related read to the article it was opened from, else to the list."""
        if self._history:
            self.index = self._history.pop()
            self.load(self.ids[self.index])
            return
        self._remember_scroll()
        self.dismiss()

    def action_scroll(self, where: str) -> None:
        getattr(self.view, f"scroll_{where}")(animate=False)

    def action_step(self, step: int) -> None:
        index = self.index + step
        if not 0 <= index < len(self.ids):
            self.notify("No more articles" if step > 0 else "This is the first article", timeout=2)
            return
        self.index = index
        self.load(self.ids[index])

    def action_browser(self) -> None:
        if self.article is not None and self.article.url:
            self.reader_app.open_link(self.article.url)

    def action_follow(self, number: int) -> None:
        links = self.view.links
        copy, self._copy_next = self._copy_next, False
        if not 0 < number <= len(links):
            self.notify(f"This article has no link [{number}]", timeout=2)
        elif copy:
            self._copy(links[number - 1])
        else:
            self.reader_app.open_link(links[number - 1])

    def on_key(self, event: events.Key) -> None:
        if self._copy_next and not (event.key.isdigit() or event.key == "Y"):
            self._copy_next = False

    def _copy(self, url: str) -> None:
        """Through OSC 52, so it reaches the clipboard over SSH and in tmux too."""
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {display_url(url)}", markup=False, timeout=2)

    def action_copy_link(self) -> None:
        if self.article is not None and (url := safe_url(self.article.url)):
            self._copy(url)
        else:
            self.notify("This article has no link to copy", timeout=2)

    def action_copy_numbered(self) -> None:
        if self.view.links:
            self._copy_next = True
            self.notify("Copy which link? Press its number", timeout=2)
        else:
            self.notify("This article has no numbered links", timeout=2)

    def action_save_markdown(self) -> None:
        if self.article is None or self.row is None:
            return
        article, feed_title = self.article, self.row.feed_title

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._save(path, article_markdown(article, feed_title) + "\n")

        name = re.sub(r"[^\w-]+", "-", article.title.lower()).strip("-")[:60] or "article"
        self.app.push_screen(SavePathScreen("Save the article as Markdown",
                                            save_folder() / f"{name}.md"), chosen)

    @work(thread=True, exclusive=True, group="save")
    def _save(self, path: Path, text: str) -> None:
        try:
            write_atomic(path, text)
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not save {path}: {exc.strerror or exc}",
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, f"Saved {path}", markup=False, timeout=3)

    @work(exclusive=True, group="row")
    async def _update(self, done: str, *, read: bool | None = None,
                      bookmarked: bool | None = None) -> None:
        """Mark the article; `done` is said once the change is committed, never before."""
        row = self.row
        if row is not None:
            updated = await self.reader_app.library.mark(row.id, read=read, bookmarked=bookmarked)
            self.notify(done, markup=False, timeout=2)
            self.row = updated or row
            self.reader_app.changed_rows.add(row.id)

    def action_bookmark(self) -> None:
        if self.row is not None:
            self._update("Bookmark removed" if self.row.bookmarked else "Bookmarked",
                         bookmarked=not self.row.bookmarked)

    def action_toggle_read(self) -> None:
        if self.row is not None:
            self._update("Marked unread" if self.row.read else "Marked read",
                         read=not self.row.read)

    def action_toggle_sidebar(self) -> None:
        self._sidebar_chosen = not self.sidebar.display
        self.sidebar.display = self._sidebar_chosen
        if self._sidebar_chosen:
            self.sidebar.options.focus()
        else:
            self.view.focus()

    def action_toggle_images(self) -> None:
        self.view.toggle_pictures()

    def action_switch_pane(self) -> None:
        if self.sidebar.display and self.focused is not self.sidebar.options:
            self.sidebar.options.focus()
        else:
            self.view.focus()

    @on(OptionList.OptionSelected, "#related-list")
    def _related_chosen(self) -> None:
        read = self.sidebar.current
        if read is not None:
            self.open_related(read)

    @work(exclusive=True, group="related")
    async def open_related(self, read: RelatedRead) -> None:
        """A cached read opens at once; another is fetched, cleaned and cached first."""
        article_id = read.article_id
        if article_id is None and read.url:
            self.sidebar.loading = True
            try:
                article_id = await self.reader_app.fetch_page(read.url)
            finally:
                self.sidebar.loading = False
        if article_id is None:
            return
        if article_id not in self.ids:
            self.ids.insert(self.index + 1, article_id)
        self._history.append(self.index)
        self.index = self.ids.index(article_id)
        self.load(article_id)
        self.view.focus()

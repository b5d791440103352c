"""The main screen: feeds on the left, articles on the right, a status line below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from tui_reader.sanitize import clean_line
from tui_reader.store import ArticleRow, FeedRow, SearchTooBroad, SortOrder, Store
from tui_reader.store.folders import within
from tui_reader.ui import text
from tui_reader.ui.keys import key_label
from tui_reader.ui.status import status_line
from tui_reader.ui.widgets.article_list import ArticleList
from tui_reader.ui.widgets.feed_list import ALL, BOOKMARKS, UNREAD, FeedList
from tui_reader.ui.widgets.footer import Footer
from tui_reader.ui.widgets.list_filter import ListFilter

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp

PAGE = 150
STATUS_EVERY = 30.0  # seconds between redraws of "updated N min ago"
# Below this width the feed pane folds away by itself, leaving the titles the room.
FEEDS_MIN_WIDTH = 100
# The orders the sort key steps through, and how the status line names them.
ORDERS: tuple[SortOrder, ...] = ("newest", "oldest", "feed", "unread")
ORDER_LABELS: dict[str, str] = {"newest": "newest first", "oldest": "oldest first",
                                "feed": "by feed", "unread": "unread first"}
WELCOME = """Welcome to tui-reader.

You have no feeds yet.

  a        add a feed: a feed URL, or a site that names one
  d        try the demo, an offline sample site
           (its feeds go again when you quit)
  ctrl+p   every command, by name
  ?        every key

Curated entertainment feeds:  tui-reader feeds --suggest"""


# What the store's thread reads for the feed list: feeds, the lists' counts, the saved
# searches' and the folders' unread counts.
Counts = tuple[list[FeedRow], dict[str, int], list[tuple[str, int]], dict[str, int]]
# A page of the list and the ids a filter typed over it kept, or why the search could not run.
Page = tuple[list[ArticleRow], list[int] | None] | SearchTooBroad


class View(TypedDict):
    """What the list shows, as Store.articles, Store.listed_text and Store.mark_all_read
    take it."""

    feed_id: int | None
    folder: str | None
    bookmarked: bool
    hidden: bool
    query: str | None


def _unread(store: Store, search: str) -> int:
    """A saved search's unread count; one that runs too long counts none (opening it says so)."""
    try:
        return store.saved_unread(search)
    except SearchTooBroad:
        return 0


def _stepped(listing: OptionList, step: int) -> int:
    """The row `step` rows from the highlighted one (back when negative), stopping at either
    end; disabled rows (the feed pane's headers) are stepped over, not counted."""
    index = probe = listing.highlighted if listing.highlighted is not None else 0
    direction, left = (1 if step > 0 else -1), abs(step)
    while left and 0 <= probe + direction < listing.option_count:
        probe += direction
        if not listing.get_option_at_index(probe).disabled:
            index, left = probe, left - 1
    return index


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="main.quit"),
        Binding("enter,l", "open", "Open", id="main.open"),
        Binding("j", "cursor('down')", "Down", show=False, id="main.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="main.up"),
        Binding("g", "cursor('first')", "First", show=False, id="main.first"),
        Binding("G", "cursor('last')", "Last", show=False, id="main.last"),
        Binding("h", "focus_feeds", "Feeds", show=False, id="main.feeds"),
        Binding("n", "next_unread", "Next unread", show=False, id="main.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="main.previous_unread"),
        Binding("J", "step_view(1)", "Next feed", show=False, id="main.next_feed"),
        Binding("K", "step_view(-1)", "Previous feed", show=False, id="main.previous_feed"),
        Binding("r", "refresh_feed", "Refresh feed", show=False, id="main.refresh_feed"),
        # The app's own binding, shown here: one id, so a rebinding moves both.
        Binding("R", "app.refresh", "Refresh", id="app.refresh"),
        Binding("o", "browser", "Browser", show=False, id="main.browser"),
        Binding("b", "bookmark", "Bookmark", id="main.bookmark"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="main.toggle_read"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="main.mark_feed_read"),
        Binding("u", "undo", "Undo", show=False, id="main.undo"),
        Binding("B", "show_bookmarks", "Bookmarks", show=False, id="main.bookmarks"),
        Binding("H", "toggle_hidden", "Show/hide filtered", show=False, id="main.toggle_hidden"),
        Binding("a", "app.add_feed", "Add feed", id="main.add_feed"),
        Binding("slash", "app.search", "Search", id="main.search"),
        Binding("F", "filter", "Filter", show=False, id="main.filter"),
        Binding("escape", "clear_filter", "Clear filter", id="main.clear_filter"),
        Binding("d", "try_demo", "Try the demo", id="main.demo"),
        Binding("f", "toggle_feeds", "Feeds pane", show=False, id="main.feed_pane"),
        Binding("s", "cycle_order", "Sort", show=False, id="main.sort"),
        Binding("x", "toggle_read_hidden", "Hide/show read", show=False, id="main.hide_read"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._undo: list[int] = []
        self._shown_selection: str | None = None
        # Articles a [[filter]] hides are listed too while this is on.
        self.show_hidden = False
        self._feeds: list[FeedRow] = []
        # While a refresh runs, the status line shows its progress instead.
        self.refreshing = False
        # The feed pane as the person last set it; None follows the width.
        self._feeds_chosen: bool | None = None
        self.order: SortOrder = "newest"
        # The views (feed list selections) whose read articles are left out.
        self.read_hidden: set[str] = set()
        # A count typed before a key, as in vim (5j): `count` is the one the key now
        # handled was given; digits gather in `_typed` until then.
        self.count = 1
        self.counted = False
        self._typed = ""
        # How many articles the words typed over the list keep; None while it is not filtered.
        self.kept: int | None = None

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            with Vertical(id="right"):
                yield ArticleList(id="articles")
                yield ListFilter(id="filter-bar")
                yield Static(WELCOME, id="welcome", markup=False)
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def list_filter(self) -> ListFilter:
        return self.query_one(ListFilter)

    async def on_mount(self) -> None:
        self._fit_feeds(self.size.width)
        self.article_list.focus()
        await self._first_load()
        self.set_interval(STATUS_EVERY, self.show_status)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_feeds(event.size.width)

    def _fit_feeds(self, width: int) -> None:
        chosen = self._feeds_chosen
        self.feed_list.display = chosen if chosen is not None else width >= FEEDS_MIN_WIDTH
        if not self.feed_list.display and self.focused is self.feed_list:
            self.article_list.focus()

    def action_toggle_feeds(self) -> None:
        self._feeds_chosen = not self.feed_list.display
        self._fit_feeds(self.size.width)

    async def on_screen_resume(self) -> None:
        """Back from the reader: redraw only the rows it changed, not the whole page."""
        changed, self.reader_app.changed_rows = self.reader_app.changed_rows, set()
        if not changed:
            return
        rows = await self.reader_app.library.run(lambda s: [s.row(i) for i in changed])
        for row in rows:
            if row is not None:
                self.article_list.replace(row)
        await self.refresh_counts()

    async def reload(self) -> None:
        """Apply the filters to what came in, then re-read feeds and the current page.

        All in one trip to the store's thread: each trip waits for the thread to be woken and
        the loop after it, which on a busy machine held the first headlines back the most.
        """
        filters = self.reader_app.settings.filters
        list_filter = self.list_filter
        # The page is read for the view shown now; the feed list keeps it unless it is gone.
        selection = self.feed_list.selection
        fetch, show = self._page(append=False)

        def read(store: Store) -> tuple[Counts, Page]:
            store.use_filters(filters)
            # In the store's thread, where the filter's lines are read and kept.
            list_filter.forget()
            return self._read_counts(store), fetch(store)

        counted, page = await self.reader_app.library.run(read)
        feeds, counts = self._show_counts(counted)
        self._counts_shown()
        self.query_one("#welcome").display = not feeds and not counts["all"]
        self.article_list.display = bool(feeds) or counts["all"] > 0
        if self.feed_list.selection == selection:
            show(page)
        else:
            await self.load_articles()

    async def _first_load(self) -> None:
        """The headlines first, the feed pane a frame later.

        The pane's unread counts run over every article (thirty milliseconds at 50,000, ten
        times the first page), and its rows cost the first frame as much again; nothing on
        the first screen waits for them but the pane itself. An empty first page waits for
        the feeds, which decide between the list and the welcome.
        """
        filters = self.reader_app.settings.filters
        fetch, show = self._page(append=False)

        def read(store: Store) -> Page:
            store.use_filters(filters)
            return fetch(store)

        page = await self.reader_app.library.run(read)
        if isinstance(page, SearchTooBroad) or not page[0]:
            await self.reload()
            return
        self.query_one("#welcome").display = False
        show(page)
        self._fill_feed_pane()

    @work(exclusive=True, group="feed-pane")
    async def _fill_feed_pane(self) -> None:
        await self.refresh_counts()
        self._counts_shown()

    def _counts_shown(self) -> None:
        self.refresh_bindings()
        # The feed list's highlight event that follows would load the same page a second time.
        self._shown_selection = self.feed_list.selection

    @property
    def view(self) -> View:
        """What the list shows: the feed list's selection, and the filters' hidden articles
        when they are shown."""
        saved = self.feed_list.selected_query
        return View(
            feed_id=feed.id if (feed := self.feed_list.selected_feed) else None,
            folder=self.feed_list.selected_folder,
            bookmarked=self.feed_list.selection == BOOKMARKS,
            hidden=self.show_hidden,
            query=None if saved is None else self.reader_app.settings.queries[saved].search,
        )

    @property
    def unread_only(self) -> bool:
        """Whether the list leaves read articles out: Unread, or a view where `x` hid them."""
        selection = self.feed_list.selection
        return selection == UNREAD or selection in self.read_hidden

    @staticmethod
    def _kept(store: Store, view: View, unread: bool, typed: str, order: SortOrder,
              list_filter: ListFilter) -> list[int]:
        """In the store's thread: the ids of the list whose line holds every word typed, in
        the list's order. Everything but the store is taken on the UI's thread, with the
        view, so a key pressed meanwhile cannot mix two orders."""
        return list_filter.kept(typed, (*view.values(), unread, order),
                                lambda: store.listed_text(**view, unread=unread, order=order))

    async def load_articles(self, *, append: bool = False) -> None:
        """The first page, or the next one after the last row shown (keyset paging); a list
        filtered as one types pages through the ids the filter kept instead."""
        fetch, show = self._page(append=append)
        show(await self.reader_app.library.run(fetch))

    def _page(self, *, append: bool) -> tuple[Callable[[Store], Page], Callable[[Page], None]]:
        """How to read a page of the list in the store's thread, and how to show it here."""
        listing = self.article_list
        view, unread, typed = self.view, self.unread_only, self.list_filter.typed
        order, list_filter = self.order, self.list_filter
        # Newest first pages by keyset, straight from the index; other orders by offset.
        after = listing.rows[-1] if append and listing.rows and order == "newest" else None
        offset = len(listing.rows) if append and order != "newest" else 0
        size = PAGE if append else max(PAGE, len(listing.rows))
        start = len(listing.rows) if append else 0

        def fetch(store: Store) -> Page:
            try:
                kept = (self._kept(store, view, unread, typed, order, list_filter) if typed
                        else None)
                if kept is None:
                    return store.articles(**view, unread=unread, limit=size, offset=offset,
                                          before=after, order=order), None
                page = kept[start:start + size]
                return store.articles(**view, unread=unread, only=page, limit=size,
                                      order=order), kept
            except SearchTooBroad as exc:
                return exc

        def show(page: Page) -> None:
            if isinstance(page, SearchTooBroad):
                self.notify(clean_line(str(page)), severity="warning", markup=False)
                page = [], None
            rows, kept = page
            listing.show(rows, append=append, page=size)
            if kept is not None:
                listing.exhausted = start + size >= len(kept)
            count = None if kept is None else len(kept)
            if count != self.kept:
                self.kept = count
                self.show_status()

        return fetch, show

    @on(OptionList.OptionHighlighted, "#feeds")
    async def _feed_changed(self) -> None:
        # Redrawing the feed list re-highlights the same entry; only a new choice reloads.
        if self.feed_list.selection == self._shown_selection:
            return
        self._shown_selection = self.feed_list.selection
        self.article_list.rows = []
        await self.load_articles()
        self.show_status()  # it says whether this view hides read articles

    @on(OptionList.OptionSelected, "#feeds")
    def _feed_chosen(self) -> None:
        self.article_list.focus()
        # Opened with h on a narrow screen, the pane folds away again once a feed is chosen.
        if self.size.width < FEEDS_MIN_WIDTH:
            self._feeds_chosen = None
            self._fit_feeds(self.size.width)

    @on(OptionList.OptionHighlighted, "#articles")
    async def _maybe_load_more(self, event: OptionList.OptionHighlighted) -> None:
        listing = self.article_list
        if not listing.exhausted and event.option_index >= len(listing.rows) - 20:
            listing.exhausted = True
            await self.load_articles(append=True)

    @on(OptionList.OptionSelected, "#articles")
    def _article_chosen(self) -> None:
        self.action_open()

    def on_key(self, event: events.Key) -> None:
        """Digits gather into a count for the key that follows them."""
        if event.character is not None and event.character.isdigit() and (
                self._typed or event.character != "0"):
            self._typed = (self._typed + event.character)[-4:]
            event.stop()
            return
        self.counted = bool(self._typed)
        self.count, self._typed = max(1, int(self._typed or 1)), ""

    def action_cursor(self, where: str) -> None:
        target = self.focused if isinstance(self.focused, OptionList) else self.article_list
        if where in ("down", "up") and target.option_count:
            # A count moves that many rows at once, stopping at either end.
            target.highlighted = _stepped(target, self.count if where == "down" else -self.count)
            return
        if where in ("first", "last") and self.counted and target.option_count:
            # As in vim, 12G (or 12g) goes to the 12th row.
            target.highlighted = min(self.count, target.option_count) - 1
            return
        action = {"down": "cursor_down", "up": "cursor_up", "first": "first", "last": "last"}[where]
        getattr(target, f"action_{action}")()

    async def action_cycle_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.article_list.rows = []
        await self.load_articles()
        self.show_status()
        self.notify(f"Sorted {ORDER_LABELS[self.order]}", timeout=2, markup=False)

    async def action_toggle_read_hidden(self) -> None:
        view = self.feed_list.selection
        self.read_hidden ^= {view}
        await self.load_articles()
        self.show_status()
        self.notify("Read articles hidden here" if view in self.read_hidden
                    else "Read articles shown here", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "try_demo":
            return self.reader_app.offers_demo
        if action == "clear_filter":
            return self.list_filter.display
        return True

    async def action_try_demo(self) -> None:
        await self.reader_app.action_try_demo()

    def action_focus_feeds(self) -> None:
        if not self.feed_list.display:
            self._feeds_chosen = True
            self._fit_feeds(self.size.width)
        self.feed_list.focus()

    def action_open(self) -> None:
        if self.focused is self.feed_list:
            self.article_list.focus()
            return
        row = self.article_list.current
        if row is None:
            return
        ids = [r.id for r in self.article_list.rows]
        self.reader_app.open_reader(ids, ids.index(row.id))

    def _move_unread(self, step: int) -> None:
        """To the next unread row that way; with a count (3n), the count-th one, or the last
        there is."""
        rows = self.article_list.rows
        start = self.article_list.highlighted
        start = (-1 if step > 0 else len(rows)) if start is None else start
        found = None
        index, left = start + step, self.count
        while 0 <= index < len(rows) and left:
            if not rows[index].read:
                found, left = index, left - 1
            index += step
        if found is None:
            self.notify("No more unread articles here", timeout=2)
        else:
            self.article_list.highlighted = found

    def action_next_unread(self) -> None:
        self._move_unread(1)

    def action_previous_unread(self) -> None:
        self._move_unread(-1)

    def action_refresh_feed(self) -> None:
        """The selected feed, or the selected folder's feeds, now, due or not (a server's
        Retry-After still holds); with neither selected, the due ones."""
        feed, folder = self.feed_list.selected_feed, self.feed_list.selected_folder
        if feed is not None:
            self.reader_app.start_refresh([feed.id], force=True)
        elif folder is not None:
            self.reader_app.start_refresh(
                [f.id for f in self._feeds if within(f.folder, folder)], force=True)
        else:
            self.reader_app.action_refresh()

    def action_browser(self) -> None:
        row = self.article_list.current
        if row is not None and row.url:
            self.reader_app.open_link(row.url)

    @work(exclusive=True, group="row")
    async def _update(
        self, row: ArticleRow, *, read: bool | None = None, bookmarked: bool | None = None,
        done: str | None = None,
    ) -> None:
        """Mark the row; `done` is said once the change is committed, never before."""
        updated = await self.reader_app.library.mark(row.id, read=read, bookmarked=bookmarked)
        if done:
            self.notify(done, markup=False, timeout=2)
        if updated is not None:
            self.article_list.replace(updated)
        await self.refresh_counts()

    def action_bookmark(self) -> None:
        row = self.article_list.current
        if row is not None:
            self._update(row, bookmarked=not row.bookmarked,
                         done="Bookmark removed" if row.bookmarked else "Bookmarked")

    def action_toggle_read(self) -> None:
        row = self.article_list.current
        if row is not None:
            self._update(row, read=not row.read)

    @property
    def view_name(self) -> str:
        """The list as the person knows it, for a notice: a feed's or folder's name."""
        listing = self.feed_list
        if (feed := listing.selected_feed) is not None:
            name = feed.title
        elif (folder := listing.selected_folder) is not None:
            name = folder
        elif (saved := listing.selected_query) is not None:
            name = self.reader_app.settings.queries[saved].name
        else:
            name = {UNREAD: "Unread", BOOKMARKS: "Bookmarks"}.get(listing.selection, "All")
        return clean_line(name)

    async def action_mark_all_read(self) -> None:
        """Every article the list holds, on every page, read; a filter typed over the list
        narrows it too. The ids changed are kept for undo."""
        view, unread, typed = self.view, self.unread_only, self.list_filter.typed
        order, list_filter = self.order, self.list_filter

        def mark(store: Store) -> list[int]:
            kept = self._kept(store, view, unread, typed, order, list_filter) if typed else None
            return store.mark_all_read(**view, only=kept)

        try:
            marked = await self.reader_app.library.run(mark)
        except SearchTooBroad as exc:
            self.notify(clean_line(str(exc)), severity="warning", markup=False)
            return
        where = f"{self.view_name}, filtered" if typed else self.view_name
        if not marked:
            self.notify(f"Nothing unread in {where}", markup=False, timeout=2)
            return
        self._undo = marked
        undo = key_label(self.reader_app.key_plan.keys.get("main.undo", ()))
        self.notify(f"Marked {len(marked):,} read in {where}"
                    + (f" · {undo} to undo" if undo else ""), markup=False, timeout=4)
        await self.reload()

    async def action_undo(self) -> None:
        """The articles the last mark-all-read changed, unread again (and so on the sync
        server: the outbox queues the change back)."""
        if not self._undo:
            self.notify("Nothing to undo", timeout=2)
            return
        ids, self._undo = self._undo, []
        await self.reader_app.library.run(lambda s: s.undo_mark_read(ids))
        self.notify(f"Marked {len(ids):,} unread again", timeout=2)
        await self.reload()

    def action_step_view(self, step: int) -> None:
        """To the next feed, folder or list in the feed pane (3J: the third), the articles
        keeping the focus."""
        listing = self.feed_list
        if not listing.option_count:
            return
        listing.highlighted = _stepped(listing, step * self.count)
        listing.scroll_to_highlight()
        if not listing.display:  # the pane is folded away: say where the list now is
            self.notify(self.view_name, markup=False, timeout=2)

    def action_filter(self) -> None:
        self.list_filter.display = True
        self.list_filter.input.focus()
        self._read_lines()

    @work(exclusive=True, group="narrow")
    async def _read_lines(self) -> None:
        """Read the list's lines while the first word is being typed."""
        view, unread, order, list_filter = self.view, self.unread_only, self.order, self.list_filter
        await self.reader_app.library.run(
            lambda s: self._kept(s, view, unread, "", order, list_filter))

    @on(Input.Changed, "#filter")
    def _filter_typed(self) -> None:
        self._narrow()

    @work(exclusive=True, group="narrow")
    async def _narrow(self) -> None:
        self.article_list.rows = []
        await self.load_articles()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self) -> None:
        """Enter keeps the filter (an empty one closes) and goes back to the list."""
        if not self.list_filter.typed:
            self.action_clear_filter()
        self.article_list.focus()

    def action_clear_filter(self) -> None:
        if not self.list_filter.display:
            return
        self.list_filter.display = False
        self.list_filter.input.clear()  # its Changed message lists every article again
        self.article_list.focus()

    async def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        await self.load_articles()
        self.notify("Showing articles filters hide" if self.show_hidden
                    else "Hiding articles filters hide", timeout=3)

    def action_show_bookmarks(self) -> None:
        self.feed_list.highlighted = self.feed_list.get_option_index(BOOKMARKS)
        self.article_list.focus()

    async def refresh_counts(self) -> tuple[list[FeedRow], dict[str, int]]:
        """Redraw the feed list with fresh unread counts; returns what it read."""
        return self._show_counts(await self.reader_app.library.run(self._read_counts))

    def _read_counts(self, store: Store) -> Counts:
        """In the store's thread: the feeds, the lists' counts, each saved search's and each
        folder's."""
        feeds = store.feeds()
        queries = self.reader_app.settings.queries
        return (feeds, store.counts(), [(q.name, _unread(store, q.search)) for q in queries],
                store.folders(feeds))

    def _show_counts(self, counted: Counts) -> tuple[list[FeedRow], dict[str, int]]:
        feeds, counts, saved, folders = counted
        self.feed_list.show(feeds, counts, saved, folders)
        self._feeds = feeds
        self.show_status()
        return feeds, counts

    def show_status(self) -> None:
        """The lasting status: when the news came in, what failed; kept while refreshing."""
        if not self.refreshing:
            app = self.reader_app
            status = status_line(self._feeds, app.last_report, offline=app.offline, now=text.now())
            sync = app.last_sync
            if sync is not None and sync.error:
                status = f"reading from the cache: {clean_line(sync.error)} · {status}"
            elif sync is not None:
                status = f"{sync.summary()} · {status}"
            shown = [ORDER_LABELS[self.order]] if self.order != "newest" else []
            shown += ["read hidden"] if self.feed_list.selection in self.read_hidden else []
            shown += [] if self.kept is None else [f"filter keeps {self.kept:,}"]
            self.set_status(" · ".join([*shown, status]))

    def set_status(self, text: str) -> None:
        # Gone while the reader closes, when a refresh may still be reporting.
        for status in self.query("#status").results(Static):
            status.update(text)

    def select_view(self, option: str) -> None:
        """A feed, folder or list by its option id in the feed pane, its articles focused."""
        self.feed_list.highlighted = self.feed_list.get_option_index(option)
        self.article_list.focus()

    def select_all(self) -> None:
        self.feed_list.highlighted = self.feed_list.get_option_index(ALL)

    @property
    def selected_feed(self) -> FeedRow | None:
        return self.feed_list.selected_feed

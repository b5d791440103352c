"""The reader app: owns the store handle, settings and the refresh worker; screens do the rest."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import shutil
import sys
import time
import webbrowser
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.worker import WorkerFailed, get_current_worker

from tui_reader.config import ConfigError, Settings, save_theme
from tui_reader.files import write_atomic
from tui_reader.paths import Paths
from tui_reader.sanitize import clean_line, display_url, safe_url
from tui_reader.scalars import shorten, shorten_words
from tui_reader.store import Store, StoreError
from tui_reader.ui.keys import Scope, plan_keys, shown
from tui_reader.ui.library import Library
from tui_reader.ui.palette import ReaderCommands
from tui_reader.ui.screens.dialogs import USER_ERRORS, AddFeedScreen, ConfirmScreen, SavePathScreen
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.screens.main import MainScreen
from tui_reader.ui.screens.reader_keys import READER_BINDINGS
from tui_reader.ui.screens.search import SearchScreen
from tui_reader.ui.status import failure_notice
from tui_reader.ui.terminal import finish_probe
from tui_reader.ui.text import plain

# What the first frame does not need is imported where it is first used, after it: the
# network stack, feedparser, the cleaner and the picture code took most of the start-up.
if TYPE_CHECKING:
    from tui_reader.demo import DemoServer
    from tui_reader.net.http import Fetcher
    from tui_reader.pictures import Pictures
    from tui_reader.refresh import FeedResult, RefreshReport
    from tui_reader.store.schema import Announce
    from tui_reader.sync import SyncReport
    from tui_reader.ui.screens.reader import ReaderScreen

logger = logging.getLogger(__name__)


def styles_dir() -> Path:
    """Styles ship inside the wheel; an editable install finds them at the repository root."""
    packaged = Path(__file__).resolve().parents[1] / "styles"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "styles"


T = TypeVar("T")
RELOAD_EVERY = 1.0
TERMINAL_BROWSERS = ("lynx", "w3m", "links", "elinks", "browsh", "carbonyl", "links2")
NETWORK_ERRORS = ("cannot connect", "timed out", "server stopped")


def _browser_in_terminal() -> bool:
    """Whether the browser `webbrowser` starts draws in this terminal: $BROWSER's, or, with
    none set and no display, the w3m or lynx it falls back to.

    Asked on the screen's loop, so `webbrowser` is consulted only without a display: with
    one, its first use asks xdg-settings in a subprocess, and it picks a graphical browser.
    """
    browser = os.environ.get("BROWSER", "").split(":")[0]
    if browser:
        return Path(browser).name in TERMINAL_BROWSERS and shutil.which(browser) is not None
    if sys.platform in ("darwin", "win32") or os.environ.get("DISPLAY") \
            or os.environ.get("WAYLAND_DISPLAY"):
        return False
    try:
        chosen = webbrowser.get()
    except webbrowser.Error:
        return False
    return Path(getattr(chosen, "name", "") or "").name in TERMINAL_BROWSERS


def key_scopes() -> list[Scope]:
    """Every binding table, by where it is in force: what [keys] is checked against."""
    return [
        Scope.of("app", [*App.BINDINGS, *ReaderApp.BINDINGS], app_wide=True),
        Scope.of("list", MainScreen.BINDINGS),
        Scope.of("reader", READER_BINDINGS),
        Scope.of("search", SearchScreen.BINDINGS),
        Scope.of("help", HelpScreen.BINDINGS),
        Scope.of("add feed", AddFeedScreen.BINDINGS),
        Scope.of("confirm", ConfirmScreen.BINDINGS),
        Scope.of("save", SavePathScreen.BINDINGS),
    ]


class ReaderApp(App[None]):
    TITLE = "tui-reader"
    CSS_PATH = [styles_dir() / "app.tcss"]
    COMMANDS = {ReaderCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands"),
        Binding("R", "refresh", "Refresh", show=False, id="app.refresh"),
        Binding("ctrl+r", "refresh_forced", "Refresh all now", show=False, id="app.refresh_forced"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, id="app.theme"),
    ]

    def __init__(
        self, paths: Paths, *, settings: Settings | None = None, demo: bool = False,
        announce: Announce | None = None,
    ) -> None:
        """Without settings (an embedding or a test) nothing is fetched until asked; `demo`
        marks a session on the bundled demo site, in a home of its own; `announce` is told
        before the database is upgraded, which happens here, before the screen is taken."""
        super().__init__()
        self.paths = paths
        self.settings = settings or Settings(refresh_on_start=False)
        self.demo = demo
        self.last_report: RefreshReport | None = None
        self.last_sync: SyncReport | None = None
        self.library = Library(paths.database, story_read=self.settings.story_read == "story",
                               announce=announce)
        self.scroll_memory: dict[int, float] = {}
        # Articles the reader opened or changed, for the list to redraw when it comes back.
        self.changed_rows: set[int] = set()
        self.offline = False
        self._last_reload = 0.0
        self._demo: DemoServer | None = None
        self._reader: ReaderScreen | None = None
        self._themes = ["textual-dark", "textual-light"]
        self.warnings = list(self.settings.warnings)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.warnings.append(
                f"[reader] theme {shown(self.settings.theme)}: no such theme, so "
                f"{self.theme}; ctrl+p, Change theme, lists them"
            )
        self.key_plan = plan_keys(self.settings.keys, key_scopes())
        self.warnings += self.key_plan.warnings
        if self.key_plan.keymap:
            self.set_keymap(self.key_plan.keymap)

    def run(self, *args: Any, **kwargs: Any) -> None:
        finish_probe()
        return super().run(*args, **kwargs)

    @property
    def pictures(self) -> Pictures | None:
        """The picture cache refreshes fill, unless config.toml turns pictures off."""
        from tui_reader.pictures import Pictures

        return Pictures.at(self.paths) if self.settings.images else None

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        assert isinstance(screen, MainScreen)
        return screen

    async def on_mount(self) -> None:
        self.screen_change_signal.subscribe(
            self, lambda screen: logger.debug("screen: %s", type(screen).__name__)
        )
        # Textual holds back every repaint while the app mounts. The main screen, loading its
        # first page inside that, drew its first frame only for it to be thrown away, and the
        # headlines showed once something else asked for a repaint (a fifth of a second later
        # at 50,000 articles). Pushed after the mount, its first frame is the one shown.
        self.call_later(self._start)

    async def _start(self) -> None:
        await self.push_screen(MainScreen())
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        """The headlines are on screen; what they did not need begins."""
        if self.warnings:
            # One notice for the whole file, a line a problem.
            text = "\n".join(clean_line(w) for w in self.warnings)
            self.notify(text, title="config.toml", severity="warning", markup=False, timeout=12)
        self._apply_retention()
        if self.settings.refresh_on_start:
            self.start_refresh(None)
        elif self.settings.sync is not None:
            self.start_refresh([])  # the sync alone: changes out, the server's in
        minutes = self.settings.auto_refresh_minutes
        if minutes:
            self.set_interval(minutes * 60, self.action_refresh)
        self._collect_again()
        self._import_reader()

    @work(thread=True, exit_on_error=False)
    def _import_reader(self) -> None:
        """The reader's modules, and with them Pillow and textual-image, are imported on a
        thread once the list is up, so the first article opened does not wait for them."""
        import tui_reader.ui.screens.reader  # noqa: F401

    @staticmethod
    def _collect_again() -> None:
        """The command line turns collection off for start-up; it comes back on here, and
        what start-up made (modules, Textual's widgets and styles), which lives as long as the
        app, is set aside from the collector for good. Left in, every full collection walked
        it again, and one falling while an article opened held the screen for a tenth of a
        second. An app started otherwise (a test) is left as is."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice, errors turned into notices included, is also a line in the debug log."""
        level = {"error": logging.ERROR, "warning": logging.WARNING}.get(severity, logging.INFO)
        logger.log(level, "notice: %s", message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _handle_exception(self, error: Exception) -> None:
        """A storage failure the user can act on (database busy, disk full) becomes a notice
        and leaves the app running, and so does any failure of a worker: workers are what
        handle web data, and no value from the web may end the reader. Anything else still
        ends it, as Textual does."""
        cause = error.error if isinstance(error, WorkerFailed) else error
        if isinstance(cause, StoreError):
            self.notify(clean_line(str(cause)), severity="error", markup=False, timeout=8)
            return
        if isinstance(error, WorkerFailed) and isinstance(cause, Exception):
            self.log.error("worker failed", cause)
            message = shorten(clean_line(f"{type(cause).__name__}: {cause}"))
            self.notify(f"Something went wrong: {message}", severity="error", markup=False,
                        timeout=8)
            return
        super()._handle_exception(error)

    async def on_unmount(self) -> None:
        if self._demo is not None:
            from tui_reader.demo import DEMO_FEEDS

            server, self._demo = self._demo, None
            await self.library.run(
                lambda s: [s.remove_feed(server.url(p)) for p, _, _ in DEMO_FEEDS]
            )
            server.__exit__(None, None, None)
        self.library.close()

    @property
    def offers_demo(self) -> bool:
        """The demo is offered to a reader with no feeds yet, never inside the demo itself.
        Listed articles have feeds: they show before the feed pane fills."""
        main = self.main
        return (not self.demo and self._demo is None and not main.feed_list.feeds
                and not main.article_list.rows)

    async def action_try_demo(self) -> None:
        """Serve the demo site for this session; its feeds are removed again on quit."""
        if not self.offers_demo:
            return
        from tui_reader.demo import DemoServer, subscribe_demo

        server = self._demo = DemoServer().__enter__()
        await self.library.run(lambda s: subscribe_demo(s, server))
        self.notify("Demo feeds added for this session; they are removed when you quit")
        await self.main.reload()
        self.start_refresh(None)

    def watch_theme(self, theme: str) -> None:
        if theme != self.settings.theme and self.is_running:
            try:
                save_theme(self.paths.config_file, theme)
            except (OSError, ConfigError) as exc:
                self.notify(
                    f"Could not remember the theme: {exc}", severity="warning", markup=False
                )

    @work(exclusive=True, group="prune", exit_on_error=False)
    async def _apply_retention(self) -> None:
        """Retention runs at start, before any refresh, never during one."""
        days = self.settings.retention_days

        def prune(store: Store) -> None:
            from tui_reader.pictures import prune_pictures

            store.prune(days)
            prune_pictures(store, self.paths, days)

        try:
            await self.library.run(prune)
        except StoreError as exc:
            self.notify(clean_line(str(exc)), severity="warning", markup=False)

    # Refresh

    def action_refresh(self) -> None:
        self.start_refresh(None)

    def action_refresh_forced(self) -> None:
        self.start_refresh(None, force=True)

    def start_refresh(self, feed_ids: list[int] | None, *, force: bool = False) -> None:
        """Fetch the due feeds (every feed when forced, but for those a server asked to wait),
        by the same rule as `tui-reader refresh`."""
        logger.info("refresh started: %s feeds", "all" if feed_ids is None else len(feed_ids))
        self.main.refreshing = True
        self.main.set_status("Refreshing…")
        self._refresh(feed_ids, force)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def _refresh(self, feed_ids: list[int] | None, force: bool) -> None:
        """Runs in a thread with its own event loop and its own store connection.

        When the reader closes mid-refresh, the refresh stops at the next feed to finish
        (what is stored stays) instead of reporting to screens that are gone.
        """
        from tui_reader.refresh import refresh_all
        from tui_reader.sync import direct_feeds, sync_configured

        worker = get_current_worker()
        refreshing: list[asyncio.Task[Any]] = []

        def tell(callback: Callable[..., object], *args: object) -> None:
            if not worker.is_cancelled:
                with contextlib.suppress(RuntimeError):  # the reader closed just now
                    self.call_from_thread(callback, *args)
                    return
            for task in refreshing:
                task.cancel()

        def progress(result: FeedResult, done: int, total: int) -> None:
            tell(self._progress, result, done, total)

        def synced(what: str, done: int, total: int) -> None:
            tell(self.main.set_status, f"Syncing: {what}" + (f" {done}/{total}" if total else ""))

        sync: SyncReport | None = None

        async def run(store: Store, fetcher: Fetcher) -> RefreshReport:
            nonlocal sync
            task = asyncio.current_task()
            assert task is not None
            refreshing.append(task)
            feeds = store.feeds()
            if self.settings.sync is not None:
                sync = await sync_configured(store, fetcher, self.settings,
                                             pictures=self.pictures, progress=synced)
                feeds = direct_feeds(store)
            feeds = [f for f in feeds if feed_ids is None or f.id in feed_ids]
            return await refresh_all(
                store,
                fetcher,
                feeds,
                force=force,
                progress=progress,
                options=self.settings.feeds,
                pictures=self.pictures,
            )

        try:
            report = asyncio.run(self._with_services(run))
        except asyncio.CancelledError:
            return
        except StoreError as exc:
            tell(partial(self.notify, severity="error", markup=False), clean_line(str(exc)))
            tell(self._refresh_ended)
            return
        tell(self._refreshed, report, sync)

    def _progress(self, result: FeedResult, done: int, total: int) -> None:
        self.main.set_status(f"Refreshing {done}/{total}: {clean_line(result.title)}")
        # Lists grow as articles arrive, but at most once a second: a reload re-reads the
        # feeds and a page of rows, and hundreds of feeds finish within moments of each other.
        now = time.monotonic()
        if result.new and now - self._last_reload >= RELOAD_EVERY:
            self._last_reload = now
            self.call_later(self.main.reload)

    def _refreshed(self, report: RefreshReport, sync: SyncReport | None = None) -> None:
        """One notice for the whole refresh: "offline" when nothing answered, else the
        failures together; the status line keeps the lasting part."""
        logger.info("refresh finished: %s", report.summary())
        tried = [r for r in report.results if r.outcome != "skipped"]
        failed = report.failed
        self.offline = bool(tried) and all(
            (r.error or "").startswith(NETWORK_ERRORS) for r in tried
        )
        if self.offline:
            self.notify(
                "Offline: no feed could be reached. Stored articles stay readable.",
                severity="warning",
                timeout=6,
            )
        elif failed:
            self.notify(failure_notice(failed), severity="error", markup=False, timeout=8)
        self.last_report = report
        self.last_sync = sync
        self._refresh_ended()

    def _refresh_ended(self) -> None:
        self.main.refreshing = False
        self.call_later(self.main.reload)

    # Actions shared by screens

    def open_reader(self, ids: list[int], index: int) -> None:
        if self._reader is None:
            from tui_reader.ui.screens.reader import ReaderScreen

            self._reader = ReaderScreen()
            self.install_screen(self._reader, "reader")
        self._reader.open(ids, index)

    def open_article(self, article_id: int) -> None:
        """One article from the palette; n and p then step through the main list."""
        ids = [r.id for r in self.main.article_list.rows]
        if article_id not in ids:
            ids = [article_id]
        self.open_reader(ids, ids.index(article_id))

    async def _back_to_main(self) -> MainScreen:
        while self.screen is not self.main:
            await self.pop_screen()
        return self.main

    async def jump_to_view(self, option: str) -> None:
        """Back on the main screen with a feed or folder (its option id) selected, its
        articles focused."""
        (await self._back_to_main()).select_view(option)

    async def action_show_bookmarks(self) -> None:
        (await self._back_to_main()).action_show_bookmarks()

    def open_link(self, url: str) -> None:
        """Only http(s), never through a shell; terminal browsers get the terminal to themselves."""
        safe = safe_url(url)
        if safe is None or safe.startswith("-"):
            self.notify("Refusing to open a link that is not http or https", severity="warning")
            return
        self.notify(f"Opening {display_url(safe)}", markup=False, timeout=2)
        if _browser_in_terminal():
            with self.suspend():
                webbrowser.open(safe)
        else:
            self.run_worker(lambda: webbrowser.open(safe), thread=True, exit_on_error=False)

    async def network(self, job: Callable[[Store, Fetcher], Awaitable[T]]) -> T:
        """Run a network job in a thread, with its own event loop, client and store connection,
        so a slow site never holds the store the screens read from."""

        return await asyncio.to_thread(asyncio.run, self._with_services(job))

    async def _with_services(self, job: Callable[[Store, Fetcher], Awaitable[T]]) -> T:
        from tui_reader.net.http import Fetcher

        with Store.open(self.paths.database) as store:
            async with Fetcher(self.settings.http) as fetcher:
                return await job(store, fetcher)

    async def subscribe(self, url: str) -> str:
        from tui_reader.refresh import subscribe

        feed, _ = await self.network(lambda store, fetcher: subscribe(store, fetcher, url))
        return feed.title

    async def fetch_page(self, url: str) -> int | None:
        """Fetch, clean and cache a page from the sidebar; None (and a notice) when it fails."""
        from tui_reader.refresh import fetch_article

        try:
            return await self.network(
                lambda store, fetcher: fetch_article(store, fetcher, url, pictures=self.pictures)
            )
        except USER_ERRORS as exc:
            self.notify(
                f"Could not fetch the page: {shorten_words(clean_line(str(exc)))}",
                severity="error", markup=False
            )
            return None

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_plan, key_scopes()))

    def action_search(self) -> None:
        self.push_screen(SearchScreen())

    def action_add_feed(self) -> None:
        def added(title: str | None) -> None:
            if title:
                self.notify(f"Subscribed to {clean_line(title)}", markup=False)
                self.start_refresh(None)

        self.push_screen(AddFeedScreen(), added)

    def action_remove_feed(self) -> None:
        feed = self.main.selected_feed
        if feed is None:
            self.notify("Select a feed in the left pane first", timeout=3)
            return

        async def confirmed(yes: bool | None) -> None:
            if yes:
                await self.library.run(lambda s: s.remove_feed(feed.url))
                self.notify(f"Removed {clean_line(feed.title)}", markup=False)
                self.main.select_all()
                await self.main.reload()

        question = plain(f"Unsubscribe from {feed.title}? Bookmarked articles stay.")
        self.push_screen(ConfirmScreen(question), confirmed)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    async def action_export_bookmarks(self) -> None:
        target = self.paths.data_dir / "bookmarks.md"

        def export(store: Store) -> int:
            from tui_reader.export import export_bookmarks

            text, count = export_bookmarks(store, "markdown")
            write_atomic(target, text)
            return count

        try:
            count = await self.library.run(export)
        except (OSError, StoreError) as exc:
            self.notify(f"Export failed: {exc}", severity="error", markup=False)
            return
        noun = "bookmark" if count == 1 else "bookmarks"
        self.notify(f"Exported {count} {noun} to {target}", markup=False)

    def action_toggle_sidebar(self) -> None:
        if self.screen is self._reader:
            self._reader.action_toggle_sidebar()
        else:
            self.notify(
                "Open an article first: the related sidebar sits beside the reader", timeout=3
            )

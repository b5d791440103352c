"""The command palette: the reader's own commands first, then its feeds and recent articles.

It replaces Textual's system commands (Maximize, Screenshot, Keys are not the reader's). Feed
and article titles come from the web, so they are shown as plain content, never as markup,
and matched without the highlighter (which reads its candidate as markup).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui_reader.sanitize import clean_line
from tui_reader.store import ArticleRow, FeedRow
from tui_reader.ui.screens.main import MainScreen
from tui_reader.ui.widgets.feed_list import FOLDER

if TYPE_CHECKING:
    from tui_reader.ui.app import ReaderApp

RECENT = 20  # recent articles offered by title


@dataclass(frozen=True, slots=True)
class Command:
    title: str
    help: str
    run: Callable[[], object]
    # Titles from the web are shown literally and not highlighted.
    literal: bool = False


def reader_commands(app: ReaderApp) -> Iterator[Command]:
    """The actions, in the order a reader reaches for them; some only where they apply."""
    main = app.screen if isinstance(app.screen, MainScreen) else None
    yield Command("Refresh", "Fetch the feeds that are due", app.action_refresh)
    yield Command(
        "Refresh all now",
        "Fetch every feed, due or not (a site that asked to wait is left alone)",
        app.action_refresh_forced,
    )
    yield Command("Add feed", "Subscribe to a feed or a site", app.action_add_feed)
    yield Command("Search", "Full-text search over stored articles", app.action_search)
    yield Command("Show bookmarks", "List bookmarked articles", app.action_show_bookmarks)
    yield Command(
        "Export bookmarks", "Write bookmarked articles as Markdown", app.action_export_bookmarks
    )
    yield Command("Change theme", "Pick a colour theme", app.action_change_theme)
    yield Command(
        "Toggle light/dark theme", "Switch between light and dark", app.action_toggle_theme
    )
    if main is not None:
        yield Command("Refresh feed", "Fetch the selected feed now", main.action_refresh_feed)
        yield Command(
            "Mark all read",
            "Mark every article of this list read: a feed, a folder, a saved search, all",
            main.action_mark_all_read,
        )
        yield Command("Undo mark all read", "Give back the read states it changed",
                      main.action_undo)
        yield Command("Filter the list", "Narrow the list to the words typed",
                      main.action_filter)
        yield Command(
            "Show or hide filtered articles",
            "List the articles a [[filter]] in config.toml hides, or stop",
            main.action_toggle_hidden,
        )
    yield Command("Remove feed", "Unsubscribe from the selected feed", app.action_remove_feed)
    yield Command(
        "Toggle related sidebar",
        "Show or hide related reads beside the reader",
        app.action_toggle_sidebar,
    )
    yield Command("Help", "Every key, screen by screen", app.action_help)
    if app.offers_demo:
        yield Command(
            "Try the demo", "Serve the sample site for this session", app.action_try_demo
        )
    yield Command("Quit", "Close the reader", app.action_quit)


def _feed_commands(app: ReaderApp, feeds: list[FeedRow]) -> Iterator[Command]:
    for folder in sorted({f.folder for f in feeds if f.folder}, key=str.lower):
        yield Command(f"Folder: {clean_line(folder)}", "Show the articles of this folder's feeds",
                      partial(app.jump_to_view, f"{FOLDER}{folder}"), literal=True)
    for feed in sorted(feeds, key=lambda f: f.title.lower()):
        title = clean_line(feed.title)
        yield Command(f"Feed: {title}", "Show this feed's articles",
                      partial(app.jump_to_view, f"feed:{feed.id}"), literal=True)


def _article_commands(app: ReaderApp, rows: list[ArticleRow]) -> Iterator[Command]:
    for row in rows:
        source = clean_line(row.feed_title)
        where = f"Recent · {source}" if source else "Recent"
        yield Command(f"Read: {clean_line(row.title)}", where,
                      partial(app.open_article, row.id), literal=True)


class ReaderCommands(Provider):
    async def startup(self) -> None:
        app = cast("ReaderApp", self.app)
        feeds, rows = await app.library.run(lambda s: (s.feeds(), s.articles(limit=RECENT)))
        self._commands = [
            *reader_commands(app),
            *_feed_commands(app, feeds),
            *_article_commands(app, rows),
        ]

    async def discover(self) -> Hits:
        for command in self._commands:
            yield DiscoveryHit(_display(command), command.run, help=escape(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands:
            score = matcher.match(command.title)
            if score > 0:
                display = _display(command) if command.literal else matcher.highlight(command.title)
                yield Hit(score, display, command.run, help=escape(command.help))


def _display(command: Command) -> Content:
    return Content(command.title)

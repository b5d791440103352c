"""The left pane: All / Unread / Bookmarks, then feeds grouped by folder."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_reader.store import FeedRow
from tui_reader.ui.text import plain

ALL, UNREAD, BOOKMARKS = "all", "unread", "bookmarks"


def _count(n: int) -> Content:
    return Content.styled(f" {n}", "$text-muted") if n else Content("")


class FeedList(OptionList):
    """Option ids are `all`, `unread`, `bookmarks` or `feed:<id>`; folders are disabled headers."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.feeds: dict[int, FeedRow] = {}

    def show(self, feeds: list[FeedRow], counts: dict[str, int]) -> None:
        current = self.highlighted_option.id if self.highlighted_option else ALL
        self.feeds = {f.id: f for f in feeds}
        options: list[Option | None] = [
            Option(Content.assemble("◆ All", _count(counts["all"])), id=ALL),
            Option(Content.assemble("● Unread", _count(counts["unread"])), id=UNREAD),
            Option(Content.assemble("★ Bookmarks", _count(counts["bookmarks"])), id=BOOKMARKS),
            None,
        ]
        folder: str | None = None
        for feed in sorted(feeds, key=lambda f: ((f.folder or "\uffff").lower(), f.title.lower())):
            if feed.folder != folder:
                folder = feed.folder
                header = plain(folder or "Other")
                options.append(
                    Option(header.stylize("bold $text-muted"), id=f"folder:{folder}", disabled=True)
                )
            badge = Content.styled(" ⚠", "$error") if feed.last_error else Content("")
            indent = "  " if folder else ""
            options.append(
                Option(
                    Content.assemble(indent, plain(feed.title), badge, _count(feed.unread)),
                    id=f"feed:{feed.id}",
                )
            )
        self.set_options(options)
        try:
            self.highlighted = self.get_option_index(current or ALL)
        except LookupError:
            self.highlighted = 0

    @property
    def selected_feed(self) -> FeedRow | None:
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith("feed:"):
            return None
        return self.feeds.get(int(option.id.removeprefix("feed:")))

    @property
    def selection(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else ALL

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
    """Option ids are `all`, `unread`, `bookmarks`, `feed:<id>` or `query:<n>` (the n-th saved
    search); folders and "Saved searches" are disabled headers."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.feeds: dict[int, FeedRow] = {}

    def show(self, feeds: list[FeedRow], counts: dict[str, int],
             saved: list[tuple[str, int]] | None = None) -> None:
        """`saved`: each saved search's name and unread count, listed after the feeds."""
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
        if saved:
            options.append(Option(Content.styled("Saved searches", "bold $text-muted"),
                                  id="saved", disabled=True))
            for number, (name, unread) in enumerate(saved):
                options.append(Option(Content.assemble("  ⌕ ", plain(name), _count(unread)),
                                      id=f"query:{number}"))
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
    def selected_query(self) -> int | None:
        """The index of the saved search highlighted, if one is."""
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith("query:"):
            return None
        return int(option.id.removeprefix("query:"))

    @property
    def selection(self) -> str:
        option = self.highlighted_option
        return option.id if option is not None and option.id else ALL

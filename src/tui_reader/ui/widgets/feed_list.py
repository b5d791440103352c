"""The left pane: All / Unread / Bookmarks, then feeds grouped by folder (a folder is a view
of its own), then saved searches."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_reader.store import FeedRow
from tui_reader.ui.text import plain

ALL, UNREAD, BOOKMARKS = "all", "unread", "bookmarks"
FOLDER = "folder:"  # an option id's start, before the folder's path
# What `show` was given: feeds, counts, saved searches and folders.
Shown = tuple[list[FeedRow], dict[str, int], list[tuple[str, int]] | None, dict[str, int] | None]


def _count(n: int) -> Content:
    return Content.styled(f" {n}", "$text-muted") if n else Content("")


def feed_prompt(label: Content, tail: Content, width: int) -> Content:
    """The label shortened with an ellipsis so the tail (badge, count) always fits whole, the
    tail set against the right edge."""
    if width <= 0:
        return Content.assemble(label, tail)
    room = max(1, width - tail.cell_length)
    if label.cell_length > room:
        label = label.truncate(room, ellipsis=True)
    return Content.assemble(label.pad_right(room - label.cell_length), tail)


class FeedList(OptionList):
    """Option ids are `all`, `unread`, `bookmarks`, `feed:<id>`, `folder:<path>` or `query:<n>`
    (the n-th saved search); "Other" (the feeds in no folder) and "Saved searches" are
    disabled headers."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.feeds: dict[int, FeedRow] = {}
        # What was shown last and at which width, to show again when the width changes.
        self._shown: tuple[Shown, int] | None = None

    def show(self, feeds: list[FeedRow], counts: dict[str, int],
             saved: list[tuple[str, int]] | None = None,
             folders: dict[str, int] | None = None) -> None:
        """`saved`: each saved search's name and unread count, listed after the feeds;
        `folders`: each folder's unread count (store.folders)."""
        current = self.highlighted_option.id if self.highlighted_option else ALL
        self.feeds = {f.id: f for f in feeds}
        width = self.scrollable_content_region.width
        self._shown = ((feeds, counts, saved, folders), width)
        options: list[Option | None] = [
            Option(feed_prompt(Content("◆ All"), _count(counts["all"]), width), id=ALL),
            Option(feed_prompt(Content("● Unread"), _count(counts["unread"]), width), id=UNREAD),
            Option(feed_prompt(Content("★ Bookmarks"), _count(counts["bookmarks"]), width),
                   id=BOOKMARKS),
            None,
        ]
        folder: str | None = None
        # By folder, case aside; two spellings of one name ("Film", "film") are two groups,
        # each whole.
        for feed in sorted(feeds, key=lambda f: ((f.folder or "\uffff").lower(), f.folder or "",
                                                f.title.lower())):
            if feed.folder != folder:
                folder = feed.folder
                if folder is None:
                    options.append(Option(Content.styled("Other", "bold $text-muted"),
                                          id="other", disabled=True))
                else:
                    tail = _count((folders or {}).get(folder, 0))
                    options.append(Option(feed_prompt(plain(folder).stylize("bold"), tail, width),
                                          id=f"{FOLDER}{folder}"))
            badge = Content.styled(" ⚠", "$error") if feed.last_error else Content("")
            indent = "  " if folder else ""
            label = Content.assemble(indent, plain(feed.title))
            options.append(
                Option(feed_prompt(label, badge + _count(feed.unread), width), id=f"feed:{feed.id}")
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

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar that a longer list brings takes its width from the names, as a
        narrower pane does."""
        self._fit_width()

    def _fit_width(self) -> None:
        """Names are shortened to the width, so a new width shortens them again."""
        if self._shown and self._shown[1] != self.scrollable_content_region.width:
            self.show(*self._shown[0])

    @property
    def selected_feed(self) -> FeedRow | None:
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith("feed:"):
            return None
        return self.feeds.get(int(option.id.removeprefix("feed:")))

    @property
    def selected_folder(self) -> str | None:
        """The folder highlighted (its path as stored), if one is."""
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith(FOLDER):
            return None
        return option.id.removeprefix(FOLDER)

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

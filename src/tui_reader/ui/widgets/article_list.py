"""The article list: one line per article, loaded a page at a time."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_reader.store import ArticleRow
from tui_reader.ui.text import plain, relative_date


def article_prompt(row: ArticleRow) -> Content:
    """`● ★ 3d    Title · Source`: the date leads so a long title never hides it."""
    unread = ("● ", "$accent") if not row.read else ("  ", "")
    mark = ("★ ", "$warning") if row.bookmarked else ("  ", "")
    when = (f"{relative_date(row.published or row.sort_time):<7}", "$text-muted")
    title = plain(row.title or "(untitled)").stylize("$text-muted" if row.read else "bold")
    source = Content.assemble("  · ", plain(row.feed_title)).stylize("$text-muted")
    if row.also_in:
        source = Content.assemble(
            source, Content.assemble("  also in: ", plain(", ".join(row.also_in)))
            .stylize("$text-muted italic"))
    if row.sources > 1:
        source = Content.assemble(source, Content.styled(f"  {row.sources} sources",
                                                         "$text-muted italic"))
    if row.hidden:
        source = Content.assemble(source, Content.styled("  hidden by a filter", "$text-muted"))
    return Content.assemble(unread, mark, when, title, source)


class ArticleList(OptionList):
    """Holds the rows it shows, so screens map a highlight back to an article."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.rows: list[ArticleRow] = []
        self.exhausted = False

    def show(self, rows: list[ArticleRow], *, append: bool = False, page: int = 0) -> None:
        if append:
            self.rows.extend(rows)
            self.add_options([Option(article_prompt(r), id=str(r.id)) for r in rows])
        else:
            keep = self.current.id if self.current else None
            self.rows = list(rows)
            self.set_options([Option(article_prompt(r), id=str(r.id)) for r in rows])
            index = next((n for n, r in enumerate(self.rows) if r.id == keep), 0)
            self.highlighted = index if self.rows else None
        self.exhausted = len(rows) < page if page else True

    @property
    def current(self) -> ArticleRow | None:
        index = self.highlighted
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    def replace(self, row: ArticleRow) -> None:
        """Redraw one row in place after its read or bookmark state changed."""
        for index, old in enumerate(self.rows):
            if old.id == row.id:
                self.rows[index] = row
                self.replace_option_prompt_at_index(index, article_prompt(row))
                return

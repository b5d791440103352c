"""A run of article text drawn with Textual's line API, wrapped a chunk at a time.

A Static lays out its whole Content before the first frame and again on every repaint: for a
200,000-character article that held the screen for seconds. Here the pieces of the body become
Content and get wrapped only as far as the first screens need before the first frame; the rest
is wrapped in slices of a few milliseconds between frames, the widget growing as it goes, and
only the lines on screen are ever drawn.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.widget import Widget

from tui_reader.ui.text import Piece

# Wrapped before the first frame: a screen and this many lines more; the rest follows at once.
FIRST_LINES = 20
# How long one slice of background wrapping may hold the event loop.
SLICE = 0.008
# The growing text is laid out again (which repaints the screen) only once it is all wrapped,
# or sooner when the reader has scrolled to within this many lines of its wrapped end.
AHEAD = 20


class ArticleText(Widget):
    """Pieces (blocks of the body) separated by a blank line, like paragraphs in a Static.

    Lines keep Textual's selection offsets (x within a source line, y the source line), so
    selecting text with the mouse and copying it works as it does in a Static.
    """

    DEFAULT_CSS = """
    ArticleText {
        height: auto;
    }
    """

    class Wrapped(Message):
        """Every piece is wrapped: the widget has its full height."""

    def __init__(self, pieces: Sequence[Piece] = (), *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._pieces: Sequence[Piece] = pieces
        # Source lines (a piece split at its newlines, a blank one between pieces), made as
        # wrapping reaches them.
        self._source: list[Content] = []
        self._made = 0
        # Wrapped lines: (source line, offset of the first character within it, the text).
        self._lines: list[tuple[int, int, Content]] = []
        self._wrapped_source = 0
        self._width = 0
        self._timer: Timer | None = None
        # The line count the last layout saw.
        self._laid_out = 0

    def update(self, pieces: Sequence[Piece]) -> None:
        """New text: everything is made and wrapped again, lazily."""
        self._pieces = pieces
        self._source, self._made = [], 0
        self._restart(self._width)
        self.refresh(layout=True)

    @property
    def complete(self) -> bool:
        return self._made == len(self._pieces) and self._wrapped_source == len(self._source)

    @property
    def wrapped_lines(self) -> int:
        return len(self._lines)

    def _restart(self, width: int) -> None:
        self._width = width
        self._lines, self._wrapped_source, self._laid_out = [], 0, 0
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _wrap(self, lines: int | None = None, until: float | None = None) -> None:
        """Wrap until there are `lines` lines, or until the clock reaches `until`; say so
        when the end is reached."""
        self._wrap_some(lines, until)
        if self.complete:
            self.post_message(self.Wrapped())

    def _wrap_some(self, lines: int | None, until: float | None) -> None:
        width = max(1, self._width)
        while not self.complete:
            if lines is not None and len(self._lines) >= lines:
                return
            if until is not None and time.perf_counter() >= until:
                return
            if self._wrapped_source == len(self._source):
                self._make_next()
                continue
            y = self._wrapped_source
            source = self._source[y]
            self._wrapped_source += 1
            if not source:
                self._lines.append((y, 0, source))
                continue
            plain, at = source.plain, 0
            for line in source.wrap(width):
                # Wrapping only drops spaces at the break, so each line is found in order.
                at = plain.find(line.plain, at) if line.plain else at
                self._lines.append((y, at, line))
                at += len(line.plain)

    def _make_next(self) -> None:
        if self._made:
            self._source.append(Content(""))
        self._source.extend(self._pieces[self._made]().split("\n", allow_blank=True))
        self._made += 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines wrapped so far, but only when all are or more are needed: each new
        height lays the screen out again, and growing at every layout would chain layouts
        for as long as the wrapping goes on."""
        if width != self._width:
            self._restart(width)
        needed = max(viewport.height + FIRST_LINES, self._needed())
        if not self.complete:
            self._wrap(lines=needed)
            if not self.complete and self._timer is None:
                self._timer = self.set_timer(0.001, self._wrap_more)
        if self.complete or self._laid_out < needed:
            self._laid_out = len(self._lines)
        return self._laid_out

    def _needed(self) -> int:
        """Lines down to a screen and AHEAD below the bottom of the scrolled view."""
        view = self.parent
        if not isinstance(view, Widget) or not self.is_mounted:
            return 0
        top = self.virtual_region.y
        return int(view.scroll_y) + view.size.height - top + AHEAD

    def _wrap_more(self) -> None:
        """One slice of background wrapping; the widget grows when done, or when the view
        has come near its end."""
        self._timer = None
        self._wrap(until=time.perf_counter() + SLICE)
        if not self.complete:
            self._timer = self.set_timer(0.001, self._wrap_more)
        if self.complete or self._needed() > self._laid_out:
            self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.visual_style
        if not 0 <= y < len(self._lines):
            return Strip.blank(width, base.rich_style)
        source_y, x, line = self._lines[y]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(source_y)) is not None:
            start, end = span
            end = len(line.plain) + x if end == -1 else end
            start, end = max(0, start - x), min(len(line.plain), end - x)
            if start < end:
                chosen = Style.from_styles(self.screen.get_component_styles("screen--selection"))
                line = line.stylize(chosen, start, end)
        segments = []
        for text, style in line.render(base, end="", parse_style=self._get_style):
            segments.append(Segment(text, (base + style).rich_style_with_offset(x, source_y)))
            x += len(text)
        return Strip(segments).crop_extend(0, width, base.rich_style)

    @property
    def content(self) -> Content:
        """The whole text, every piece made."""
        while self._made < len(self._pieces):
            self._make_next()
        return Content("\n").join(self._source)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.content.plain), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

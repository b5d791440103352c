"""A picture in the reader: its caption at once, the image once loaded from the picture cache.

textual-image draws through the Kitty graphics protocol or Sixel where the terminal has them and
with half-block characters elsewhere. Which one the terminal speaks was asked before Textual
took it over (ui/terminal.py); textual-image is imported here, told not to ask again.
"""

from __future__ import annotations

import asyncio

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from tui_reader.net.images import ImageError, open_image
from tui_reader.store.images import ImageCache
from tui_reader.ui.terminal import answered
from tui_reader.ui.text import plain

with answered() as terminal:
    from textual_image._terminal import CellSize, get_cell_size
    from textual_image.renderable import HalfcellImage, UnicodeImage
    from textual_image.widget import HalfcellImage as HalfcellWidget
    from textual_image.widget import SixelImage as SixelWidget
    from textual_image.widget import TGPImage as TGPWidget
    from textual_image.widget import UnicodeImage as UnicodeWidget
    from textual_image.widget._base import Image as ImageWidget

RENDERERS: dict[str, type[ImageWidget]] = {
    "sixel": SixelWidget, "tgp": TGPWidget, "halfcell": HalfcellWidget, "unicode": UnicodeWidget,
}
# How pictures are drawn; tests and snapshots pin the half-block renderer.
RENDERER = RENDERERS[terminal.pictures]
# Pictures as wide as the text column, and never so tall that the article disappears.
MAX_COLUMNS = 100
MAX_ROWS = 24


def load_picture(
    cache: ImageCache, url: str, box: tuple[int, int] | None = None
) -> PILImage.Image | None:
    """The cached picture decoded, fitted into `box` pixels if given (call off the event loop);
    None when it is not there or unreadable."""
    data = cache.get(url)
    if data is None:
        return None
    try:
        image = open_image(data)
        if box:
            image.thumbnail(box)
        image.load()
    except (ImageError, OSError, ValueError):
        return None
    return image


def fit(
    pixels: tuple[int, int], columns: int, rows: int, cell: CellSize, *, grow: bool
) -> tuple[int, int]:
    """Cells for a picture within columns × rows, its shape kept; no wider than its own pixels
    unless `grow` (block characters have so few dots that any picture gains from width)."""
    width, height = pixels
    cols = max(1, columns if grow else min(columns, round(width / cell.width)))
    lines = max(1, round(cols * cell.width * height / (width * cell.height)))
    if lines > rows:
        lines = rows
        cols = max(1, round(rows * cell.height * width / (height * cell.width)))
    return cols, lines


def _blocky() -> bool:
    return RENDERER._Renderable in (HalfcellImage, UnicodeImage)


class Picture(Vertical):
    """Caption below, image above once `show_image` is called; or why there is no image."""

    DEFAULT_CSS = """
    Picture {
        height: auto;
        max-width: 100;
        margin: 1 0;
    }
    Picture .picture-caption {
        color: $text-muted;
        text-style: italic;
    }
    """

    def __init__(self, url: str, caption: str, label: str = "image") -> None:
        super().__init__()
        self.url = url
        self.caption = caption
        self.label = label
        self._image: ImageWidget | None = None
        self._pixels = (0, 0)

    def compose(self) -> ComposeResult:
        note = Static(plain(self.caption), classes="picture-caption")
        note.display = bool(self.caption)
        yield note

    async def load(self, cache: ImageCache) -> bool:
        """Show the cached copy, decoded off the event loop; False when there is none."""
        # Block characters show two dots per cell, so more pixels than that only cost memory.
        box = (MAX_COLUMNS, MAX_ROWS * 2) if _blocky() else None
        image = await asyncio.to_thread(load_picture, cache, self.url, box)
        if image is None:
            return False
        self._pixels = image.size
        self._image = RENDERER(image)
        self._fit()
        self.mount(self._image, before=0)
        return True

    def show_missing(self, reason: str) -> None:
        """The caption as text, the way it reads with pictures off, and why."""
        text = f"[{self.label}: {self.caption}]" if self.caption else f"[{self.label}]"
        note = self.query_one(".picture-caption", Static)
        note.update(Content.assemble(plain(text), " · ", plain(reason)))
        note.display = True

    def on_resize(self, event: Resize) -> None:
        self._fit()

    def on_unmount(self) -> None:
        """Let go of the decoded image now: Textual may keep a removed widget around a while."""
        if self._image is not None:
            self._image.image = None

    def _fit(self) -> None:
        if self._image is None:
            return
        columns = min(MAX_COLUMNS, self.size.width or MAX_COLUMNS)
        # Room is left for the headline and the first lines of text, even at 24 rows.
        rows = min(MAX_ROWS, max(4, self.screen.size.height * 2 // 5 - 4))
        cols, lines = fit(self._pixels, columns, rows, get_cell_size(), grow=_blocky())
        self._image.styles.width = cols
        self._image.styles.height = lines

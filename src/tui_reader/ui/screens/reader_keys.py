"""The reader's keys, apart from the screen: config.toml's [keys] are checked against them at
start, before the reader (and the picture code it brings) is loaded."""

from __future__ import annotations

from textual.binding import Binding

READER_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("escape,q,h", "back", "Back", id="reader.back"),
    Binding("j", "scroll('down')", "Down", show=False, id="reader.down"),
    Binding("k", "scroll('up')", "Up", show=False, id="reader.up"),
    Binding("g", "scroll('home')", "Top", show=False, id="reader.top"),
    Binding("G", "scroll('end')", "Bottom", show=False, id="reader.bottom"),
    Binding("space", "scroll('page_down')", "Page down", show=False, id="reader.page_down"),
    Binding("n", "step(1)", "Next", id="reader.next"),
    Binding("p", "step(-1)", "Previous", id="reader.previous"),
    Binding("o", "browser", "Browser", id="reader.browser"),
    Binding("b", "bookmark", "Bookmark", id="reader.bookmark"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
    Binding("s", "toggle_sidebar", "Related", id="reader.sidebar"),
    Binding("i", "toggle_images", "Pictures", id="reader.images"),
    Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
    Binding("Y", "copy_numbered", "Copy link [n]", show=False, id="reader.copy_numbered"),
    Binding("w", "save_markdown", "Save as Markdown", show=False, id="reader.save"),
    Binding("tab", "switch_pane", "Switch pane", show=False, id="reader.switch_pane"),
    *[
        Binding(str(n), f"follow({n})", f"Link {n}", show=False, id=f"reader.link{n}")
        for n in range(1, 10)
    ],
]

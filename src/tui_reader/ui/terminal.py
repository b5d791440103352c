"""What pictures the terminal can show, asked while the reader loads.

textual-image asks the terminal (Sixel, the Kitty graphics protocol, the cell size in pixels)
when first imported, waiting up to a tenth of a second for each answer a terminal does not
give; and it can only ask before Textual takes over the terminal. Asked on a thread of its
own, the waiting overlaps the imports of the first frame instead of adding to them.
"""

from __future__ import annotations

import threading

_probe: threading.Thread | None = None


def _ask() -> None:
    # Importing the renderables asks for Sixel and the graphics protocol.
    import textual_image.renderable  # noqa: F401
    from textual_image._terminal import get_cell_size

    get_cell_size()


def start_probe() -> None:
    """Begin asking, once; call before importing the app."""
    global _probe
    if _probe is None:
        _probe = threading.Thread(target=_ask, name="terminal-probe", daemon=True)
        _probe.start()


def finish_probe() -> None:
    """Have the answers before Textual owns the terminal (its input thread would take them)."""
    start_probe()
    assert _probe is not None
    _probe.join()

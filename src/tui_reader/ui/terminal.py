"""What pictures the terminal can show, asked before Textual takes the terminal over.

textual-image asks on import, once Pillow has loaded: first for Sixel, then for the Kitty
graphics protocol, waiting a tenth of a second for the answer most terminals never give; and
it can only ask before Textual reads the terminal's input. On the way to the first frame that
cost the reader ~0.2 s. Here the questions go out together, in one round trip and without
any import: the graphics query and the cell size in pixels, then Device Attributes (DA1),
which every terminal answers, and answers in turn, so what has not come back before it never
will. textual-image is imported when the first picture is shown, told not to ask, and given
the answers.
"""

from __future__ import annotations

import os
import re
import select
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

Pictures = Literal["sixel", "tgp", "halfcell", "unicode"]

# A 1×1 image queried, not shown (a=q), as the graphics protocol's documentation advises.
GRAPHICS_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
CELL_QUERY = "\x1b[16t"
ATTRIBUTES_QUERY = "\x1b[c"
GRAPHICS_OK = re.compile(r"\x1b_Gi=31;OK\x1b\\")
CELL_ANSWER = re.compile(r"\x1b\[6;(\d+);(\d+)t")
ATTRIBUTES_ANSWER = re.compile(r"\x1b\[\?([\d;]*)c")
# For a terminal that answers nothing at all.
WAIT = 0.3
# textual-image's own guess when a terminal does not say (a VT340's cell).
DEFAULT_CELL = (10, 20)


@dataclass(frozen=True)
class Answers:
    pictures: Pictures
    cell: tuple[int, int] = DEFAULT_CELL  # width, height in pixels


def parse(answer: str) -> tuple[Pictures, tuple[int, int] | None]:
    """How to draw pictures, and the cell size if given, from what a terminal answered."""
    attributes = ATTRIBUTES_ANSWER.search(answer)
    cell = CELL_ANSWER.search(answer)
    size = (int(cell.group(2)), int(cell.group(1))) if cell else None
    # Sixel first where both are spoken, as textual-image chooses.
    if attributes and "4" in attributes.group(1).split(";"):
        return "sixel", size
    if GRAPHICS_OK.search(answer):
        return "tgp", size
    return "halfcell", size


def _pixels_per_cell(fd: int) -> tuple[int, int] | None:
    import fcntl
    import struct
    import termios

    try:
        rows, columns, width, height = struct.unpack(
            "HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    except OSError:
        return None
    if not (rows and columns and width and height):
        return None
    return width // columns, height // rows


def _ask_posix(stdin: int, stdout: int) -> Answers:
    import termios
    import tty

    cell = _pixels_per_cell(stdout)
    saved = termios.tcgetattr(stdin)
    answer = ""
    try:
        tty.setcbreak(stdin, termios.TCSANOW)
        query = GRAPHICS_QUERY + ("" if cell else CELL_QUERY) + ATTRIBUTES_QUERY
        os.write(stdout, query.encode())
        deadline = time.monotonic() + WAIT
        while not ATTRIBUTES_ANSWER.search(answer):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stdin], [], [], left)[0]:
                break
            answer += os.read(stdin, 1024).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(stdin, termios.TCSANOW, saved)
    pictures, given = parse(answer)
    return Answers(pictures, cell or given or DEFAULT_CELL)


def _ask() -> Answers:
    stdin, stdout = sys.__stdin__, sys.__stdout__
    if not (stdin and stdout and stdin.isatty() and stdout.isatty()):
        return Answers("unicode")
    if os.name != "posix":
        # textual-image's own questions, the console way.
        import textual_image.renderable as renderable
        from textual_image._terminal import get_cell_size

        kinds: dict[type, Pictures] = {renderable.SixelImage: "sixel",
                                       renderable.TGPImage: "tgp"}
        cell = get_cell_size()
        return Answers(kinds.get(renderable.Image, "halfcell"), (cell.width, cell.height))
    try:
        return _ask_posix(stdin.fileno(), stdout.fileno())
    except (OSError, ValueError):
        return Answers("halfcell")


_probe: threading.Thread | None = None
_answers: Answers | None = None


def _run() -> None:
    global _answers
    _answers = _ask()


def start_probe() -> None:
    """Begin asking, once; call before importing the app, and so before Textual starts."""
    global _probe
    if _probe is None:
        _probe = threading.Thread(target=_run, name="terminal-probe", daemon=True)
        _probe.start()


def finish_probe() -> Answers:
    """The answers, had before Textual owns the terminal (its input thread would take them)."""
    start_probe()
    assert _probe is not None
    _probe.join()
    assert _answers is not None
    return _answers


@contextmanager
def answered() -> Iterator[Answers]:
    """Import textual-image inside this: it asks the terminal nothing, as Textual may be
    reading the terminal by now, and takes the probe's cell size as its own."""
    answers = finish_probe()
    if "textual_image.renderable" not in sys.modules:
        stdin = sys.__stdin__
        # Without a stdin its questions give up before a byte is written. Textual reads the
        # descriptor it took at start, so it does not notice, on whichever thread this runs.
        setattr(sys, "__stdin__", None)  # noqa: B010 (a Final name to the type checker)
        try:
            import textual_image.renderable  # noqa: F401
        finally:
            setattr(sys, "__stdin__", stdin)  # noqa: B010
    from textual_image._terminal import CellSize, get_cell_size

    if answers.pictures != "unicode":
        get_cell_size._result = CellSize(*answers.cell)  # type: ignore[attr-defined]
    yield answers

"""Which build of tui_reader a benchmark runs: figures from a mypyc-compiled install (`pip
install .`, see hatch_build.py) and from a pure one (editable, or `TUI_READER_PURE=1`) differ
by design, so each benchmark prints this line and no two figures are compared across builds
unknowingly."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import tui_reader


def build_line() -> str:
    """One line naming our compiled modules, or saying there are none. An extension module
    beside its source is what the import system loads, so the files tell."""
    package = Path(tui_reader.__file__).parent
    compiled = sorted(
        ".".join((*path.relative_to(package).parts[:-1], path.name.split(".")[0]))
        for path in package.rglob("*")
        if path.name.endswith(tuple(EXTENSION_SUFFIXES))
    )
    if not compiled:
        return f"tui_reader: pure Python ({package})"
    return f"tui_reader: compiled with mypyc: {', '.join(compiled)} ({package})"

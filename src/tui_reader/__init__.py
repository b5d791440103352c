"""tui-reader: a terminal reader for entertainment news that keeps articles offline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tui_reader.clean import extract_article

__all__ = ["__version__", "extract_article"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import tui_reader` (the CLI's first step) stays cheap.
    if name == "extract_article":
        from tui_reader.clean import extract_article

        return extract_article
    raise AttributeError(name)

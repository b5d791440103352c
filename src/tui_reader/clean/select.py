"""CSS queries through one selector engine per thread.

Selectolax gives every parsed document an engine of its own, built on the document's first
query, and building it costs more than parsing a small page. An engine keeps nothing of a
document between queries, so one per thread serves every page (extraction runs in worker
threads, and an engine is not safe to share between them). Only nodes of whole documents are
queried here, never a fragment's root, for which selectolax widens the search.
"""

from __future__ import annotations

import threading
from typing import Protocol, cast

from selectolax.lexbor import LexborCSSSelector, LexborNode


class _Engine(Protocol):
    """What `LexborCSSSelector` offers (its stub leaves out `find_first`)."""

    def find(self, query: str, node: LexborNode) -> list[LexborNode]: ...

    def find_first(self, query: str, node: LexborNode) -> list[LexborNode]: ...


_local = threading.local()


def _engine() -> _Engine:
    engine: _Engine | None = getattr(_local, "engine", None)
    if engine is None:
        # The stub's __init__ lacks a return annotation.
        engine = _local.engine = cast("_Engine", LexborCSSSelector())  # type: ignore[no-untyped-call]
    return engine


def css(node: LexborNode, query: str) -> list[LexborNode]:
    """`node.css(query)`."""
    return _engine().find(query, node)


def css_first(node: LexborNode, query: str) -> LexborNode | None:
    """`node.css_first(query)`: the walk stops at the first match."""
    found = _engine().find_first(query, node)
    return found[0] if found else None

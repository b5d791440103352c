"""The offline cache: SQLite with FTS5. No HTTP, no UI."""

from tui_reader.store.errors import InvalidSearch, SearchTooBroad, StoreError
from tui_reader.store.incoming import Incoming, Prepared, prepare
from tui_reader.store.rows import (
    ArticleRow,
    FeedRow,
    RawPage,
    RelatedRead,
    SearchHit,
)
from tui_reader.store.search import HIT_END, HIT_START
from tui_reader.store.store import DEFAULT_RETENTION_DAYS, SortOrder, Store

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "HIT_END",
    "HIT_START",
    "ArticleRow",
    "FeedRow",
    "Incoming",
    "InvalidSearch",
    "Prepared",
    "RawPage",
    "RelatedRead",
    "SearchHit",
    "SearchTooBroad",
    "SortOrder",
    "Store",
    "StoreError",
    "prepare",
]

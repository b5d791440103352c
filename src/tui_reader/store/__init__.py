"""The offline cache: SQLite with FTS5. No HTTP, no UI."""

from tui_reader.store.errors import InvalidSearch, StoreError
from tui_reader.store.rows import ArticleRow, FeedRow, RelatedRead, SearchHit
from tui_reader.store.store import Store

__all__ = ["ArticleRow", "FeedRow", "InvalidSearch", "RelatedRead", "SearchHit", "Store", "StoreError"]

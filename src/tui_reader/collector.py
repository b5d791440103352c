"""Python's cyclic collector spaced out while a refresh or a grouping makes objects in bulk.

By default CPython collects its youngest objects whenever 700 more containers are alive than
at the last collection, and walks every object the process holds after ten times ten of
those. A refresh keeps thousands of articles' parts alive at once (parsed entries, prepared
rows, story signatures), and nearly none of them are in a cycle; grouping reads a signature
back for each of thousands of articles. With the default thresholds the collector took about
6% of a large refresh's CPU in one process (0.12 s of 1.9 s for 5,000 new articles, most of
it in full collections) and a third of grouping 5,000 read-back signatures (75 of 214 ms).
Spaced out as below, it takes about 2% of the refresh and nothing of the grouping, and
cycles are still found: a young collection every 10,000 containers, a full one after twenty
of the next.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_SPACED = (10_000, 20, 20)

_lock = threading.Lock()
_users = 0
_before = gc.get_threshold()


@contextlib.contextmanager
def spaced() -> Iterator[None]:
    """Collections spaced out inside, as they were again once the last of any overlapping
    uses (the reader refreshes and groups on several threads and tasks) has ended."""
    global _users, _before
    with _lock:
        if not _users:
            _before = gc.get_threshold()
            gc.set_threshold(*(max(now, wanted) for now, wanted in zip(_before, _SPACED,
                                                                       strict=True)))
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if not _users:
                gc.set_threshold(*_before)

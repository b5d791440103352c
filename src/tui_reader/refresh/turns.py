"""Turns at the database among the processes of one refresh.

SQLite lets one connection write at a time, and a connection that finds the database busy
polls for it, sleeping 1, 2, 5, 10 … 100 ms between tries. Processes that both write all
the time do not share well that way: the one that has just committed has its next batch
ready and takes the lock again long before the other's next try, so the other's articles
and feed results wait, and with them its feeds (over the 5,000 articles of
`bench/refresh.py`, the two writers slept 355 times between them). A lock the kernel hands over (flock) wakes
the waiting process the moment the holder lets go, so the refresh's processes take turns
instead, and SQLite's own polling is left for other programs.

The lock is a file of the refresh's own, so nothing but its processes ever waits on it:
the reader and other commands still meet a busy database as before. On Windows, which has
no flock, there are no turns and SQLite's polling decides alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

if sys.platform != "win32":
    import fcntl

T = TypeVar("T")


class Turns:
    """One process's hold on the refresh's lock file; `run` does a call in its turn.

    Each process opens the file itself: flock excludes open files, so a descriptor shared
    with a child would let both in at once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR)

    def run(self, call: Callable[[], T]) -> T:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            return call()
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        os.close(self._fd)


@contextlib.contextmanager
def shared_turns() -> Iterator[Turns | None]:
    """A new lock file for one refresh, removed after it; None where there is no flock or
    no file can be made (the refresh then runs without turns)."""
    if sys.platform == "win32":
        yield None
        return
    try:
        fd, name = tempfile.mkstemp(prefix="tui-reader-turns-")
    except OSError:
        yield None
        return
    os.close(fd)
    path = Path(name)
    turns = Turns(path)
    try:
        yield turns
    finally:
        turns.close()
        with contextlib.suppress(OSError):
            path.unlink()

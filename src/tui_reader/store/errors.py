"""Storage failures, each with a one-line message for the user."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A storage failure the user can act on (damaged file, newer schema, disk full)."""


class InvalidSearch(StoreError):
    """The query is not one FTS5 can run, even after quoting."""


class SearchTooBroad(InvalidSearch):
    """The query ran past the search time limit and was stopped."""


_ADVICE = {
    "SQLITE_FULL": "the disk is full; nothing was saved. Free some space and try again",
    "SQLITE_IOERR": "a disk I/O error stopped the write; nothing was saved. Is the disk full?",
    "SQLITE_BUSY": "another tui-reader kept the database busy too long; try again",
    "SQLITE_LOCKED": "another tui-reader kept the database busy too long; try again",
    "SQLITE_READONLY": "it is read-only; check the permissions of the file and its folder",
    "SQLITE_CANTOPEN": "it cannot be opened; check the permissions of the file and its folder",
    "SQLITE_PERM": "permission denied; check the permissions of the file and its folder",
    "SQLITE_NOTADB": "it is not a tui-reader database (or is badly damaged); move it aside to "
                     "start afresh, or pass another --home",
    "SQLITE_CORRUPT": "it is damaged; move it aside to start afresh, or pass another --home",
}


def describe(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """A StoreError naming the file, saying what happened and what to do about it."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_ERROR" and str(exc).startswith(("no such table", "no such column")):
        name = "SQLITE_CORRUPT"  # our own schema is missing a part: the file was damaged
    advice = next((text for code, text in _ADVICE.items() if name.startswith(code)), None)
    if advice is None:
        return StoreError(f"the database {path} failed: {exc}")
    return StoreError(f"the database {path}: {advice} ({exc})")

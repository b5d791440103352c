"""Saved searches: the search syntax plus `feed:`, `folder:`, `unread` and `bookmarked`.

A saved search lists its articles newest first, like a feed, so its words narrow the list
rather than rank it: the newest RANK_WINDOW matches of the words are the candidates.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from tui_reader.store.errors import InvalidSearch
from tui_reader.store.folders import carried_by, folder_feeds
from tui_reader.store.search import run_search

_CONDITION = re.compile(
    r'(?i)(?<!\S)(?:(feed|folder):(?:"([^"]*)"|(\S+))|(unread|bookmarked))(?!\S)')


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A saved search as parsed: its words, and the conditions beside them."""

    words: str
    feeds: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    unread: bool = False
    bookmarked: bool = False

    @classmethod
    def parse(cls, text: str) -> SavedQuery:
        feeds: list[str] = []
        folders: list[str] = []
        flags: set[str] = set()
        for found in _CONDITION.finditer(text):
            kind, quoted, bare, flag = found.groups()
            if flag:
                flags.add(flag.lower())
            else:
                (feeds if kind.lower() == "feed" else folders).append(quoted or bare or "")
        words = " ".join(_CONDITION.sub(" ", text).split())
        return cls(words, tuple(feeds), tuple(folders), "unread" in flags, "bookmarked" in flags)

    def where(self, conn: sqlite3.Connection) -> tuple[list[str], list[Any]]:
        """SQL conditions on `articles a` and their parameters; InvalidSearch, SearchTooBroad
        from the words."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.words:
            ids = run_search(conn, self.words, None)
            clauses.append(f"a.id IN ({','.join('?' * len(ids))})")
            params += ids
        if self.feeds:
            marks = ",".join("?" * len(self.feeds))
            picked = f"SELECT id FROM feeds WHERE lower(title) IN ({marks}) OR url IN ({marks})"  # noqa: S608
            clauses.append(carried_by(picked))
            named = [*(n.lower() for n in self.feeds), *self.feeds]
            params += [*named, *named]
        if self.folders:
            clauses.append(carried_by("SELECT value FROM json_each(?)"))
            params += [json.dumps(folder_feeds(conn, self.folders))] * 2
        if self.unread:
            clauses.append("a.read = 0")
        if self.bookmarked:
            clauses.append("a.bookmarked_at IS NOT NULL")
        return clauses, params


def matching(conn: sqlite3.Connection, query: SavedQuery) -> tuple[list[str], list[Any]]:
    """`query.where`, with words nothing can make sense of matching nothing."""
    try:
        return query.where(conn)
    except InvalidSearch:
        return ["0"], []

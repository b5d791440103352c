"""Folders as the reader uses them: a view of every article their feeds carry.

A feed's folder is stored as one path, its levels joined by "/" ("Film/Korean"): nested OPML
outlines, `folder` in config.toml and a sync server's categories all arrive that way. A folder
holds the feeds filed under it and under its subfolders, so "Film" lists "Film/Korean" too.
Names compare with case ignored and the spaces around each level set aside, as a person types
them in `folder:NAME` or `articles --folder NAME`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from tui_reader.store.rows import FeedRow


def folder_key(path: str) -> str:
    """A folder path as names compare: case folded, each level trimmed, empty levels gone."""
    return "/".join(level for level in (p.strip() for p in path.casefold().split("/")) if level)


def within(folder: str | None, name: str) -> bool:
    """Whether a feed filed under `folder` is in the folder `name` or one of its subfolders."""
    return folder is not None and _holds(folder_key(name), folder_key(folder))


def _holds(name: str, path: str) -> bool:
    """`within` for folder keys."""
    return bool(name) and (path == name or path.startswith(name + "/"))


def folder_feeds(conn: sqlite3.Connection, names: Iterable[str]) -> list[int]:
    """The ids of the feeds in any of these folders (none for a folder nobody uses)."""
    wanted = list(names)
    return [feed_id for feed_id, folder in conn.execute("SELECT id, folder FROM feeds")
            if any(within(folder, name) for name in wanted)]


# Unread articles a filter leaves shown that more than one feed carries: (article, the feed
# it was first stored from, another feed), a row for each other feed. CROSS JOIN walks the
# few copies, not every unread article.
_CARRIED = ("SELECT a.id, a.feed_id, x.feed_id FROM also_in x CROSS JOIN articles a"
            " ON a.id = x.article_id WHERE a.read = 0 AND a.hidden = 0")


def folder_unread(conn: sqlite3.Connection, feeds: Iterable[FeedRow]) -> dict[str, int]:
    """Each folder path feeds are filed under, with its unread articles, subfolders included.

    The feeds' own unread counts are summed, then an article that several feeds of one
    folder carry is taken off all but once: far cheaper than counting distinct articles per
    folder, as copies are few.
    """
    feeds = list(feeds)
    paths = sorted({f.folder for f in feeds if f.folder is not None}, key=str.lower)
    keys = {path: folder_key(path) for path in paths}
    holders = {f.id: [p for p in paths if _holds(keys[p], keys[f.folder])]
               for f in feeds if f.folder is not None}
    counts = {path: sum(f.unread for f in feeds if path in holders.get(f.id, ()))
              for path in paths}
    carriers: dict[int, set[int]] = {}
    for article_id, first, other in conn.execute(_CARRIED):
        carriers.setdefault(article_id, set()).update((first, other))
    for carried_by in carriers.values():
        held = Counter(path for feed_id in carried_by for path in holders.get(feed_id, ()))
        for path, times in held.items():
            counts[path] -= times - 1
    return counts


def carried_by(feeds: str) -> str:
    """A condition on `articles a`: stored from one of `feeds` (a SELECT of feed ids, named
    twice) or carried by one too. A folder's feeds carry many articles, and joined they would
    all be read and sorted for one page; taken as a set of ids, `+` has SQLite walk the time
    index keeping the set's members, so a page comes after a few hundred rows and a folder
    with none is one pass of the index."""
    return (f"+a.id IN (SELECT id FROM articles WHERE feed_id IN ({feeds})"  # noqa: S608
            f" UNION ALL SELECT article_id FROM also_in WHERE feed_id IN ({feeds}))")

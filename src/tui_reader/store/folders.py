"""Folders as the reader uses them: a view of every article their feeds carry.

A feed's folder is stored as one path, its levels joined by "/" ("Film/Korean"): nested OPML
outlines, `folder` in config.toml and a sync server's categories all arrive that way. A folder
holds the feeds filed under it and under its subfolders, so "Film" lists "Film/Korean" too.
Names compare with case ignored and the spaces around each level set aside, as a person types
them in `folder:NAME` or `articles --folder NAME`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from tui_reader.store.rows import HIDDEN


def folder_key(path: str) -> str:
    """A folder path as names compare: case folded, each level trimmed, empty levels gone."""
    return "/".join(level for level in (p.strip() for p in path.casefold().split("/")) if level)


def within(folder: str | None, name: str) -> bool:
    """Whether a feed filed under `folder` is in the folder `name` or one of its subfolders."""
    if folder is None:
        return False
    path, wanted = folder_key(folder), folder_key(name)
    return bool(wanted) and (path == wanted or path.startswith(wanted + "/"))


def folder_feeds(conn: sqlite3.Connection, names: Iterable[str]) -> list[int]:
    """The ids of the feeds in any of these folders (none for a folder nobody uses)."""
    wanted = list(names)
    return [feed_id for feed_id, folder in conn.execute("SELECT id, folder FROM feeds")
            if any(within(folder, name) for name in wanted)]


def folder_names(conn: sqlite3.Connection) -> list[str]:
    """Every folder path a feed is filed under, as stored."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT folder FROM feeds WHERE folder IS NOT NULL ORDER BY lower(folder)")]


# Each unread article a filter leaves shown, with the folder of each feed that carries it.
_UNREAD_IN_FOLDERS = f"""
SELECT a.id, f.folder FROM feeds f
JOIN articles a INDEXED BY articles_unread_by_feed ON a.feed_id = f.id AND a.read = 0
WHERE f.folder IS NOT NULL AND a.id NOT IN ({HIDDEN})
UNION ALL
SELECT x.article_id, f.folder FROM feeds f JOIN also_in x ON x.feed_id = f.id
JOIN articles a ON a.id = x.article_id
WHERE f.folder IS NOT NULL AND a.read = 0 AND a.hidden = 0
"""  # noqa: S608


def folder_unread(conn: sqlite3.Connection) -> dict[str, int]:
    """Each stored folder path and its unread articles, subfolders included: an article that
    two of its feeds carry counts once."""
    paths = folder_names(conn)
    # (folder shown, folder a feed is filed under) for each path the shown one holds.
    holds = [[name, path] for name in paths for path in paths if within(path, name)]
    counts = dict(conn.execute(
        f"WITH unread (id, folder) AS ({_UNREAD_IN_FOLDERS}),"  # noqa: S608
        " holds (name, folder) AS (SELECT json_extract(value, '$[0]'),"
        " json_extract(value, '$[1]') FROM json_each(?))"
        " SELECT holds.name, count(DISTINCT unread.id) FROM holds"
        " JOIN unread ON unread.folder = holds.folder GROUP BY holds.name",
        (json.dumps(holds),)).fetchall())
    return {name: counts.get(name, 0) for name in paths}

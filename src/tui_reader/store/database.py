"""Opening the database: pragmas, the schema version check, and clear errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tui_reader.store.errors import StoreError, describe
from tui_reader.store.schema import APPLICATION_ID, check_version, migrate

BUSY_TIMEOUT = 10.0


def connect(path: Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open (creating if needed) and migrate; refuse files that are not ours, touching nothing.

    Every check that can refuse the file runs before the first pragma that writes, so a
    foreign, damaged or newer database is left byte for byte as it was.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the database {path}: {exc}") from exc
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise describe(exc, path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # One read transaction, so a database another process is creating this instant is
        # not caught with its tables made but its id not yet written.
        conn.execute("BEGIN")
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        conn.execute("COMMIT")
        if app_id != APPLICATION_ID and tables:
            raise StoreError(
                f"{path} is not a tui-reader database; move it aside or pass another --home"
            )
        check_version(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise describe(exc, path) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def database_path(conn: sqlite3.Connection) -> str:
    """The file behind a connection, for error messages."""
    try:
        return str(conn.execute("PRAGMA database_list").fetchone()[2]) or "(in memory)"
    except sqlite3.Error:
        return "(the database)"


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A short write transaction taken with BEGIN IMMEDIATE, so waiting replaces failing.

    Engine and disk failures (busy past the timeout, disk full, I/O error) roll back and
    become a StoreError naming the file; SQLite may already have rolled back on its own.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise describe(exc, database_path(conn)) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        # Busy, full, I/O or damage: the user can act on these. Constraint errors are bugs.
        if isinstance(exc, sqlite3.OperationalError) or type(exc) is sqlite3.DatabaseError:
            raise describe(exc, database_path(conn)) from exc
        raise

"""Opening the database: pragmas, the schema version check, and clear errors."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from tui_reader.store.errors import StoreError, describe
from tui_reader.store.schema import (
    APPLICATION_ID,
    TABLES,
    VERSION,
    Announce,
    check_version,
    migrate,
    version_of,
)

BUSY_TIMEOUT = 10.0


def connect(path: Path, timeout: float = BUSY_TIMEOUT, *, reading: bool = False,
            announce: Announce | None = None) -> sqlite3.Connection:
    """Open (creating if needed) and migrate; refuse files that are not ours, touching nothing.

    Every check that can refuse the file runs before the first pragma that writes, so a
    foreign, damaged or newer database is left byte for byte as it was. A command that only
    reads (`reading`) still works on a full disk: WAL readers need a shared-memory file that
    a full disk cannot give, so there the file is read as a snapshot without one.
    `announce` is told before an existing database is upgraded.
    """
    try:
        return _connect(path, timeout, announce)
    except StoreError as exc:
        cause = exc.__cause__
        full = isinstance(cause, sqlite3.Error) and getattr(
            cause, "sqlite_errorname", "").startswith(("SQLITE_IOERR", "SQLITE_FULL"))
        if not (reading and full and path.exists()):
            raise
    return _snapshot(path)


def _snapshot(path: Path) -> sqlite3.Connection:
    """The database read as it is on disk, with no lock, journal or shared memory: what a
    full disk still allows. Writes through it fail as read-only."""
    uri = f"file:{quote(str(path.resolve()))}?immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        _check_ours(conn, path)
        _check_tables(conn, path)
        if version_of(conn) != VERSION:
            raise StoreError(f"{path} needs an upgrade this full disk leaves no room for;"
                             " free some space and try again")
    except sqlite3.DatabaseError as exc:
        raise describe(exc, path) from exc
    return conn


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is neither ours nor new: one with another program's id, or with
    tables or a schema version but not our id (an empty database of another program too)."""
    conn.execute("BEGIN")
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    version = version_of(conn)
    conn.execute("COMMIT")
    if app_id != APPLICATION_ID and (app_id or tables or version):
        raise StoreError(
            f"{path} is not a tui-reader database; move it aside or pass another --home"
        )


def _check_tables(conn: sqlite3.Connection, path: Path) -> None:
    """Our database with a table gone (dropped by hand or lost to damage) is damaged, said
    once here rather than as "no such table" from whichever command runs into it."""
    found = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    missing = [name for name in TABLES if name not in found]
    if missing:
        raise StoreError(f"the database {path}: it is damaged (table {', '.join(missing)} is"
                         " missing); move it aside to start afresh, or pass another --home")


def _when_free(conn: sqlite3.Connection, statement: str, timeout: float) -> None:
    """Run `statement`, asking again while SQLite answers busy. Switching to WAL answers
    busy at once, without calling the busy handler, while another connection is creating
    or switching the same database: two instances started together on a new one."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY") \
                    or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _connect(path: Path, timeout: float, announce: Announce | None) -> sqlite3.Connection:
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
        _check_ours(conn, path)
        check_version(conn, path)
        _when_free(conn, "PRAGMA journal_mode = WAL", timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path, announce=announce)
        _check_tables(conn, path)
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

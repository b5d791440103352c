"""Sync with a self-hosted aggregator server: subscriptions, read state and bookmarks both
ways, local changes queued in the store's outbox until the server has them. No UI.

`backend` is what a server must offer, `ttrss` the Tiny Tiny RSS API, `engine` the sync.
"""

from __future__ import annotations

import asyncio
import shlex
import stat
import subprocess

from tui_reader.config import Settings, SyncSettings
from tui_reader.net.http import Fetcher
from tui_reader.pictures import Pictures
from tui_reader.store import FeedRow, Store
from tui_reader.store.outbox import SyncStore
from tui_reader.sync.backend import Backend, SyncError
from tui_reader.sync.engine import COUNTS, SyncProgress, SyncReport, sync

__all__ = ["COUNTS", "Backend", "SyncError", "SyncProgress", "SyncReport", "connect",
           "direct_feeds", "read_password", "sync", "sync_configured"]


def read_password(settings: SyncSettings) -> str:
    """From the file (refused unless only its owner can read it) or the command's first line.

    The command is split like a shell would but run without one: config.toml is the person's
    own, yet nothing in it is handed to a shell to interpret.
    """
    if settings.password_file is not None:
        path = settings.password_file
        try:
            mode = path.stat().st_mode
            if stat.S_IMODE(mode) & 0o077:
                raise SyncError(f"[sync] password_file {path} can be read by others; make it"
                                f" yours alone with: chmod 600 {shlex.quote(str(path))}")
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SyncError(f"[sync] password_file {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise SyncError(f"[sync] password_file {path} is not UTF-8 text") from None
    else:
        assert settings.password_command is not None
        try:
            argv = shlex.split(settings.password_command)
            done = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                                  check=False, stdin=subprocess.DEVNULL)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise SyncError(f"[sync] password_command could not run ({type(exc).__name__})"
                            ) from None
        if done.returncode != 0:
            raise SyncError(f"[sync] password_command failed (exit status {done.returncode})")
        text = done.stdout
    password = text.splitlines()[0] if text.strip() else ""
    if not password:
        source = "password_file" if settings.password_file else "password_command"
        raise SyncError(f"[sync] {source} gave no password")
    return password


async def connect(settings: SyncSettings) -> Backend:
    """The backend for the configured service. The password is read on a thread: a
    password manager's command may wait for the person for up to two minutes, and the loop
    it would hold also carries the refresh."""
    from tui_reader.sync.ttrss import TtRss

    password = await asyncio.to_thread(read_password, settings)
    return TtRss(settings.url, settings.user, password)


async def sync_configured(store: Store, fetcher: Fetcher, settings: Settings, *,
                          pictures: Pictures | None = None,
                          progress: SyncProgress | None = None) -> SyncReport:
    """Sync with the server config.toml names (the CLI's and the reader's refresh). A
    failure comes back as the report's one-line error, never raised: nothing is lost."""
    assert settings.sync is not None
    try:
        async with await connect(settings.sync) as backend:
            return await sync(store, fetcher, backend, options=settings.feeds,
                              pictures=pictures, progress=progress)
    except SyncError as exc:
        queued = SyncStore(store.conn).queued()
        error = str(exc)
        if exc.kept:
            error += f"; {queued} changes kept for the next sync"
        return SyncReport(queued=queued, error=error)


def direct_feeds(store: Store) -> list[FeedRow]:
    """The subscriptions a refresh fetches itself: all but those the server fetches."""
    synced = set(SyncStore(store.conn).mapped_feeds().values())
    return [f for f in store.feeds() if f.id not in synced]

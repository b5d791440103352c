"""Durability: kills mid-write, two writers, a held lock, a full disk."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from http_support import reply
from tui_reader.models import Article
from tui_reader.paths import Paths
from tui_reader.store import Store, StoreError

MakeArticle = Callable[..., Article]

WRITER = """
import sys
from pathlib import Path
from tui_reader.models import Article, Block, Span
from tui_reader.store import Store

path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store.open(path) as store:
    for n in range(count):
        article = Article(url=f"https://e.com/{name}/{n}", title=f"{name} {n}",
                          blocks=[Block("p", [[Span(f"body {n} " * 200)]])])
        article_id, _ = store.save_article(article, feed_id=None, guid=None,
                                           raw_html=b"<p>page</p>" * 500)
        store.set_read([article_id])
        if n % 10 == 0:
            store.set_bookmarked(article_id, True)
"""


def _check(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)")
    return conn


def _bookmarked(path: Path) -> set[int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id FROM articles WHERE bookmarked_at IS NOT NULL")
        return {r[0] for r in rows}


def test_two_processes_writing_at_once_both_succeed(db_path: Path) -> None:
    Store.open(db_path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), name, "150"],
                              stderr=subprocess.PIPE, text=True) for name in ("one", "two")]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with Store.open(db_path) as store:
        assert store.counts() == {"all": 300, "unread": 0, "bookmarks": 30}
    _check(db_path).close()


def test_sigkill_while_writing_leaves_a_sound_database_and_every_bookmark(
    db_path: Path, make: MakeArticle
) -> None:
    with Store.open(db_path) as store:
        for n in range(5):
            article_id, _ = store.save_article(make(n), feed_id=None, guid=None)
            store.set_bookmarked(article_id, True)
    confirmed = _bookmarked(db_path)
    rng = random.Random(5)
    for round_ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), f"r{round_}",
                                 "100000"])
        time.sleep(rng.uniform(0.12, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        assert confirmed <= _bookmarked(db_path)
        confirmed = _bookmarked(db_path)
    conn = _check(db_path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 5
    conn.close()
    with Store.open(db_path) as store:
        assert store.search("body")


def _feed(site_base: str, hits: list[int]) -> Callable[[BaseHTTPRequestHandler], None]:
    """A feed with 40 new entries on every request, each linking to a page."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        hits.append(1)
        items = "".join(
            f"<item><title>Story {len(hits)}-{n}</title><guid>g{len(hits)}-{n}</guid>"
            f"<link>{site_base}/page/{len(hits)}-{n}</link>"
            f"<description>Summary {n}</description></item>"
            for n in range(40)
        )
        reply(request, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Kill feed'
              f"</title><link>{site_base}/</link>{items}</channel></rss>", "application/rss+xml")

    return handler


def _page(request: BaseHTTPRequestHandler) -> None:
    text = "".join(f"<p>Paragraph {n} of a long story about the film festival and its stars.</p>"
                   for n in range(30))
    reply(request, f"<html><body><article><h1>Story</h1>{text}</article></body></html>")


def test_sigkill_during_refresh_loop(home: Path, site: object, make: MakeArticle) -> None:
    base: str = site.base  # type: ignore[attr-defined]
    hits: list[int] = []
    site.handle("/feed.xml", _feed(base, hits))  # type: ignore[attr-defined]
    for n in range(40 * 12):
        site.handle(f"/page/{n // 40 + 1}-{n % 40}", _page)  # type: ignore[attr-defined]
    database = Paths.resolve(home).ensure().database
    with Store.open(database) as store:
        store.add_feed(f"{base}/feed.xml", "Kill feed")
        for n in range(3):
            article_id, _ = store.save_article(make(n), feed_id=None, guid=None)
            store.set_bookmarked(article_id, True)
    confirmed = _bookmarked(database)
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    rng = random.Random(8)
    for _ in range(5):
        asked = len(hits)
        proc = subprocess.Popen([sys.executable, "-m", "tui_reader", "refresh", "--force"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Killed at a random point once the refresh is under way, however slow its start.
        started = time.monotonic()
        while len(hits) == asked and proc.poll() is None and time.monotonic() - started < 30:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert _bookmarked(database) == confirmed
    conn = _check(database)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 3  # killed mid-refresh
    conn.close()
    done = subprocess.run([sys.executable, "-m", "tui_reader", "refresh", "--force"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with Store.open(database) as store:
        assert store.counts()["all"] >= 40 + 3
        assert store.counts()["bookmarks"] == 3


def test_a_held_write_lock_is_waited_for(db_path: Path, make: MakeArticle) -> None:
    with Store.open(db_path) as store:
        article_id, _ = store.save_article(make(1), feed_id=None, guid=None)
        other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        released = threading.Event()

        def release() -> None:
            time.sleep(0.3)
            released.set()
            other.execute("COMMIT")

        threading.Thread(target=release).start()
        assert store.articles()  # reads go on while another process writes (WAL)
        store.set_bookmarked(article_id, True)
        assert released.is_set()
        assert store.counts()["bookmarks"] == 1
        other.close()


def test_a_lock_held_past_the_timeout_is_a_clear_error(db_path: Path, make: MakeArticle) -> None:
    Store.open(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(db_path, timeout=0.1) as store, \
                pytest.raises(StoreError, match="busy too long") as info:
            store.save_article(make(1), feed_id=None, guid=None)
        assert str(db_path) in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_disk_full_rolls_back_and_keeps_bookmarks(db_path: Path, make: MakeArticle) -> None:
    with Store.open(db_path) as store:
        article_id, _ = store.save_article(make(1), feed_id=None, guid=None)
        store.set_bookmarked(article_id, True)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        huge = make(2, "incompressible " + os.urandom(400_000).hex())
        with pytest.raises(StoreError, match="disk is full") as info:
            store.save_article(huge, feed_id=None, guid=None, raw_html=os.urandom(300_000))
        assert str(db_path) in str(info.value)
        assert not store.conn.in_transaction
        assert store.counts() == {"all": 1, "unread": 1, "bookmarks": 1}
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        store.save_article(make(3), feed_id=None, guid=None)
    _check(db_path).close()

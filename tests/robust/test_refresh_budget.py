"""Class 4: a feed's new entries (pages and pictures) get a total time budget in a refresh;
what is not done is left for the next refresh and said so, and other feeds are unaffected."""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from http_support import reply
from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.refresh import refresh_all, run
from tui_reader.store import Store

ENTRIES = 6
# Each request may take far longer than the budget: only the budget can end the wait.
SETTINGS = HttpSettings(connect_timeout=5.0, read_timeout=10.0, deadline=10.0, retries=0)
PARAGRAPHS = "<p>A long paragraph about the film festival and its many stars.</p>" * 20


def _rss(title: str, links: list[str | None]) -> str:
    items = "".join(
        f"<item><title>{title} {n}</title><guid>{title}-{n}</guid>"
        + (f"<link>{link}</link>" if link else f"<description>{PARAGRAPHS}</description>")
        + "</item>" for n, link in enumerate(links))
    return f"<rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>"


async def test_a_slow_feed_is_cut_at_its_budget_and_finished_next_time(
    site: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "FEED_BUDGET", 1.0)
    slow = threading.Event()
    slow.set()

    def page(request: BaseHTTPRequestHandler) -> None:
        if slow.is_set():
            time.sleep(4.0)  # well past the budget, well within the request's deadline
        with contextlib.suppress(OSError):  # the client gave up at its budget
            reply(request, f"<html><body><article><h1>Story</h1>{PARAGRAPHS}</article></body>"
                  "</html>")

    add = site.add  # type: ignore[attr-defined]
    pages = [site.handle(f"/page/{n}", page) for n in range(ENTRIES)]  # type: ignore[attr-defined]
    slow_feed = add("/slow.xml", _rss("Slow", list(pages)), "application/rss+xml",
                    headers={"ETag": '"v1"'})
    fast_feed = add("/fast.xml", _rss("Fast", [None] * 3), "application/rss+xml")
    with Store.open(tmp_path / "db.sqlite3") as store:
        store.add_feed(slow_feed, "Slow")
        store.add_feed(fast_feed, "Fast")
        async with Fetcher(SETTINGS) as fetcher:
            report = await refresh_all(store, fetcher, processes=1)
            by_title = {r.title: r for r in report.results}
            assert by_title["Fast"].outcome == "ok" and by_title["Fast"].new == 3
            cut = by_title["Slow"]
            assert cut.outcome == "ok" and cut.left == ENTRIES and cut.new == 0
            assert "left for the next refresh" in report.summary()
            assert "left" in cut.left_note
            slow_row = next(f for f in store.feeds() if f.url == slow_feed)
            assert slow_row.etag is None and slow_row.next_due is None

            slow.clear()
            report = await refresh_all(store, fetcher, processes=1)
        finished = {r.title: r for r in report.results}["Slow"]
        assert finished.new == ENTRIES and finished.left == 0
        assert "left" not in report.summary()

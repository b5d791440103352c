"""`add`, `feeds` and `refresh` from the command line, against the loopback server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main
from tui_reader.paths import Paths
from tui_reader.store import Store

Site = Any
RSS = ("<rss version='2.0'><channel><title>Trailer Park</title>"
       "<item><guid>t1</guid><title>New teaser</title><link>/t1.html</link>"
       "<description>Two minutes of explosions and one good joke.</description></item>"
       "</channel></rss>")


def page_with_feeds(site: Site) -> str:
    html = (Path(__file__).parent / "data" / "page.html").read_text()
    return html.replace("{base}", site.base)


def test_add_follows_autodiscovery_and_prints_the_others(
    site: Site, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.add("/blog/feed/", RSS, "application/rss+xml")
    site.add("/blog/", page_with_feeds(site))
    assert main(["add", site.url("/blog/")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "Trailer Park\n"
    assert captured.err.splitlines() == [
        f"subscribed to {site.url('/blog/feed/')}; the page also names:",
        f"  {site.url('/feed/atom/')}",
        f"  {site.url('/feed.json')}",
    ]


def test_add_reports_not_a_feed(site: Site, home: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    url = site.add("/about", "<!DOCTYPE html><html><body>About us</body></html>")
    assert main(["add", url]) == 1
    assert "is an HTML page that names no feed" in capsys.readouterr().err


def test_refresh_then_feeds_show_each_outcome(site: Site, home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    site.add("/t1.html", "<html><body><p>short</p></body></html>")
    good = site.add("/feed.xml", RSS, "application/rss+xml", headers={"ETag": '"1"'})
    assert main(["add", good]) == 0
    missing = site.add("/missing.xml", RSS, "application/rss+xml")
    assert main(["add", missing]) == 0
    site.add("/missing.xml", "gone", status=404)
    capsys.readouterr()

    assert main(["refresh"]) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == (
        "1 feeds ok, 1 failed, 0 unchanged, 0 not due; 1 new articles, 0 KiB downloaded"
    )
    err = captured.err.splitlines()
    assert f"tui-reader: {missing}: HTTP 404 (not found)" in err
    # Not a terminal: one plain progress line per feed.
    assert sum(line.startswith("[") for line in err) == 2
    assert "[2/2]" in captured.err and "\r" not in captured.err

    assert main(["feeds"]) == 0
    out = capsys.readouterr().out
    assert ": HTTP 404 (not found) · no success yet · 0 unread" in out
    assert "ok " in out and "1 unread" in out

    site.add("/missing.xml", RSS, "application/rss+xml")
    assert main(["refresh", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # The recovered feed carries the article the other feed brought: it is stored once.
    assert (report["ok"], report["failed"], report["new_articles"]) == (2, 0, 0)
    assert main(["articles", "--json"]) == 0
    [article] = json.loads(capsys.readouterr().out)
    assert len(article["also_in"]) == 1


def test_feeds_flags_a_gone_feed_and_a_malformed_one(site: Site, home: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    gone = site.add("/gone.xml", RSS, "application/rss+xml")
    loose = site.add("/loose.xml", RSS.replace("</channel></rss>", "<br></channel>"),
                     "application/rss+xml")
    assert main(["add", gone]) == 0 and main(["add", loose]) == 0
    site.add("/gone.xml", "", status=410)
    assert main(["refresh"]) == 1
    capsys.readouterr()
    assert main(["feeds"]) == 0
    out = capsys.readouterr().out
    assert f"unsubscribe with: tui-reader remove {gone}" in out
    assert "malformed but readable" in out


def test_feeds_never_prints_control_sequences(home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(Paths.resolve(home).ensure().database) as store:
        feed, _ = store.add_feed("http://127.0.0.1:9/feed", "Evil \x1b]0;owned\x07 title")
        store.record_feed_result(feed.id, error="boom \x1b[2J\x9b31m", status=None)
    assert main(["feeds"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "Evil" in out and "boom" in out

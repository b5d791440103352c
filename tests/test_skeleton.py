"""The walking skeleton: feed → refresh → articles → read → the reader on screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tui_reader.cli import main
from tui_reader.paths import Paths
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from conftest import Site


@pytest.fixture
def marquee(site: Site) -> str:
    site.add_file("/2026/11/harbor-lights-season-three.html", "harbor-lights.html")
    site.add_file("/2026/11/glass-orchard-score.html", "glass-orchard.html")
    return site.add_file("/feed.xml", "skeleton-feed.xml", "application/rss+xml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_feed_to_cli(home: Path, marquee: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add", marquee) == (0, "Marquee Weekly\n", "")
    code, out, _ = run(capsys, "refresh")
    assert code == 0
    assert "2 new articles" in out

    code, out, _ = run(capsys, "articles", "--json")
    articles = json.loads(out)
    assert [a["title"] for a in articles] == [
        "Harbor Lights renewed for a third season",
        "Inside the score of Glass Orchard",
    ]
    first = articles[0]
    assert first["feed"] == marquee
    assert first["author"] == "Dana Whitfield"
    assert first["published"] == "2026-11-23T09:30:00+00:00"
    assert (first["read"], first["bookmarked"]) == (False, False)

    code, out, _ = run(capsys, "read", str(first["id"]), "--format", "json")
    article = json.loads(out)
    assert article["text"].startswith("The coastal mystery series Harbor Lights will return")
    assert "ALSO READ" not in article["text"]
    assert "Harbor Lights renewed" not in article["text"]
    assert article["related"] == [
        {
            "title": "Inside the score of Glass Orchard",
            "url": marquee.replace("/feed.xml", "/2026/11/glass-orchard-score.html"),
        }
    ]

    code, out, _ = run(capsys, "read", str(first["id"]))
    assert out.splitlines()[0] == "Harbor Lights renewed for a third season"


def test_bad_input_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "read", "999")
    assert code == 2
    assert err == "tui-reader: no article with id 999\n"
    code, _, err = run(capsys, "read", "javascript:alert(1)")
    assert code == 2
    assert err.count("\n") == 1
    code, _, err = run(capsys, "add", "http://127.0.0.1:9/feed.xml")
    assert code == 1
    assert err.startswith("tui-reader: ") and err.count("\n") == 1


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in (
        "demo",
        "add",
        "remove",
        "feeds",
        "refresh",
        "articles",
        "read",
        "search",
        "bookmark",
        "unbookmark",
        "import-opml",
        "export-opml",
    ):
        assert f"    {command}" in out


def test_fetch_and_store_never_import_textual() -> None:
    code = (
        "import sys, tui_reader.net.http, tui_reader.feeds.parse, tui_reader.clean, "
        "tui_reader.store, tui_reader.refresh, tui_reader.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture
def refreshed(home: Path, marquee: str) -> Path:
    assert main(["add", marquee]) == 0
    assert main(["refresh"]) == 0
    return home


async def test_reader_shows_article_and_sidebar(refreshed: Path) -> None:
    home = refreshed
    app = ReaderApp(Paths.resolve(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main_screen = app.main
        assert next(r.title for r in main_screen.article_list.rows).startswith("Harbor Lights")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.article is not None
        assert reader.article.title == "Harbor Lights renewed for a third season"
        assert reader.sidebar.display
        assert next(r.title for r in reader.sidebar.reads) == "Inside the score of Glass Orchard"
        assert reader.sidebar.reads[0].cached


def test_output_cut_short_by_its_reader_ends_quietly(home: Path, marquee: str) -> None:
    """`tui-reader articles | head -1`: no traceback or error line once head has gone."""
    assert main(["add", marquee]) == 0 and main(["refresh"]) == 0
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "tui_reader", "articles"], stdout=write,
                              stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "")

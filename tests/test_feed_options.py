"""Per-feed options from config.toml, and the curated feed list (served from loopback here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui_reader import curated
from tui_reader.cli import main
from tui_reader.curated import Suggestion

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Backstage Pass</title>
<item><title>Velvet Comet add a second night</title><link>{base}/story.html</link>
<guid>bp-1</guid><description>The group adds a second Harborlight night after the first
sold out in minutes, with the same set list and a new encore.</description></item>
</channel></rss>"""
PAGE = "<html><body><article><p>" + "Page text about the second night. " * 20 + "</p></article>"


@pytest.fixture
def backstage(site: Any) -> str:
    site.add("/story.html", PAGE)
    return site.add("/feed.xml", FEED.replace("{base}", site.base), "application/rss+xml")


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_content_only_title_folder_and_interval(
    home: Path, site: Any, backstage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(
        home,
        f'[feeds."{backstage}"]\ntitle = "Backstage"\nfolder = "Music"\n'
        "content_only = true\nrefresh_minutes = 120\n",
    )
    assert main(["add", backstage]) == 0
    assert main(["refresh"]) == 0
    assert site.seen("/story.html") == []
    capsys.readouterr()
    assert main(["feeds", "--json"]) == 0
    feed = json.loads(capsys.readouterr().out)[0]
    assert (feed["title"], feed["folder"]) == ("Backstage", "Music")
    assert main(["read", "1", "--format", "json"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["text"].startswith("The group adds a second Harborlight night")
    assert main(["refresh"]) == 0
    assert "1 not due" in capsys.readouterr().out
    assert len(site.seen("/feed.xml")) == 2  # add, then the first refresh only


def test_pages_are_downloaded_without_options(home: Path, site: Any, backstage: str) -> None:
    assert main(["add", backstage]) == 0
    assert main(["refresh"]) == 0
    assert len(site.seen("/story.html")) == 1


def test_suggested_feeds(
    home: Path,
    site: Any,
    backstage: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(
        curated,
        "SUGGESTIONS",
        (
            Suggestion("backstage", "Backstage Pass", backstage, "Music"),
            Suggestion("gone", "Gone Daily", site.url("/missing.xml"), "Film & TV"),
        ),
    )
    assert main(["feeds", "--suggest"]) == 0
    listing = capsys.readouterr().out
    assert "backstage" in listing and "Music:" in listing
    assert main(["add", "--suggested", "backstage", "gone"]) == 1
    out, err = capsys.readouterr()
    assert out == "Backstage Pass\n"
    assert err.count("\n") == 1 and err.startswith("tui-reader: could not add Gone Daily")
    assert main(["add", "--suggested", "nothing"]) == 2
    assert main(["add"]) == 2

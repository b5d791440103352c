"""read, articles and search as scripts use them: no hidden changes, no silent cuts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main

RSS = (
    "<rss version='2.0'><channel><title>Late Desk</title>"
    + "".join(
        f"<item><title>Festival story {n}</title><guid>story-{n}</guid><description>A festival "
        f"story number {n} about the closing film and its director.</description></item>"
        for n in range(3)
    )
    + "</channel></rss>"
)


@pytest.fixture
def stocked(home: Path, site: Any) -> str:
    url = site.add("/feed.xml", RSS, "application/rss+xml")
    assert main(["add", url]) == 0
    assert main(["refresh"]) == 0
    return url


def unread(capsys: pytest.CaptureFixture[str]) -> list[int]:
    capsys.readouterr()
    assert main(["articles", "--unread", "--json"]) == 0
    return sorted(a["id"] for a in json.loads(capsys.readouterr().out))


def test_read_leaves_read_state_alone_unless_asked(
    stocked: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert unread(capsys) == [1, 2, 3]
    assert main(["read", "2"]) == 0
    assert unread(capsys) == [1, 2, 3]
    assert main(["read", "2", "--mark-read"]) == 0
    assert unread(capsys) == [1, 3]


@pytest.mark.parametrize(("limit", "shown", "cut"), [
    ("2", 2, True), ("3", 3, False), ("0", 3, False),
])
def test_articles_says_when_it_stopped_at_its_limit(
    stocked: str, capsys: pytest.CaptureFixture[str], limit: str, shown: int, cut: bool
) -> None:
    capsys.readouterr()
    assert main(["articles", "--limit", limit]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == shown
    assert ("showing the newest 2" in err) is cut
    assert err.count("\n") == int(cut)


def test_articles_refuses_a_negative_limit(stocked: str) -> None:
    assert main(["articles", "--limit", "-1"]) == 2


def test_search_json_names_the_feed(stocked: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["search", "festival", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and {h["feed"] for h in hits} == {stocked}


def test_articles_lists_a_folder_and_names_the_folders_when_one_is_unknown(
    home: Path, site: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.add("/feed.xml", RSS, "application/rss+xml")
    assert main(["add", url, "--folder", "Film/Festivals"]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["articles", "--folder", "film", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert main(["articles", "--folder", "Music"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no folder named 'Music' (Film/Festivals)" in err
    assert main(["articles", "--folder", "Film", "--feed", url]) == 2  # one or the other

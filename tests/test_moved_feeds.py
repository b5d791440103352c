"""A feed that moved permanently (301/308) is asked for at its new address from then on."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from http_support import reply
from tui_reader.cli import main

FEED = (
    "<rss version='2.0'><channel><title>Moved Weekly</title><item><title>Still here</title>"
    "<guid>m-1</guid><description>Same feed, new address, and a story long enough to keep."
    "</description></item></channel></rss>"
)


def redirect(status: int, to: str) -> Any:
    def handler(request: BaseHTTPRequestHandler) -> None:
        reply(request, status=status, content_type=None, headers={"Location": to})

    return handler


@pytest.mark.parametrize(("status", "moves"), [(301, True), (308, True), (302, False)])
def test_permanent_redirects_update_the_feed_url(
    home: Path, site: Any, status: int, moves: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    new = site.add("/new.xml", FEED, "application/rss+xml")
    old = site.handle("/old.xml", redirect(status, "/new.xml"))
    assert main(["add", old]) == 0
    assert main(["refresh", "--force"]) == 0
    capsys.readouterr()
    assert main(["feeds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["url"] == (new if moves else old)
    before = len(site.seen("/old.xml"))
    assert main(["refresh", "--force"]) == 0
    assert len(site.seen("/old.xml")) == (before if moves else before + 1)


def test_a_moved_feed_keeps_its_options_and_its_first_address(
    home: Path, site: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    site.add("/story.html", "<html><body><article><p>" + "Page text. " * 40 + "</p></article>")
    site.add("/new.xml", FEED.replace("<guid>", f"<link>{site.base}/story.html</link><guid>"),
             "application/rss+xml")
    old = site.handle("/old.xml", redirect(301, "/new.xml"))
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[feeds."{old}"]\ntitle = "Kept Title"\nfolder = "Film"\ncontent_only = true\n')
    assert main(["add", old]) == 0
    for _ in range(2):  # the move, then a refresh at the new address
        assert main(["refresh", "--force"]) == 0
    capsys.readouterr()
    assert main(["feeds", "--json"]) == 0
    [feed] = json.loads(capsys.readouterr().out)
    assert (feed["url"], feed["title"], feed["folder"]) == (site.url("/new.xml"), "Kept Title",
                                                            "Film")
    assert site.seen("/story.html") == []  # still content-only
    assert main(["add", old]) == 0  # already subscribed under its first address
    assert main(["remove", old]) == 0
    assert main(["feeds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == []

"""A feed that moved permanently (301/308) is asked for at its new address from then on."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tui_reader.cli import main

FEED = (
    "<rss version='2.0'><channel><title>Moved Weekly</title><item><title>Still here</title>"
    "<guid>m-1</guid><description>Same feed, new address, and a story long enough to keep."
    "</description></item></channel></rss>"
)


def redirect(status: int, to: str) -> Any:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Location", to)
        request.send_header("Content-Length", "0")
        request.end_headers()

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

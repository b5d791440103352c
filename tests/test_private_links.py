"""A public feed never gets the reader to download pages or pictures from a private address."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

from tui_reader.cli import main
from tui_reader.net import http

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Open Wire</title>
<item><title>Router story</title><link>{base}/admin.html</link><guid>ow-1</guid>
<enclosure url="{base}/camera.png" type="image/png" length="100"/>
<description>The feed's own text, used when the linked page is not downloaded at all,
long enough to stand as the article body in the reader.</description></item>
</channel></rss>"""


@pytest.mark.parametrize("feed_is_public", [True, False])
def test_links_of_a_public_feed_stay_off_private_addresses(
    home: Path,
    site: Any,
    feed_is_public: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site.add("/camera.png", b"not really a picture", "image/png")
    site.add("/admin.html", "<html><body><article><p>" + "Router admin page. " * 30 + "</p>")
    feed = site.add("/feed.xml", FEED.replace("{base}", site.base), "application/rss+xml")
    # Loopback plays both parts: the feed's server counts as public when the test says so.
    real = http.Fetcher._server_private

    async def private(fetcher: http.Fetcher, url: URL, connected: bool | None) -> bool:
        if feed_is_public and url.path == "/feed.xml":
            return False
        return await real(fetcher, url, connected)

    monkeypatch.setattr(http.Fetcher, "_server_private", private)
    assert main(["add", feed]) == 0
    assert main(["refresh"]) == 0
    assert len(site.seen("/admin.html")) == (0 if feed_is_public else 1)
    assert len(site.seen("/camera.png")) == (0 if feed_is_public else 1)
    capsys.readouterr()
    assert main(["read", "1", "--format", "json"]) == 0
    text = json.loads(capsys.readouterr().out)["text"]
    assert text.startswith("The feed's own text" if feed_is_public else "Router admin page.")

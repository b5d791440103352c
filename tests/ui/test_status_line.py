"""The status line's words: when the news came in, what is failing, offline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui_reader.config import DEFAULT_CONFIG, load_settings
from tui_reader.refresh import FeedResult, RefreshReport
from tui_reader.store import FeedRow
from tui_reader.ui.status import ago, failure_notice, status_line

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FEED = FeedRow(1, "http://127.0.0.1:1/f.xml", "Reel Talk", None, None, None, None, 200,
               None, None, None, False, None)


@pytest.mark.parametrize(("seconds", "said"), [
    (10, "just now"), (300, "5 min ago"), (7300, "2 h ago"), (86400, "1 day ago"),
    (3 * 86400, "3 days ago"),
])
def test_ago(seconds: int, said: str) -> None:
    assert ago(NOW - timedelta(seconds=seconds), NOW) == said


def test_status_names_the_failing_feeds_and_when_news_came_in() -> None:
    fresh = replace(FEED, last_success=NOW - timedelta(minutes=5))
    failing = [replace(FEED, id=n, title=f"Feed \x1b[31m{n}", last_error="HTTP 404")
               for n in range(2, 6)]
    report = RefreshReport([FeedResult("u", "t", "ok", new=3), FeedResult("v", "w", "skipped")])
    line = status_line([fresh, *failing], report, offline=False, now=NOW)
    assert line == ("updated 5 min ago · 3 new · 1 not due · "
                    "4 failed: Feed 2, Feed 3, Feed 4 +1 more")
    assert status_line([fresh, *failing], report, offline=True, now=NOW) == (
        "offline · updated 5 min ago")


def test_one_notice_for_many_failures() -> None:
    failed = [FeedResult(f"u{n}", f"Feed {n}", "failed", error="HTTP 500") for n in range(7)]
    lines = failure_notice(failed).splitlines()
    assert lines[0] == "7 feeds failed to refresh:" and lines[1] == "Feed 0: HTTP 500"
    assert lines[-1].startswith("… and 2 more")


def test_the_generated_config_refreshes_on_start(tmp_path: Path) -> None:
    assert "\nrefresh_on_start = true\n" in DEFAULT_CONFIG
    path = tmp_path / "config.toml"
    load_settings(path)
    assert load_settings(path).refresh_on_start is True

"""The main screen's status line and the one notice a refresh leaves: plain text, one line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tui_reader.sanitize import clean_line
from tui_reader.store import FeedRow

if TYPE_CHECKING:
    # Only named here: importing the refresh would load the network stack before the first frame.
    from tui_reader.refresh import FeedResult, RefreshReport

NAMED = 3  # failing feeds named before "+N more"


def ago(when: datetime, now: datetime) -> str:
    seconds = max(0.0, (now - when).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "1 day ago" if days == 1 else f"{days} days ago"


def _names(titles: Sequence[str]) -> str:
    named = ", ".join(clean_line(t) for t in titles[:NAMED])
    more = len(titles) - NAMED
    return f"{named} +{more} more" if more > 0 else named


def status_line(feeds: Sequence[FeedRow], report: RefreshReport | None, *, offline: bool,
                now: datetime) -> str:
    """When the news last came in, what the last refresh brought, and which feeds are failing
    (read from the store, so it holds across restarts); "offline" stands for every failure
    when nothing answered."""
    updated = max((f.last_success for f in feeds if f.last_success), default=None)
    parts = ["offline"] if offline else []
    parts.append(f"updated {ago(updated, now)}" if updated else "not updated yet")
    if report is not None and not offline:
        parts.append(f"{report.new_articles} new")
        skipped = report.count("skipped")
        if skipped:
            parts.append(f"{skipped} not due")
    failing = [f.title for f in feeds if f.last_error]
    if failing and not offline:
        parts.append(f"{len(failing)} failed: {_names(failing)}")
    return " · ".join(parts)


def failure_notice(failed: Sequence[FeedResult]) -> str:
    """Every failure of one refresh in one notice, a line a feed."""
    noun = "feed" if len(failed) == 1 else "feeds"
    lines = [f"{len(failed)} {noun} failed to refresh:"]
    lines += [f"{clean_line(r.title)}: {clean_line(r.error or 'failed')}" for r in failed[:5]]
    if len(failed) > 5:
        lines.append(f"… and {len(failed) - 5} more (tui-reader feeds lists them)")
    return "\n".join(lines)

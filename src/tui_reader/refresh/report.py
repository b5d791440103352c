"""What a refresh did, feed by feed, and how it is told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from tui_reader.net.http import MiB
from tui_reader.store import FeedRow

Outcome = Literal["ok", "unchanged", "failed", "skipped"]


@dataclass(slots=True)
class FeedResult:
    url: str
    title: str
    outcome: Outcome
    new: int = 0
    updated: int = 0
    error: str | None = None
    status: int | None = None
    # New entries not reached within the feed's time budget, left for the next refresh.
    left: int = 0

    @property
    def left_note(self) -> str:
        return (f"{self.left} entries left for the next refresh (time budget reached)"
                if self.left else "")


@dataclass(slots=True)
class RefreshReport:
    results: list[FeedResult] = field(default_factory=list)
    bytes_received: int = 0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def new_articles(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.outcome == "failed"]

    def summary(self) -> str:
        left = sum(r.left for r in self.results)
        return (
            f"{self.count('ok')} feeds ok, {self.count('failed')} failed, "
            f"{self.count('unchanged')} unchanged, {self.count('skipped')} not due; "
            f"{self.new_articles} new articles, {format_size(self.bytes_received)} downloaded"
            + (f"; {left} entries left for the next refresh (time budget reached)"
               if left else "")
        )

    def to_json(self) -> dict[str, object]:
        return {
            "feeds": [
                {"url": r.url, "title": r.title, "outcome": r.outcome, "new": r.new,
                 "updated": r.updated, "error": r.error, "status": r.status, "left": r.left}
                for r in self.results
            ],
            "ok": self.count("ok"),
            "failed": self.count("failed"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skipped"),
            "new_articles": self.new_articles,
            "bytes": self.bytes_received,
        }


def format_size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / 1024:.0f} KiB"


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def feed_status(feed: FeedRow) -> str:
    """One line on a feed's last refresh: outcome and when, the error and its advice, flags."""
    if feed.last_refresh is None:
        return "not refreshed yet"
    if feed.last_error:
        parts = [f"failed {_local(feed.last_refresh)}: {feed.last_error}",
                 f"last success {_local(feed.last_success)}" if feed.last_success
                 else "no success yet"]
    else:
        outcome = "unchanged (304)" if feed.status == 304 else "ok"
        parts = [f"{outcome} {_local(feed.last_refresh)}"]
    if feed.bozo:
        parts.append("malformed but readable")
    if feed.entries_cut:
        parts.append(f"too long: its last {feed.entries_cut:,} entries were left out")
    if feed.next_due and not feed.due(datetime.now(UTC)):
        parts.append(f"next due {_local(feed.next_due)}")
    return " · ".join(parts)


Progress = Callable[[FeedResult, int, int], None]

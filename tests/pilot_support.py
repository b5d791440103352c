"""Helpers shared by every pilot test: wait for the app to settle, pin the clock."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tui_reader.ui import text

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def settle(pilot: Any, rounds: int = 1) -> None:
    """Let pending messages and every worker finish, `rounds` times over."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def pin_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Relative dates and local times as of NOW in UTC, so screens draw the same every run."""
    monkeypatch.setattr(text, "now", lambda: NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()

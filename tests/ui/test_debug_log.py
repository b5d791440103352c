"""The reader's own events in the debug log: screens, refreshes and every notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilot_support import settle
from tui_reader import log
from tui_reader.paths import Paths
from tui_reader.ui.app import ReaderApp


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(log.DEBUG_ENV, "")
    path = tmp_path / "debug.log"
    log.start(path)
    yield path
    log.start(None)


async def test_screens_refreshes_and_notices_are_logged(home: Path, log_file: Path) -> None:
    app = ReaderApp(Paths.resolve(home).ensure())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, rounds=2)
        await pilot.press("question_mark")
        await settle(pilot)
        app.start_refresh(None)
        await settle(pilot, rounds=3)
        app.notify("Could not fetch \x1b[31mthe page", severity="error", markup=False)
    text = log_file.read_text(encoding="utf-8")
    for expected in (
        "DEBUG tui_reader.ui.app: screen: MainScreen\n",
        "DEBUG tui_reader.ui.app: screen: HelpScreen\n",
        "INFO tui_reader.ui.app: refresh started: all feeds\n",
        "INFO tui_reader.ui.app: refresh finished: 0 feeds ok, 0 failed",
        "ERROR tui_reader.ui.app: notice: Could not fetch the page\n",
    ):
        assert expected in text

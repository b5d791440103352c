"""Snapshots of the main, reader, search and help screens at 120×40."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from pilot_support import settle
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)


def test_main_screen(app: ReaderApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_reader_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def open_article(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_article)


def test_search_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def search(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"moonlit")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_help_screen(app: ReaderApp, snap_compare: Any) -> None:
    async def help_screen(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)


def test_help_screen_at_80x24(app: ReaderApp, snap_compare: Any) -> None:
    async def help_screen(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_screen)

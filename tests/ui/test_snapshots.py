"""Snapshots of the main, reader and search screens at 80×24 and 160×50; help at 120×40."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from pilot_support import settle
from tui_reader.ui.app import ReaderApp

SIZE = (120, 40)
# The smallest terminal anyone reads in, and a roomy one: the feed pane folds away below 100
# columns, the sidebar too, and the reader loses its padding below 32 rows.
SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])


@SIZES
def test_main_screen(app: ReaderApp, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size, run_before=settle)


@SIZES
def test_reader_screen(app: ReaderApp, snap_compare: Any, size: tuple[int, int]) -> None:
    async def open_article(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_article)


@SIZES
def test_search_screen(app: ReaderApp, snap_compare: Any, size: tuple[int, int]) -> None:
    async def search(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"moonlit")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=search)


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


@SIZES
def test_list_filtered_as_typed(app: ReaderApp, snap_compare: Any, size: tuple[int, int]) -> None:
    async def filtered(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("F")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"seoul")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=filtered)

"""The related sidebar: items apart, wrapped lines hanging, the origin dimmed, j/k move."""

from __future__ import annotations

from pilot_support import settle
from tui_reader.store import RelatedRead
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.widgets.related import related_prompt

SIZE = (120, 40)


def test_an_entry_hangs_its_wrapped_title_and_names_its_origin_below() -> None:
    read = RelatedRead("Northlight Pictures sets The Lantern Keepers for wide release",
                       "https://www.reeltalk.example/lantern", None, True)
    lines = related_prompt(read, 24).plain.split("\n")
    assert lines[0].startswith("↗ Northlight")
    assert len(lines) > 3 and all(line.startswith("  ") for line in lines[1:])
    assert lines[-1] == "  reeltalk.example"
    similar = RelatedRead("Every film, ranked", None, 7, False)
    shown = related_prompt(similar, 24)
    assert shown.plain == "● Every film, ranked\n  similar"
    assert any("$text-muted" in str(span.style) and shown.plain[span.start:span.end].strip()
               == "similar" for span in shown.spans)


async def test_j_and_k_move_in_the_sidebar_when_it_has_focus(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        options = screen.sidebar.options
        assert options.option_count >= 2  # how many similar reads follows the index
        await pilot.press("tab")
        assert screen.focused is options and options.highlighted == 0
        scrolled = screen.view.scroll_y
        await pilot.press("j")
        assert options.highlighted == 1 and screen.view.scroll_y == scrolled
        await pilot.press("k")
        assert options.highlighted == 0

"""[keys] in config.toml: checked at start, defaults never lost, Help and footer in step."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Static

from pilot_support import settle
from tui_reader.config import DEFAULT_CONFIG, Settings, parse_config
from tui_reader.paths import Paths
from tui_reader.ui.app import ReaderApp, key_scopes
from tui_reader.ui.keys import parse_keys, plan_keys
from tui_reader.ui.screens.help import HelpScreen
from tui_reader.ui.widgets.feed_list import BOOKMARKS

SIZE = (120, 40)
README = Path(__file__).resolve().parents[2] / "README.md"


def help_text(app: ReaderApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one("#help-body Static", Static).render())


def help_line(text: str, binding_id: str) -> str:
    return next(line for line in text.splitlines() if line.rstrip().endswith(binding_id))


async def test_readme_example_moves_bookmark_to_B_and_bookmarks_to_b(library: Paths) -> None:
    app = ReaderApp(library, settings=Settings(keys={"main.bookmark": "B"}, refresh_on_start=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.warnings == []
        in_force = {k: b.binding.action for k, b in app.screen.active_bindings.items()}
        assert in_force["B"] == "bookmark" and in_force["b"] == "show_bookmarks"
        await pilot.press("B")
        await settle(pilot)
        assert app.main.article_list.rows[0].bookmarked
        await pilot.press("b")
        await settle(pilot)
        assert app.main.feed_list.selection == BOOKMARKS
        await pilot.press("question_mark")
        await settle(pilot)
        text = help_text(app)
        assert help_line(text, "main.bookmark").lstrip().startswith("B ")
        assert help_line(text, "main.bookmarks").lstrip().startswith("b ")


async def test_bad_bindings_are_one_notice_naming_each_and_defaults_stay(
    library: Paths,
) -> None:
    keys = {
        "main.open": "\x1b]52;c;cHduZWQ=\x07",
        "main.bookmark": "ctrl+alt+notakey+",
        "article.bookmark": "B",
        "main.search": "x",
        "main.add_feed": "x",
    }
    settings = Settings(keys=keys, theme="no-such-theme", refresh_on_start=False)
    app = ReaderApp(library, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert len(notices) == 1
        lines = notices[0].splitlines()
        assert len(lines) == 5
        for binding_id in ("main.open", "main.bookmark", "article.bookmark", "main.add_feed"):
            assert sum(binding_id in line for line in lines) == 1
        assert "no-such-theme" in lines[0] and app.theme == "textual-dark"
        assert not any(unicodedata.category(c) == "Cc" for c in notices[0].replace("\n", ""))
        await pilot.press("b")  # main.bookmark keeps its key
        await settle(pilot)
        assert app.main.article_list.rows[0].bookmarked
        await pilot.press("x")  # the first of two claims wins
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"


async def test_help_is_grouped_by_screen_and_says_how_to_close(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = help_text(app)
        assert "esc, q, ? closes this page" in text
        headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
        assert headings[1:5] == ["Article list", "Reader", "Search", "Everywhere"]
        for scope in key_scopes()[:4]:
            for binding in scope.bindings:
                if binding.id and not binding.id.startswith("reader.link"):
                    assert len(help_line(text, binding.id).split()) > 3  # keys, label, a line
        assert "Super" not in text and "Scroll Left" not in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_the_shipped_examples_name_real_bindings() -> None:
    generated = re.sub(r"(?m)^# ?", "", DEFAULT_CONFIG)
    for text in (README.read_text(encoding="utf-8"), generated):
        table = re.search(r"(?ms)^\[keys\]\n.*?(?=\n\n|\n```)", text)
        assert table is not None
        lines = [line for line in table.group().splitlines() if "=" in line or "[" in line]
        keys = parse_config("\n".join(lines), Path("config.toml")).keys
        assert keys == {"main.bookmark": "B"}
        assert plan_keys(keys, key_scopes()).warnings == []


IDS = [b.id for scope in key_scopes() for b in scope.bindings if b.id]


@given(st.dictionaries(st.one_of(st.sampled_from(IDS), st.text(max_size=12)),
                       st.one_of(st.text(max_size=20),
                                 st.sampled_from(["B", "?", "ctrl+r", "enter", "b,x", "ctrl+q"]))))
def test_any_keys_table_resolves_without_losing_an_action(wanted: dict[str, str]) -> None:
    plan = plan_keys(wanted, key_scopes())
    for warning in plan.warnings:
        assert warning.isprintable()
    for keys in plan.keymap.values():
        assert not isinstance(parse_keys(keys), str)
    lost = [i for i, keys in plan.keys.items() if not keys]
    for binding_id in lost:
        assert any(repr(binding_id) in w for w in plan.warnings)

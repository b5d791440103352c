"""config.toml: written with comments on first run, errors that say where and what."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.config import DEFAULT_CONFIG, ConfigError, load_settings, parse_config, save_theme


def test_first_run_writes_commented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = load_settings(path)
    assert path.read_text() == DEFAULT_CONFIG
    assert settings.retention_days == 90 and settings.theme == "textual-dark"
    assert parse_config(DEFAULT_CONFIG, path).warnings == ()


def test_values_and_feed_options(tmp_path: Path) -> None:
    text = """
[reader]
theme = "nord"
auto_refresh_minutes = 0
[network]
concurrency = 4
deadline = 10
user_agent = "me/1"
[keys]
"main.bookmark" = "B"
[feeds."https://example.com/feed.xml"]
title = "Example"
folder = "Film"
content_only = true
refresh_minutes = 60
"""
    settings = parse_config(text, tmp_path / "c.toml")
    assert settings.theme == "nord" and settings.auto_refresh_minutes == 0
    assert settings.http.concurrency == 4 and settings.http.deadline == 10.0
    assert settings.http.user_agent == "me/1"
    assert settings.keys == {"main.bookmark": "B"}
    options = settings.feeds["https://example.com/feed.xml"]
    assert (options.title, options.folder, options.content_only, options.refresh_minutes) == (
        "Example",
        "Film",
        True,
        60,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[reader\ntheme = 1", "line 1"),
        ("[network]\nconcurrency = 'many'", "[network] concurrency must be an integer"),
        ("[network]\nconcurrency = 0", "between 1 and 128"),
        ("[reader]\nimages = 1", "[reader] images must be true or false"),
        ('[feeds."u"]\nrefresh_minutes = "x"', '[feeds."u"] refresh_minutes must be an integer'),
        ("[keys]\nx = 1", "[keys] entries"),
    ],
)
def test_errors_name_the_place(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_unknown_keys_are_reported(tmp_path: Path) -> None:
    settings = parse_config("[reader]\ncolour = 'red'\n[extras]\na = 1", tmp_path / "c.toml")
    assert any("unknown key [reader] colour" in w for w in settings.warnings)
    assert any("unknown section [extras]" in w for w in settings.warnings)


def test_broken_config_refuses_to_start_and_is_kept(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home.mkdir(parents=True)
    config = home / "config.toml"
    config.write_text("[network]\nconcurrency = 'lots'\n")
    assert main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "concurrency must be an integer" in err
    assert config.read_text() == "[network]\nconcurrency = 'lots'\n"


def test_theme_is_remembered_without_losing_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    load_settings(path)
    save_theme(path, "gruvbox")
    assert load_settings(path).theme == "gruvbox"
    assert "# Refresh the feeds that are due when the reader opens" in path.read_text()
    path.write_text("[store]\nretention_days = 30\n")
    save_theme(path, "nord")
    assert load_settings(path).theme == "nord" and load_settings(path).retention_days == 30


def test_theme_saved_keeps_comments_order_and_sections_it_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = """\
# my reader settings
[reader]
# dark at night
theme = "nord"   # the one I like
images = false

[plugins.weather]   # not ours: kept as written
city = "Seoul"

[store]
retention_days = 30
"""
    path.write_text(original)
    save_theme(path, "gruvbox")
    assert path.read_text() == original.replace('"nord"', '"gruvbox"')


def test_theme_saved_into_a_file_without_reader_adds_the_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# only this\n[store]\nretention_days = 30\n")
    save_theme(path, "dracula")
    text = path.read_text()
    assert text.startswith("# only this\n[store]\nretention_days = 30\n")
    assert load_settings(path).theme == "dracula"


@pytest.mark.parametrize("data", [b"[reader\ntheme = ", b"reader = 3\n", b'x = "\xff"\n'])
def test_theme_is_not_saved_into_a_file_it_cannot_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    with pytest.raises(ConfigError, match="the theme was not saved"):
        save_theme(path, "nord")
    assert path.read_bytes() == data

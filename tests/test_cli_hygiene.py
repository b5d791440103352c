"""What a user of the command line expects around the commands themselves: help for every
option, completion scripts, a quick `--version`, progress fit for a terminal or a log, and a
debug log only when asked for."""

from __future__ import annotations

import argparse
import io
import logging
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tui_reader import log
from tui_reader.cli import SHELLS, build_parser, main
from tui_reader.paths import Paths

Site = Any
HOSTILE_TITLE = "[bold red]Trailer[/] \x1b[2J\x1b]0;owned\x07Park\nforged line"
RSS = (
    "<rss version='2.0'><channel><title>{title}</title>"
    "<item><guid>t1</guid><title>New teaser</title><link>/t1.html</link>"
    "<description>Two minutes of explosions and one good joke.</description></item>"
    "</channel></rss>"
)


@pytest.fixture(autouse=True)
def no_debug_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without a debug log and leaves none open for the tests after it."""
    monkeypatch.setenv(log.DEBUG_ENV, "")
    yield
    log.start(None)


def feed(site: Site, title: str = "Trailer Park") -> str:
    site.add("/t1.html", "<html><body><p>short</p></body></html>")
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace("\x1b", "&#27;")
    return str(site.add("/feed.xml", RSS.format(title=escaped), "application/rss+xml"))


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a.choices for a in parser._actions if isinstance(a.choices, dict))


# Start-up


@pytest.mark.parametrize("argv", [["--version"], ["refresh", "--help"], ["read", "--help"]])
def test_version_and_help_load_no_network_or_ui_stack(argv: list[str]) -> None:
    heavy = {"aiohttp", "textual", "feedparser", "selectolax", "PIL", "rich", "tomlkit"}
    script = (
        "import sys\n"
        "from tui_reader.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert "tui_reader" in loaded
    assert loaded & heavy == set()


# Help and completion


def test_every_option_has_help_and_every_command_an_example_that_parses() -> None:
    parser = build_parser()
    for name, command in subcommands(parser).items():
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        assert command.epilog and command.epilog.startswith("example:\n  tui-reader ")
        example = shlex.split(command.epilog.splitlines()[1])
        assert example[1] == name
        parser.parse_args(example[1:])  # raises SystemExit when it does not parse
    assert all(action.help for action in parser._actions)


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_scripts_name_every_command(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--print-completion", shell]) == 0
    script = capsys.readouterr().out
    for name in subcommands(build_parser()):
        assert name in script


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--print-completion", "bash"])
    script = capsys.readouterr().out

    def complete(*words: str) -> list[str]:
        line = " ".join(words)
        probe = (
            f"{script}\nCOMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); "
            f"COMP_CWORD={len(words) - 1}; COMP_LINE={shlex.quote(line)}; COMP_POINT={len(line)}; "
            f"_shtab_tui_reader tui-reader {shlex.quote(words[-1])} {shlex.quote(words[-2])}; "
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
        return done.stdout.split()

    assert complete("tui-reader", "re") == ["remove", "refresh", "read", "reclean"]
    assert complete("tui-reader", "read", "--fo") == ["--format"]
    assert complete("tui-reader", "read", "--format", "") == ["text", "markdown", "json"]


# Progress


def test_refresh_draws_a_bar_on_a_terminal_with_web_text_as_plain_text(
    site: Site, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", feed(site, HOSTILE_TITLE)]) == 0
    capsys.readouterr()
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["refresh"]) == 0
    drawn = terminal.getvalue()
    assert "\x1b[?25l" in drawn and drawn.rstrip().endswith("\x1b[2K")  # redrawn, then gone
    assert "━" in drawn and "1/1" in drawn and "1 new · [bold red]Trailer[/]" in drawn
    assert "\x1b[2J" not in drawn and "\x1b]0;" not in drawn and "\nforged" not in drawn
    assert "1 new articles" in capsys.readouterr().out


def test_refresh_writes_plain_lines_when_not_on_a_terminal(
    site: Site, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", feed(site, HOSTILE_TITLE)]) == 0
    capsys.readouterr()
    assert main(["refresh"]) == 0
    err = capsys.readouterr().err
    assert err == "[1/1] [bold red]Trailer[/] Park forged line: ok, 1 new\n"


# Debug log


def test_debug_writes_a_log_under_home_and_says_where(
    site: Site, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = feed(site)
    assert main(["add", url]) == 0
    assert not (home / "log").exists()  # nothing without --debug
    assert main(["--debug", "refresh"]) == 0
    log_file = Paths.resolve(home).log_file
    assert log_file == home / "log" / "tui-reader.log"
    assert f"writing a debug log to {log_file}" in capsys.readouterr().err
    text = log_file.read_text(encoding="utf-8")
    assert "INFO tui_reader.cli: refresh started" in text
    assert "refresh finished: 1 feeds ok, 0 failed" in text


def test_the_environment_turns_the_log_on_or_names_its_file(
    site: Site, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(log.DEBUG_ENV, "1")
    assert main(["feeds"]) == 0
    assert (home / "log" / "tui-reader.log").exists()
    chosen = tmp_path / "elsewhere" / "debug.log"
    monkeypatch.setenv(log.DEBUG_ENV, str(chosen))
    assert main(["refresh"]) == 0
    assert "refresh finished" in chosen.read_text(encoding="utf-8")


def test_without_debug_nothing_is_logged_anywhere(
    site: Site, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", site.add("/missing.xml", "gone", status=404)]) == 1
    logging.getLogger("tui_reader.net").warning("a warning nobody asked to see")
    assert capsys.readouterr().err.count("\n") == 1  # the command's own error line
    assert not (home / "log").exists()


def test_log_lines_are_cleaned_and_one_record_is_one_line(tmp_path: Path) -> None:
    log_file = tmp_path / "debug.log"
    log.start(log_file)
    logger = logging.getLogger("tui_reader.net")
    logger.debug("GET %s: %s", "https://x.example/\x1b[31mred", "title\n2026-01-01 forged")
    try:
        raise ValueError("bad\x1b]0;owned\x07 value\nsecond line")
    except ValueError:
        logger.exception("failed")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert "\x1b" not in "".join(lines) and "\x07" not in "".join(lines)
    expected = "DEBUG tui_reader.net: GET https://x.example/red: title 2026-01-01 forged"
    assert lines[0].endswith(expected)
    assert lines[1].endswith("ERROR tui_reader.net: failed")
    assert all(line.startswith("    ") for line in lines[2:])
    logging.getLogger("elsewhere").error("not ours")
    assert "not ours" not in log_file.read_text(encoding="utf-8")


def test_platform_log_folder_without_home(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_log_dir

    monkeypatch.delenv("TUI_READER_HOME", raising=False)
    assert Paths.resolve().log_dir == Path(user_log_dir("tui-reader", appauthor=False))

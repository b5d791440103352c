"""Classes 3 and 6: OPML and config.toml are read with bounds (size, depth, types) and what
they hand on is clean; what export-opml writes, our own import reads back."""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.cli import main
from tui_reader.config import ConfigError, parse_config
from tui_reader.feeds.opml import OpmlError, OpmlFeed, parse_opml, read_opml, write_opml
from tui_reader.sanitize import clean_line
from tui_reader.store import Store

HOSTILE = "Film\x1b]0;pwn\x07 \x9b31m\u202eNews\x00\x0b"


def _run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_opml_of_an_endless_file_stops_at_its_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(tmp_path, capsys, "import-opml", "/dev/zero")
    assert code == 1 and "larger than" in err and len(err.strip().splitlines()) == 1


def test_read_opml_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(OpmlError):
        read_opml(tmp_path)


def test_opml_nested_a_thousand_deep_is_read(tmp_path: Path) -> None:
    depth = 1000
    text = ("<opml version='2.0'><body>" + "<outline text='f'>" * depth
            + "<outline xmlUrl='https://x.example/feed' text='deep'/>"
            + "</outline>" * depth + "</body></opml>")
    feeds, skipped = parse_opml(text)
    assert [f.url for f in feeds] == ["https://x.example/feed"] and not skipped
    assert feeds[0].folder and len(feeds[0].folder) < 200


def test_opml_nested_past_the_xml_parser_is_one_error() -> None:
    depth = 200_000
    text = "<opml><body>" + "<outline>" * depth + "</outline>" * depth + "</body></opml>"
    with contextlib.suppress(OpmlError):
        parse_opml(text)


_FIELD = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)


@settings(max_examples=200)
@given(st.lists(st.tuples(_FIELD, st.none() | _FIELD,
                          st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9]{0,8}",
                                        fullmatch=True)),
                max_size=6))
def test_what_export_opml_writes_our_import_reads_back(
    feeds: list[tuple[str, str | None, str]]
) -> None:
    written = write_opml([OpmlFeed(url, title, folder) for title, folder, url in feeds])
    assert not any(ch in written for ch in "\x1b\x07\x00\x9b")
    ET.fromstring(written)  # well-formed XML
    read, skipped = parse_opml(written)
    assert not skipped
    expected = sorted((url, clean_line(title)) for title, _folder, url in feeds)
    assert sorted((f.url, f.title) for f in read) == expected


def test_config_titles_and_folders_are_cleaned_before_use(tmp_path: Path) -> None:
    value = HOSTILE.encode("unicode_escape").decode().replace("\\x", "\\u00")
    text = f'[feeds."https://x.example/feed"]\ntitle = "{value}"\nfolder = "{value}"\n'
    settings = parse_config(text, tmp_path / "config.toml")
    options = settings.feeds["https://x.example/feed"]
    for field in (options.title, options.folder):
        assert field == clean_line(field or "") and "\x1b" not in (field or "")
        assert "News" in (field or "")


def test_export_opml_never_writes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(tmp_path / "tui-reader.sqlite3") as store:
        store.add_feed("https://x.example/feed", HOSTILE, folder=HOSTILE)
    code, out, _ = _run(tmp_path, capsys, "export-opml")
    assert code == 0
    assert not any((ord(ch) < 32 and ch not in "\n") or 0x7f <= ord(ch) <= 0x9f for ch in out)
    (tmp_path / "out.opml").write_text(out)
    feeds, _ = parse_opml(out)
    assert feeds and "\x1b" not in feeds[0].title


@pytest.mark.parametrize("text", [
    "feeds = 5\n", "keys = 5\n", 'feeds = "x"\n', "feeds = [1, 2]\n",
    "a = " + "[" * 5000 + "]" * 5000 + "\n",
    "a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n",
    "[reader]\nimages = 5\n", "reader = 5\n", '[feeds."u"]\ntitle = 5\n',
    "[network]\ndeadline = 1" + "0" * 400 + "\n", "[store]\nretention_days = 1" + "0" * 400 + "\n",
])
def test_odd_config_is_one_clear_error(tmp_path: Path, text: str) -> None:
    """Refused in one line naming the file, or (a value in a place nothing reads) taken with
    a warning line that does: never silently."""
    try:
        settings = parse_config(text, tmp_path / "config.toml")
    except ConfigError as exc:
        assert "config.toml" in str(exc) and "\n" not in str(exc)
    else:
        assert settings.warnings
        assert all("config.toml" in w and "\n" not in w for w in settings.warnings)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_config_text_is_settings_or_config_error(text: str) -> None:
    with contextlib.suppress(ConfigError):
        parse_config(text, Path("config.toml"))


def test_an_endless_config_file_is_one_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "config.toml").write_text("# " + "x" * (2 * 2**20) + "\n")
    code, _, err = _run(tmp_path, capsys, "prune")
    assert code == 2 and "config.toml" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("url", ["http://[::1", "https://a..b/", "https://h.example:99999/",
                                 "https://xn--/", "ftp://h.example/"])
def test_a_sync_url_that_is_not_valid_is_one_error(tmp_path: Path, url: str) -> None:
    text = (f'[sync]\nservice = "ttrss"\nurl = "{url}"\nuser = "u"\n'
            'password_file = "/dev/null"\n')
    with pytest.raises(ConfigError, match="url must be an http or https address"):
        parse_config(text, tmp_path / "config.toml")

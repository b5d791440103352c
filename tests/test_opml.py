"""OPML in and out: folders kept, only http(s) feeds accepted, duplicates ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.feeds.opml import OpmlFeed, parse_opml, write_opml

SUBSCRIPTIONS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE opml [<!ENTITY boom "boom">]>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Film &amp; TV">
      <outline type="rss" text="Marquee Weekly" xmlUrl="https://marquee.example/feed.xml"/>
      <outline text="Festivals">
        <outline type="rss" title="Festival Wire" text="fw" xmlUrl="http://festival.example/rss"/>
      </outline>
    </outline>
    <outline type="rss" text="Seoul Screen" xmlUrl="https://seoul.example/atom.xml"/>
    <outline type="rss" text="Pipe" xmlUrl="|touch /tmp/pwned"/>
    <outline type="rss" text="Exec" xmlUrl="exec:rm -rf ~"/>
    <outline type="rss" text="Filter" xmlUrl="filter:evil.sh:https://x.example/"/>
    <outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Marquee again" xmlUrl="https://marquee.example/feed.xml"/>
  </body>
</opml>
"""


def test_parse_keeps_folders_and_skips_unsafe_urls() -> None:
    feeds, skipped = parse_opml(SUBSCRIPTIONS)
    assert feeds[:3] == [
        OpmlFeed("https://marquee.example/feed.xml", "Marquee Weekly", "Film & TV"),
        OpmlFeed("http://festival.example/rss", "Festival Wire", "Film & TV/Festivals"),
        OpmlFeed("https://seoul.example/atom.xml", "Seoul Screen", None),
    ]
    assert skipped == [
        "|touch /tmp/pwned",
        "exec:rm -rf ~",
        "filter:evil.sh:https://x.example/",
        "file:///etc/passwd",
    ]


def test_opml_1_0_and_round_trip() -> None:
    old = (
        '<opml version="1.0"><head/><body><outline text="Music">'
        '<outline text="Beat" xmlUrl="https://beat.example/rss"/></outline></body></opml>'
    )
    feeds, _ = parse_opml(old)
    assert feeds == [OpmlFeed("https://beat.example/rss", "Beat", "Music")]
    again, _ = parse_opml(write_opml(parse_opml(SUBSCRIPTIONS)[0][:3]))
    assert sorted(again, key=lambda f: f.url) == sorted(
        parse_opml(SUBSCRIPTIONS)[0][:3], key=lambda f: f.url
    )


def test_import_and_export_through_the_cli(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "subs.opml"
    source.write_text(SUBSCRIPTIONS)
    assert main(["import-opml", str(source)]) == 0
    out, err = capsys.readouterr()
    assert out == "added 3 feeds, 1 already subscribed, 4 skipped\n"
    assert "skipped (not an http/https feed URL): |touch /tmp/pwned" in err
    assert not Path("/tmp/pwned").exists()
    assert main(["import-opml", str(source)]) == 0
    assert capsys.readouterr().out == "added 0 feeds, 4 already subscribed, 4 skipped\n"

    target = tmp_path / "out.opml"
    assert main(["export-opml", str(target)]) == 0
    exported, skipped = parse_opml(target.read_text())
    assert skipped == []
    assert {(f.url, f.folder) for f in exported} == {
        ("https://marquee.example/feed.xml", "Film & TV"),
        ("http://festival.example/rss", "Film & TV/Festivals"),
        ("https://seoul.example/atom.xml", None),
    }
    assert main(["export-opml"]) == 0
    assert capsys.readouterr().out.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_not_opml_is_one_line(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "feeds.txt"
    bad.write_text("just some text")
    assert main(["import-opml", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tui-reader: not an OPML file") and err.count("\n") == 1
    assert main(["import-opml", str(tmp_path / "missing.opml")]) == 1
    assert capsys.readouterr().err.count("\n") == 1

"""Class 5: a damaged or foreign database, or a full disk, gets one line naming the file
from every command, never a traceback, and a file that is not ours is left as it was."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.models import Article, Block, Span
from tui_reader.store import Store

PAGE = 4096


def _filled(home: Path, count: int = 150) -> Path:
    db = home / "tui-reader.sqlite3"
    with Store.open(db) as store:
        feed, _ = store.add_feed("https://f.example/feed", "Feed")
        for n in range(count):
            article = Article(url=f"https://f.example/{n}", title=f"Story {n}",
                              blocks=[Block("p", [[Span(f"words about film {n} " * 40)]])])
            article_id, _ = store.save_article(article, feed_id=feed.id, guid=str(n),
                                               raw_html=b"<p>x</p>" * 200)
            store.set_bookmarked(article_id, True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def _run(home: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--home", str(home), *args])
    return code, capsys.readouterr().err


def _scramble(db: Path) -> None:
    data = bytearray(db.read_bytes())
    noise = random.Random(7)
    # Every page but the schema's first ones: the tables' contents, not their definitions.
    for start in range(4 * PAGE, len(data), PAGE):
        data[start:start + PAGE] = bytes(noise.getrandbits(8) for _ in range(PAGE))
    db.write_bytes(bytes(data))


COMMANDS = [["articles"], ["reclean"], ["read", "3"], ["export", "--bookmarked"],
            ["search", "film"], ["feeds"], ["articles", "--json"], ["prune", "--days", "1"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_scrambled_pages_are_damaged_in_one_line(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = _filled(tmp_path)
    _scramble(db)
    code, err = _run(tmp_path, *command, capsys=capsys)
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and str(db) in err
    assert "damaged" in err or "not a tui-reader database" in err


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_dropped_table_is_damaged_in_one_line(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = _filled(tmp_path, 5)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DROP TABLE feeds")
        conn.commit()
    code, err = _run(tmp_path, *command, capsys=capsys)
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "damaged" in err and str(db) in err


def test_a_bad_row_is_damaged_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _filled(tmp_path, 5)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE articles SET blocks = 'not json', related = '{', tags = '['")
        conn.commit()
    for command in (["read", "2"], ["export", "--bookmarked"]):
        code, err = _run(tmp_path, *command, capsys=capsys)
        assert code != 0, command
        assert len(err.strip().splitlines()) == 1 and "damaged" in err


@pytest.mark.parametrize("pragmas", [
    "PRAGMA application_id = 1234", "PRAGMA user_version = 3",
    "PRAGMA application_id = 99; PRAGMA user_version = 1",
])
def test_an_empty_database_of_another_program_is_refused_untouched(
    tmp_path: Path, pragmas: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "tui-reader.sqlite3"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(pragmas + "; VACUUM;")
    before = db.read_bytes()
    code, err = _run(tmp_path, "feeds", capsys=capsys)
    assert code == 1 and "not a tui-reader database" in err
    assert db.read_bytes() == before
    assert not db.with_name(db.name + "-wal").exists()


_FULL_DISK = """
import resource, signal, sys
from tui_reader.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: a full disk
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", [["articles"], ["read", "3"], ["search", "film"],
                                     ["export", "--bookmarked"], ["feeds"]], ids=" ".join)
def test_reading_commands_work_on_a_full_disk(tmp_path: Path, command: list[str]) -> None:
    db = _filled(tmp_path, 5)
    # A database left as a closed reader leaves it: no -wal or -shm file beside it.
    assert not db.with_name(db.name + "-wal").exists()
    done = subprocess.run([sys.executable, "-c", _FULL_DISK, "--home", str(tmp_path), *command],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()

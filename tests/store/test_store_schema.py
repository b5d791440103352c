"""Opening the database: migrations from every version, refusals that touch nothing."""

from __future__ import annotations

import gc
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.store import Store, StoreError, schema
from tui_reader.store.schema import APPLICATION_ID, VERSION, migrate


def _schema_of(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        return {(name, " ".join(sql.split())) for name, sql in rows}


def _at_version(path: Path, version: int) -> None:
    """A database as release `version` left it, with an article, a read mark and a bookmark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=version)
    if version >= 1:
        conn.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'https://e.com/f', 'E',"
                     " '2024-01-01T00:00:00+00:00')")
        conn.execute(
            "INSERT INTO articles (feed_id, guid, url, title, body, fetched, sort_time, read,"
            " bookmarked_at) VALUES (1, 'g1', 'https://e.com/1', 'Old story', 'kept body text',"
            " '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00', 1,"
            " '2024-01-02T00:00:00+00:00')")
    if version >= 4:  # new articles are indexed by the statement that saves them
        conn.execute("INSERT INTO articles_fts (rowid, title, author, body)"
                     " SELECT id, title, '', body FROM articles")
    conn.close()


@pytest.mark.parametrize("version", range(VERSION))
def test_every_earlier_version_migrates_to_the_current_schema(tmp_path: Path, version: int) -> None:
    old, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    _at_version(old, version)
    with Store.open(old) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if version >= 1:
            [hit] = store.search("kept")
            assert hit.row.title == "Old story" and hit.row.bookmarked and hit.row.read
    Store.open(fresh).close()
    assert _schema_of(old) == _schema_of(fresh)


def test_v1_to_v2_adds_the_per_feed_unread_index_and_longer_prefixes(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    _at_version(path, 1)
    with Store.open(path) as store:
        plan = " ".join(r[3] for r in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM articles WHERE feed_id = 1 AND read = 0"))
        assert "articles_unread_by_feed" in plan
        assert "prefix='2 3 4 5 6'" in store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
        assert [h.row.title for h in store.search("kep")] == ["Old story"]


def test_v5_to_v6_indexes_stems_and_cjk_text_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "v5.sqlite3"
    _at_version(path, 5)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO articles (feed_id, guid, url, title, body, fetched, sort_time)"
        " VALUES (1, 'g2', 'https://e.com/2', '아이유 인터뷰', '아이유가 directing 데뷔',"
        " '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')")
    conn.execute("INSERT INTO articles_fts (rowid, title, author, body)"
                 " SELECT id, title, '', body FROM articles WHERE guid = 'g2'")
    conn.close()
    with Store.open(path) as store:
        assert [h.row.title for h in store.search("아이유")] == ["아이유 인터뷰"]
        assert [h.row.title for h in store.search("direct ")] == ["아이유 인터뷰"]
        assert store.check_search_index() is False


def test_v12_to_v13_indexes_five_and_six_letter_prefixes_of_articles_stored(
        tmp_path: Path) -> None:
    path = tmp_path / "v12.sqlite3"
    _at_version(path, 12)
    with Store.open(path) as store:
        assert "prefix='2 3 4 5 6'" in store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
        for query in ("stor", "story", "old stor"):
            assert [h.row.title for h in store.search(query)] == ["Old story"], query
        assert store.check_search_index() is False


def test_an_upgrade_is_announced_once_and_a_new_or_current_database_is_not(
        tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    old = tmp_path / "old.sqlite3"
    _at_version(old, VERSION - 1)
    Store.open(old, announce=lambda *versions: told.append(versions)).close()
    Store.open(old, announce=lambda *versions: told.append(versions)).close()
    Store.open(tmp_path / "new.sqlite3", announce=lambda *versions: told.append(versions)).close()
    assert told == [(VERSION - 1, VERSION)]


def test_the_command_line_says_it_is_upgrading_before_it_does(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui_reader.cli import main
    from tui_reader.paths import Paths

    _at_version(Paths.resolve(home).ensure().database, VERSION - 2)
    assert main(["articles"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"tui-reader: upgrading the database from schema {VERSION - 2} to {VERSION};"
        " a large one takes a minute")


def test_a_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match=r"newer tui-reader.*upgrade") as info:
        Store.open(db_path)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == before


def test_a_failed_migration_leaves_the_old_version_usable(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at_version(db_path, VERSION)
    broken = "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "VERSION", VERSION + 1)
    with pytest.raises(StoreError, match=f"from schema {VERSION} to {VERSION + 1}.*unchanged"):
        migrate(sqlite3.connect(db_path, isolation_level=None), db_path, target=VERSION + 1)
    monkeypatch.undo()
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert store.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
        assert store.counts()["bookmarks"] == 1


def test_two_processes_creating_the_database_at_once_both_succeed(db_path: Path) -> None:
    script = ("import sys; from pathlib import Path; from tui_reader.store import Store;"
              "Store.open(Path(sys.argv[1])).close()")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db_path)],
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [p.communicate(timeout=30)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == VERSION


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"this is not a database at all, just some text\n" * 100, "not a tui-reader database"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "not a tui-reader database|damaged"),
    ],
)
def test_a_garbage_file_is_refused_by_name_and_kept(
    db_path: Path, content: bytes, expected: str
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(StoreError, match=expected) as info:
        Store.open(db_path)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == content


def test_a_truncated_database_is_refused_by_name_and_kept(db_path: Path, make) -> None:
    with Store.open(db_path) as store:
        for n in range(200):
            store.save_article(make(n, "words " * 400), feed_id=None, guid=None)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_path.write_bytes(db_path.read_bytes()[: 3 * 4096])
    truncated = db_path.read_bytes()
    with pytest.raises(StoreError, match="damaged; move it aside") as info:
        Store.open(db_path)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == truncated


def test_another_applications_database_is_refused_and_untouched(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="is not a tui-reader database") as info:
        Store.open(db_path)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == before
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_a_read_only_database_gives_a_clear_message(db_path: Path, make) -> None:
    with Store.open(db_path) as store:
        article_id, _ = store.save_article(make(1), feed_id=None, guid=None)
    db_path.chmod(0o444)
    try:
        with Store.open(db_path) as store:
            store.set_bookmarked(article_id, True)
    except StoreError as exc:
        assert str(db_path) in str(exc)
        assert "read-only" in str(exc) or "permissions" in str(exc)
    else:
        pytest.skip("running as a user who can write read-only files")
    finally:
        db_path.chmod(0o644)


def test_the_reader_says_it_is_upgrading_before_it_takes_the_screen(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tui_reader import cli
    from tui_reader.paths import Paths
    from tui_reader.ui.app import ReaderApp

    monkeypatch.setattr(ReaderApp, "run", lambda self: None)
    monkeypatch.setattr(gc, "disable", lambda: None)  # the app would turn it back on
    monkeypatch.setattr("tui_reader.ui.terminal.start_probe", lambda: None)
    _at_version(Paths.resolve(home).ensure().database, VERSION - 1)
    assert cli.main([]) == 0
    assert "upgrading the database from schema" in capsys.readouterr().err

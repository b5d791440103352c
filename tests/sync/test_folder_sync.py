"""A folder from the server's categories, marked read and the mark undone, as tt-rss sees it."""

from __future__ import annotations

import json
from pathlib import Path

from sync_homes import Account, Home
from test_ttrss_sync import _feed, _server_state

from tui_reader.paths import Paths
from tui_reader.store import Store


def _folder(home: Home, name: str) -> set[str]:
    rows = json.loads(home.run("articles", "--folder", name, "--json").stdout)
    return {r["title"] for r in rows}


def test_a_category_is_a_folder_and_its_mark_and_undo_both_reach_the_server(
        account: Account, tmp_path: Path) -> None:
    server, client = account.server, account.client()
    films = server.add_category(account.uid, "Film")
    client.subscribe(_feed(server, "reel", 2), films)
    client.subscribe(_feed(server, "cuts", 1), films)
    client.subscribe(_feed(server, "tunes", 1))
    home = account.home(tmp_path / "laptop")
    home.sync()
    assert _folder(home, "film") == {"reel story 0", "reel story 1", "cuts story 0"}
    wrong = home.run("articles", "--folder", "Music", check=False)
    assert wrong.code == 2 and wrong.stderr.count("\n") == 1 and "Film" in wrong.stderr
    with Store.open(Paths.resolve(home.path).database) as store:
        ids = {r.title: r.id for r in store.articles()}
        store.set_read([ids["reel story 0"]])
    home.sync()

    # Marked and sent, then undone and sent: tt-rss gets both changes.
    with Store.open(Paths.resolve(home.path).database) as store:
        marked = store.mark_all_read(folder="Film")
    assert sorted(marked) == sorted([ids["reel story 1"], ids["cuts story 0"]])
    assert home.sync()["pushed"]["read"] == 2
    assert {t for t, (read, _) in _server_state(account).items() if read} == {
        "reel story 0", "reel story 1", "cuts story 0"}
    with Store.open(Paths.resolve(home.path).database) as store:
        store.undo_mark_read(marked)
    assert home.sync()["pushed"]["unread"] == 2
    expected = {"reel story 0": (True, False), "reel story 1": (False, False),
                "cuts story 0": (False, False), "tunes story 0": (False, False)}
    assert _server_state(account) == expected

    # Marked and undone between two syncs: the server ends where it was.
    with Store.open(Paths.resolve(home.path).database) as store:
        store.undo_mark_read(store.mark_all_read(folder="Film"))
    home.sync()
    assert _server_state(account) == expected
    assert {t: (r["read"], r["bookmarked"]) for t, r in home.articles().items()} == expected

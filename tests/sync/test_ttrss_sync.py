"""Sync against a real Tiny Tiny RSS: both directions, offline, interrupted, two machines."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from sync_homes import Account, Home
from ttrss_server import TtRss

STARRED, UNREAD = 0, 2
LONG = "Words enough for the cleaner to keep this page as the article rather than the feed."


def _feed(server: TtRss, name: str, count: int, *, slow: bool = False) -> str:
    """A feed of `count` items, each linking to a page of its own."""
    folder = "slow/" if slow else ""
    items = []
    for n in range(count):
        page = f"{folder}{name}-{n}.html"
        server.write_page(page, f"{name} story {n}", LONG)
        items.append((f"{name}-guid-{n}", f"{name} story {n}", page))
    return server.write_feed(f"{name}.xml", f"{name} feed", items)


def _state(home: Home) -> dict[str, tuple[bool, bool]]:
    return {title: (row["read"], row["bookmarked"]) for title, row in home.articles().items()}


def _server_state(account: Account) -> dict[str, tuple[bool, bool]]:
    return {title: (not h["unread"], h["marked"])
            for title, h in account.client().headlines().items()}


def test_first_sync_brings_feeds_with_their_categories_and_articles(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    client = account.client()
    films = server.add_category(account.uid, "Film")
    client.subscribe(_feed(server, "reel", 3), films)
    client.subscribe(_feed(server, "loose", 1))
    home = account.home(tmp_path / "laptop")

    report = home.sync()

    assert report["error"] is None
    assert report["pulled"]["feeds"] == 2
    assert report["pulled"]["subscribed"] == 2
    assert report["pulled"]["articles"] == 4
    feeds = home.feeds()
    assert feeds["http://feeds.invalid/reel.xml"]["folder"] == "Film"
    assert feeds["http://feeds.invalid/loose.xml"]["folder"] is None
    articles = home.articles()
    assert set(articles) == {"reel story 0", "reel story 1", "reel story 2", "loose story 0"}
    # The page was downloaded and cleaned, not just the server's copy of the feed's text.
    text = home.run("read", str(articles["reel story 1"]["id"])).stdout
    assert LONG in text
    # A second sync finds nothing new and stores nothing twice.
    again = home.sync()
    assert again["pulled"]["articles"] == 0
    assert len(home.articles()) == 4


def test_read_unread_star_unstar_go_both_ways(account: Account, tmp_path: Path) -> None:
    server = account.server
    client = account.client()
    client.subscribe(_feed(server, "marks", 4))
    home = account.home(tmp_path / "laptop")
    home.sync()
    ids = {title: row["id"] for title, row in home.articles().items()}

    # Here → server: read, then unread again; starred, then unstarred.
    home.run("mark-read", str(ids["marks story 0"]), str(ids["marks story 1"]))
    home.run("bookmark", str(ids["marks story 2"]))
    home.run("bookmark", str(ids["marks story 3"]))
    pushed = home.sync()["pushed"]
    assert (pushed["read"], pushed["starred"]) == (2, 2)
    home.run("mark-unread", str(ids["marks story 1"]))
    home.run("unbookmark", str(ids["marks story 3"]))
    pushed = home.sync()["pushed"]
    assert (pushed["unread"], pushed["unstarred"]) == (1, 1)
    expected = {"marks story 0": (True, False), "marks story 1": (False, False),
                "marks story 2": (False, True), "marks story 3": (False, False)}
    assert _server_state(account) == expected
    assert _state(home) == expected

    # Server → here: each of the four the other way round.
    remote = {title: h["id"] for title, h in client.headlines().items()}
    client.mark(remote["marks story 0"], UNREAD, True)
    client.mark(remote["marks story 1"], UNREAD, False)
    client.mark(remote["marks story 2"], STARRED, False)
    client.mark(remote["marks story 3"], STARRED, True)
    pulled = home.sync()["pulled"]
    assert {k: pulled[k] for k in ("read", "unread", "starred", "unstarred")} == dict.fromkeys(
        ("read", "unread", "starred", "unstarred"), 1)
    assert _state(home) == {"marks story 0": (False, False), "marks story 1": (True, False),
                            "marks story 2": (False, False), "marks story 3": (False, True)}


def test_subscriptions_go_both_ways_and_bookmarks_outlive_a_removed_feed(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    client = account.client()
    home = account.home(tmp_path / "laptop")
    here = _feed(server, "here", 2)
    there = _feed(server, "there", 2)

    home.run("add", here)
    report = home.sync()
    assert report["pushed"]["subscribed"] == 1
    assert here in client.feeds()
    assert report["pulled"]["articles"] == 2  # the server fetched it at once

    client.subscribe(there)
    assert home.sync()["pulled"]["subscribed"] == 1
    assert there in home.feeds()

    kept = home.articles()["there story 0"]["id"]
    home.run("bookmark", str(kept))
    home.sync()
    client.call("unsubscribeFeed", feed_id=client.feeds()[there]["id"])
    assert home.sync()["pulled"]["unsubscribed"] == 1
    assert there not in home.feeds()
    assert set(home.articles()) == {"here story 0", "here story 1", "there story 0"}

    home.run("remove", here)
    assert home.sync()["pushed"]["unsubscribed"] == 1
    assert here not in client.feeds()


def test_changes_made_offline_are_kept_and_sent_once_the_server_is_back(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    account.client().subscribe(_feed(server, "offline", 3))
    home = account.home(tmp_path / "laptop")
    home.sync()
    ids = {title: row["id"] for title, row in home.articles().items()}
    later = _feed(server, "later", 1)

    server.stop_web()
    try:
        home.run("mark-read", str(ids["offline story 0"]))
        home.run("bookmark", str(ids["offline story 1"]))
        home.run("add", later)
        failed = home.run("sync", check=False)
        assert failed.code == 1
        assert failed.stderr.count("\n") == 1
        assert "cannot reach" in failed.stderr
        assert "3 changes kept for the next sync" in failed.stderr
        # The reader's own state is untouched and the refresh fails in one line as well.
        assert _state(home)["offline story 0"] == (True, False)
        refreshed = home.run("refresh", check=False)
        assert refreshed.code == 1
        assert "cannot reach" in refreshed.stderr
    finally:
        server.start_web()

    report = home.sync()
    assert report["queued"] == 0
    assert (report["pushed"]["read"], report["pushed"]["starred"]) == (1, 1)
    assert report["pushed"]["subscribed"] == 1
    state = _server_state(account)
    assert state["offline story 0"] == (True, False)
    assert state["offline story 1"] == (False, True)
    assert "later story 0" in state
    assert _state(home)["offline story 0"] == (True, False)  # not undone by the pull


def test_a_sync_killed_midway_loses_and_duplicates_nothing(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    client = account.client()
    client.subscribe(_feed(server, "first", 2))
    home = account.home(tmp_path / "laptop")
    home.sync()
    ids = {title: row["id"] for title, row in home.articles().items()}
    client.subscribe(_feed(server, "big", 12, slow=True))
    home.run("mark-read", str(ids["first story 0"]))
    home.run("bookmark", str(ids["first story 1"]))

    asked = server.slow_requests
    sync = home.spawn("sync")
    deadline = time.monotonic() + 60
    while server.slow_requests == asked and time.monotonic() < deadline:
        time.sleep(0.02)  # until it is downloading the new articles' pages
    sync.send_signal(signal.SIGKILL)
    sync.wait()
    assert sync.returncode == -signal.SIGKILL

    report = home.sync()
    assert report["error"] is None
    assert report["queued"] == 0
    titles = list(home.articles())
    assert len(titles) == len(set(titles)) == 14
    assert _server_state(account)["first story 0"] == (True, False)
    assert _server_state(account)["first story 1"] == (False, True)


def test_a_wrong_password_fails_in_one_line_and_keeps_the_changes(
        account: Account, tmp_path: Path) -> None:
    account.client().subscribe(_feed(account.server, "locked", 1))
    home = account.home(tmp_path / "laptop")
    home.sync()
    article = next(iter(home.articles().values()))["id"]
    home.run("mark-read", str(article))
    wrong = account.home(tmp_path / "laptop", password="not-the-password")

    failed = wrong.run("sync", check=False)

    assert failed.code == 1
    assert failed.stderr == f"tui-reader: tt-rss refused the login for user {account.user}\n"
    assert "not-the-password" not in failed.stderr + failed.stdout
    for stored in wrong.path.glob("tui-reader.sqlite3*"):  # the database and its log
        assert b"not-the-password" not in stored.read_bytes()
    fixed = account.home(tmp_path / "laptop")
    assert fixed.sync()["pushed"]["read"] == 1


def test_api_access_turned_off_says_where_to_turn_it_on(
        account: Account, tmp_path: Path) -> None:
    account.server.sql(f"UPDATE ttrss_user_prefs SET value = 'false' WHERE owner_uid ="
                       f" {account.uid} AND pref_name = 'ENABLE_API_ACCESS'")
    failed = account.home(tmp_path / "laptop").run("sync", check=False)
    assert failed.code == 1
    assert "Enable API" in failed.stderr
    assert failed.stderr.count("\n") == 1


def test_two_machines_converge_through_the_server(account: Account, tmp_path: Path) -> None:
    server = account.server
    account.client().subscribe(_feed(server, "shared", 4))
    laptop = account.home(tmp_path / "laptop")
    desktop = account.home(tmp_path / "desktop")
    laptop.sync()
    desktop.sync()
    on_laptop = {title: row["id"] for title, row in laptop.articles().items()}
    on_desktop = {title: row["id"] for title, row in desktop.articles().items()}

    laptop.run("mark-read", str(on_laptop["shared story 0"]))
    laptop.run("bookmark", str(on_laptop["shared story 1"]))
    laptop.run("add", _feed(server, "laptop-only", 1))
    desktop.run("mark-read", str(on_desktop["shared story 2"]))
    desktop.run("bookmark", str(on_desktop["shared story 3"]))
    for home in (laptop, desktop, laptop):
        assert home.sync()["error"] is None

    assert set(laptop.feeds()) == set(desktop.feeds())
    assert _state(laptop) == _state(desktop) == _server_state(account)
    assert _state(laptop)["shared story 0"] == (True, False)
    assert _state(laptop)["shared story 3"] == (False, True)


def test_articles_already_stored_from_the_feed_itself_are_matched_not_duplicated(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    url = _feed(server, "direct", 3)
    home = Home(tmp_path / "laptop", server)  # no [sync] yet: the feed is fetched directly
    home.run("add", url)
    home.run("refresh")
    direct = home.articles()
    assert len(direct) == 3
    home.run("mark-read", str(direct["direct story 0"]["id"]))

    report = account.home(home.path).sync()  # now with [sync]

    assert report["pushed"]["subscribed"] == 1
    assert report["pulled"]["articles"] == 0
    after = home.articles()
    assert {t: r["id"] for t, r in after.items()} == {t: r["id"] for t, r in direct.items()}
    assert _server_state(account)["direct story 0"] == (True, False)
    assert _state(home)["direct story 0"] == (True, False)
    assert _state(home)["direct story 1"] == (False, False)


def test_a_feed_the_server_refuses_stays_here_and_the_rest_goes_out(
        account: Account, tmp_path: Path) -> None:
    server = account.server
    account.client().subscribe(_feed(server, "fine", 1))
    home = account.home(tmp_path / "laptop")
    home.sync()
    home.run("mark-read", str(home.articles()["fine story 0"]["id"]))
    missing = "http://feeds.invalid/missing.xml"
    home.run("add", missing, check=False)  # not there for us either: add it as OPML would
    (home.path / "one.opml").write_text(
        f'<opml version="2.0"><body><outline type="rss" xmlUrl="{missing}"/></body></opml>')
    home.run("import-opml", str(home.path / "one.opml"))

    ran = home.run("sync")

    assert f"tt-rss could not subscribe to {missing}" in ran.stderr
    assert missing in home.feeds()
    assert missing not in account.client().feeds()
    assert _server_state(account)["fine story 0"] == (True, False)
    assert home.sync()["queued"] == 0  # refused once, not again at every sync

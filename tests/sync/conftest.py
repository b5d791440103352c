"""A real Tiny Tiny RSS for the whole session (started in about 3 s), and homes synced to it."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from sync_homes import Account
from ttrss_server import TtRss, available

_users = itertools.count(1)


@pytest.fixture(scope="session")
def ttrss() -> Iterator[TtRss]:
    missing = available()
    if missing and os.environ.get("TUI_READER_REQUIRE_TTRSS"):
        pytest.fail(missing)  # .ci/run installs it: not having it there is a failure
    if missing:
        pytest.skip(missing)
    server = TtRss()
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def account(ttrss: TtRss, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A fresh user on the shared server: tests do not see each other's feeds. Pages under
    the test feeds' host are reached through the server's file server as a proxy."""
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, ttrss.proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1")
    user = f"reader{next(_users)}"
    uid = ttrss.add_user(user, f"pw-{user}")
    return Account(user, f"pw-{user}", ttrss, uid)

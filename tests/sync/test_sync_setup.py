"""The [sync] section, the password's sources, and servers that are not tt-rss at all."""

from __future__ import annotations

import asyncio
import shlex
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from http_support import reply
from tui_reader.cli import main
from tui_reader.config import ConfigError, SyncSettings, parse_config
from tui_reader.store import Store
from tui_reader.store.outbox import SyncStore
from tui_reader.sync import SyncError, connect, read_password
from tui_reader.sync.ttrss import TtRss

CONFIG = Path("config.toml")


def _sync(body: str) -> SyncSettings | None:
    return parse_config("[sync]\n" + body, CONFIG).sync


def test_sync_section_is_read_and_checked() -> None:
    settings = _sync('service = "ttrss"\nurl = "https://rss.example.org/tt"\nuser = "me"\n'
                     'password_command = "pass show ttrss"\n')
    assert settings == SyncSettings("ttrss", "https://rss.example.org/tt/", "me",
                                    "pass show ttrss", None)
    assert parse_config("", CONFIG).sync is None


@pytest.mark.parametrize(("body", "complaint"), [
    ('service = "ttrss"\nurl = "http://rss.example.org/"\nuser = "me"\npassword_file = "p"',
     "must use https"),
    ('service = "miniflux"\nurl = "https://rss.example.org/"\nuser = "me"\npassword_file = "p"',
     "service must be one of ttrss"),
    ('service = "ttrss"\nurl = "https://rss.example.org/"\nuser = "me"', "needs one of"),
    ('service = "ttrss"\nurl = "https://rss.example.org/"\nuser = "me"\npassword_file = "p"\n'
     'password_command = "c"', "needs one of"),
    ('service = "ttrss"\nurl = "ftp://rss.example.org/"\nuser = "me"\npassword_file = "p"',
     "http or https"),
    ('service = "ttrss"\nurl = "https://rss.example.org/"\npassword_file = "p"', "needs user"),
])
def test_unusable_sync_sections_are_refused_in_one_line(body: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        _sync(body)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_is_allowed_on_this_machine_only(host: str) -> None:
    settings = _sync(f'service = "ttrss"\nurl = "http://{host}:8080"\nuser = "me"\n'
                     'password_file = "p"')
    assert settings is not None and settings.url == f"http://{host}:8080/"


def test_a_password_file_others_can_read_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("hunter2\nignored\n")
    secret.chmod(0o644)
    settings = SyncSettings("ttrss", "https://rss.example.org/", "me", password_file=secret)
    with pytest.raises(SyncError, match="chmod 600") as refused:
        read_password(settings)
    assert "hunter2" not in str(refused.value)
    secret.chmod(0o600)
    assert read_password(settings) == "hunter2"


def test_a_password_command_runs_without_a_shell(tmp_path: Path) -> None:
    settings = SyncSettings("ttrss", "https://rss.example.org/", "me",
                            password_command="printf 'open sesame\\nrest' ; echo no")
    assert read_password(settings) == "open sesame"  # ";" and what follows are arguments
    failing = SyncSettings("ttrss", "https://rss.example.org/", "me", password_command="false")
    with pytest.raises(SyncError, match="exit status 1"):
        read_password(failing)


async def test_the_password_command_does_not_hold_the_event_loop(tmp_path: Path) -> None:
    """The command answers only once the loop has run a task meanwhile: a password manager
    waiting for the person must not stop a refresh sharing that loop."""
    flag = tmp_path / "loop-ran"
    script = (f"i=0; while [ ! -e {flag} ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done;"
              f" if [ -e {flag} ]; then echo meanwhile; else echo held; fi")
    settings = SyncSettings("ttrss", "https://rss.example.org/", "me",
                            password_command=f"sh -c {shlex.quote(script)}")

    async def meanwhile() -> None:
        await asyncio.sleep(0)
        flag.touch()

    task = asyncio.create_task(meanwhile())
    backend = await connect(settings)
    await task
    async with backend:
        assert isinstance(backend, TtRss) and backend._password == "meanwhile"


@pytest.fixture
def not_ttrss() -> Iterator[str]:
    """A web server that answers every POST with a page, as a wrong address would."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            reply(self, "<html><body>Welcome to nginx!</body></html>")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_answering_garbage_fails_in_one_line_keeping_changes(
        not_ttrss: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "password"
    secret.write_text("hunter2")
    secret.chmod(0o600)
    (tmp_path / "config.toml").write_text(
        f'[sync]\nservice = "ttrss"\nurl = "{not_ttrss}"\nuser = "me"\n'
        f'password_file = "{secret}"\n')
    with Store.open(tmp_path / "tui-reader.sqlite3") as store:
        store.add_feed("https://example.org/feed.xml", "Example")

    assert main(["--home", str(tmp_path), "sync"]) == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "did not answer like tt-rss" in err
    assert "1 changes kept for the next sync" in err
    assert "hunter2" not in err
    with Store.open(tmp_path / "tui-reader.sqlite3") as store:
        assert SyncStore(store.conn).queued() == 1

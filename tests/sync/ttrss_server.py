"""A real Tiny Tiny RSS for the sync tests: Debian's tt-rss under PHP's built-in server with a
private PostgreSQL cluster, both on free loopback ports, nothing touched outside one folder.

tt-rss fetches feeds only from hosts that are not loopback and on ports 80/443, so the test
feeds are named under `http://feeds.invalid/` and tt-rss reaches them through its own HTTP
proxy setting, which points at a loopback file server answering absolute-form requests. tt-rss
drops a link's port, so article pages live under that host too: the reader reaches them through
the same file server, named as its HTTP proxy.

tt-rss and PostgreSQL refuse to run as root: as root, both run as www-data. Each service is
started in a session of its own and stopped by process group (PHP's workers outlive their
parent).
"""

from __future__ import annotations

import contextlib
import grp
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WWW = Path("/usr/share/tt-rss/www")
SCHEMA = Path("/usr/share/tt-rss/schema/ttrss_schema_pgsql.sql")
FEED_HOST = "http://feeds.invalid"
SERVICE_USER = "www-data"


def available() -> str | None:
    """Why the server cannot run here, or None when it can."""
    if not WWW.is_dir() or not SCHEMA.is_file():
        return "tt-rss is not installed (.ci/ttrss-deps installs it)"
    if shutil.which("php") is None or _pg_bin("postgres") is None:
        return "php or PostgreSQL is not installed (.ci/ttrss-deps installs them)"
    return None


def _pg_bin(name: str) -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1] if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Files(SimpleHTTPRequestHandler):
    """Files by path; `GET http://feeds.invalid/x` (a proxied request) is `http:/feeds.invalid/x`.
    A page under `/slow/` takes a while, for a sync to be caught in the middle."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if "/slow/" in self.path:
            self.server.slow_requests += 1  # type: ignore[attr-defined]
            time.sleep(0.5)
        super().do_GET()


class TtRss:
    """One server; `start()` once, `stop_web()`/`start_web()` to take it off the network."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tui-reader-ttrss-"))
        self.root.chmod(0o755)  # the service user must reach everything under it
        self.files = self.root / "files"
        self.feeds_dir = self.files / "http:" / "feeds.invalid"
        self.feeds_dir.mkdir(parents=True)
        self.pg_port = free_port()
        self.web_port = free_port()
        self.url = f"http://127.0.0.1:{self.web_port}/"
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._files_server: ThreadingHTTPServer | None = None
        self._as_service = os.geteuid() == 0
        self.pages_base = f"{FEED_HOST}/pages/"

    # Setting up

    def start(self) -> None:
        self._serve_files()
        self._start_postgres()
        self._psql("-d", "postgres", "-c", "CREATE DATABASE ttrss")
        self._psql("-f", str(SCHEMA))
        self._docroot()
        self.start_web()

    def _run_kwargs(self) -> dict[str, Any]:
        if not self._as_service:
            return {}
        return {"user": SERVICE_USER, "group": SERVICE_USER, "extra_groups": []}

    def _own(self, path: Path) -> None:
        if self._as_service:
            uid, gid = pwd.getpwnam(SERVICE_USER).pw_uid, grp.getgrnam(SERVICE_USER).gr_gid
            os.chown(path, uid, gid)
            for sub in path.rglob("*"):
                os.lchown(sub, uid, gid)

    def _serve_files(self) -> None:
        handler = partial(_Files, directory=str(self.files))
        self._files_server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._files_server.slow_requests = 0  # type: ignore[attr-defined]
        self.files_port = self._files_server.server_address[1]
        self.proxy = f"http://127.0.0.1:{self.files_port}"
        (self.feeds_dir / "pages").mkdir()
        threading.Thread(target=self._files_server.serve_forever, daemon=True).start()

    def _start_postgres(self) -> None:
        data, sockets = self.root / "pg", self.root / "pgsock"
        data.mkdir()
        sockets.mkdir()
        self._own(data)
        self._own(sockets)
        initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
        assert initdb and postgres
        subprocess.run([str(initdb), "-D", str(data), "-A", "trust", "-U", "ttrss", "-E", "UTF8",
                        "--locale=C", "--no-sync"], check=True, capture_output=True,
                       **self._run_kwargs())
        self._spawn("postgres", [
            str(postgres), "-D", str(data), "-p", str(self.pg_port), "-k", str(sockets),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
            "-c", "synchronous_commit=off",
        ])
        deadline = time.monotonic() + 30
        while True:
            probe = subprocess.run(["psql", *self._pg_args(), "-d", "postgres", "-c", "SELECT 1"],
                                   capture_output=True)
            if probe.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {probe.stderr.decode()}")
            time.sleep(0.1)

    def _pg_args(self) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "ttrss", "-X", "-q"]

    def _psql(self, *args: str) -> str:
        done = subprocess.run(["psql", *self._pg_args(), "-v", "ON_ERROR_STOP=1", "-d", "ttrss",
                               "-At", *args], capture_output=True, check=False)
        if done.returncode:
            raise RuntimeError(f"psql {args}: {done.stderr.decode()}")
        return done.stdout.decode().strip()

    def sql(self, statement: str) -> str:
        return self._psql("-c", statement)

    def _docroot(self) -> None:
        """A copy of Debian's docroot with our config; its relative links re-pointed."""
        www = self.root / "www"
        shutil.copytree(WWW, www, symlinks=True)
        for link in [p for p in www.rglob("*") if p.is_symlink()]:
            target = Path(os.readlink(link))
            if not target.is_absolute():
                original = WWW / link.relative_to(www)
                link.unlink()
                link.symlink_to(Path(os.path.normpath(original.parent / target)))
        (www / "config.php").unlink()
        (www / "feed-icons").unlink()
        state = self.root / "state"
        for sub in ("lock", "icons", "cache/images", "cache/upload", "cache/export",
                    "cache/feeds"):
            (state / sub).mkdir(parents=True)
        (www / "config.php").write_text(self._config(state))
        self._own(state)
        self._own(www)
        # A fetched feed would be reused for 30 s from here; unwritable, every fetch is real.
        (state / "cache" / "feeds").chmod(0o555)
        self.www = www

    def _config(self, state: Path) -> str:
        values: dict[str, object] = {
            "DB_TYPE": "pgsql", "DB_HOST": "127.0.0.1", "DB_PORT": self.pg_port,
            "DB_USER": "ttrss", "DB_NAME": "ttrss", "DB_PASS": "", "MYSQL_CHARSET": "UTF8",
            "SELF_URL_PATH": self.url, "_SKIP_SELF_URL_PATH_CHECKS": True,
            "SINGLE_USER_MODE": False, "SIMPLE_UPDATE_MODE": False,
            "PHP_EXECUTABLE": shutil.which("php") or "/usr/bin/php",
            "LOCK_DIRECTORY": str(state / "lock"), "CACHE_DIR": str(state / "cache"),
            "ICONS_DIR": str(state / "icons"), "ICONS_URL": "feed-icons",
            "AUTH_AUTO_CREATE": False, "AUTH_AUTO_LOGIN": False, "FORCE_ARTICLE_PURGE": 0,
            "ENABLE_REGISTRATION": False, "REG_NOTIFY_ADDRESS": "nobody@example.invalid",
            "REG_MAX_USERS": 10, "SESSION_COOKIE_LIFETIME": 86400, "SMTP_FROM_NAME": "tt-rss",
            "SMTP_FROM_ADDRESS": "nobody@example.invalid", "DIGEST_SUBJECT": "digest",
            "CHECK_FOR_UPDATES": False, "ENABLE_GZIP_OUTPUT": False, "PLUGINS": "auth_internal",
            "LOG_DESTINATION": "", "CONFIG_VERSION": 26,
            "_HTTP_PROXY": f"127.0.0.1:{self.files_port}",
        }

        def php(value: object) -> str:
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, int):
                return str(value)
            return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

        lines = [f"define('{k}', {php(v)});" for k, v in values.items()]
        return "<?php\n" + "\n".join(lines) + "\n"

    def _spawn(self, name: str, argv: list[str], cwd: Path | None = None) -> None:
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "2"}
        self._procs[name] = subprocess.Popen(
            argv, cwd=cwd, env=env, start_new_session=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **self._run_kwargs())

    # Running

    def start_web(self) -> None:
        self._spawn("web", ["php", "-S", f"127.0.0.1:{self.web_port}", "-t", str(self.www)],
                    cwd=self.www)
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.web_port), timeout=1):
                return
            if time.monotonic() > deadline:
                raise RuntimeError("tt-rss's web server did not start")
            time.sleep(0.05)

    def stop_web(self) -> None:
        self._stop("web")

    def _stop(self, name: str) -> None:
        proc = self._procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # The group's other members (PHP's workers) go too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    def close(self) -> None:
        self._stop("web")
        self._stop("postgres")
        if self._files_server is not None:
            self._files_server.shutdown()
            self._files_server.server_close()
        shutil.rmtree(self.root, ignore_errors=True)

    # What the tests do on the server's side

    def add_user(self, login: str, password: str, *, api: bool = True) -> int:
        digest = "SHA1:" + hashlib.sha1(password.encode()).hexdigest()
        uid = int(self.sql(
            "INSERT INTO ttrss_users (login, pwd_hash, access_level, created)"
            f" VALUES ('{login}', '{digest}', 0, NOW()) RETURNING id").splitlines()[0])
        self.sql("INSERT INTO ttrss_user_prefs (owner_uid, pref_name, profile, value)"
                 f" VALUES ({uid}, 'ENABLE_API_ACCESS', NULL, '{'true' if api else 'false'}')")
        return uid

    def write_feed(self, name: str, title: str, items: list[tuple[str, str, str]]) -> str:
        """An RSS file of (guid, title, page name) items; returns the feed's URL as tt-rss
        sees it. Each item links to a page on the loopback file server."""
        entries = "".join(
            f"<item><guid isPermaLink='false'>{guid}</guid><title>{item_title}</title>"
            f"<link>{self.pages_base}{page}</link>"
            f"<description>The feed's own text for {item_title}.</description>"
            f"<pubDate>Mon, 0{1 + n % 9} Jun 2026 10:00:00 GMT</pubDate></item>"
            for n, (guid, item_title, page) in enumerate(items))
        path = self.feeds_dir / name
        path.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}"
                        f"</title><link>{FEED_HOST}/</link>{entries}</channel></rss>")
        # If-Modified-Since has one-second steps: a file edited within the second still counts.
        later = time.time() + 2
        os.utime(path, (later, later))
        return f"{FEED_HOST}/{name}"

    def write_page(self, name: str, title: str, text: str) -> str:
        path = self.feeds_dir / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"<!doctype html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>" + "".join(f"<p>{text} Paragraph {n}.</p>" for n in range(6))
            + "</article></body></html>")
        return self.pages_base + name

    @property
    def slow_requests(self) -> int:
        """Slow pages asked for so far."""
        return int(self._files_server.slow_requests)  # type: ignore[union-attr]

    def client(self, user: str, password: str) -> Client:
        return Client(self.url + "api/", user, password)

    def add_category(self, uid: int, title: str) -> int:
        return int(self.sql("INSERT INTO ttrss_feed_categories (owner_uid, title)"
                            f" VALUES ({uid}, '{title}') RETURNING id").splitlines()[0])


# Straight to the server, whatever proxy a test names; and not urlopen's shared opener, which
# would keep that proxy for every later test in the session.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Client:
    """Another tt-rss client (the web page, a phone) acting on the server directly."""

    def __init__(self, api: str, user: str, password: str) -> None:
        self.api = api
        self.sid = self.call("login", user=user, password=password)["session_id"]

    def call(self, op: str, **params: Any) -> Any:
        body = json.dumps({"op": op, "sid": getattr(self, "sid", None), **params}).encode()
        with _DIRECT.open(urllib.request.Request(self.api, data=body), timeout=60) as reply:
            data = json.load(reply)
        assert data["status"] == 0, data
        return data["content"]

    def headlines(self) -> dict[str, dict[str, Any]]:
        """Every article by title, with its state."""
        found = self.call("getHeadlines", feed_id=-4, view_mode="all_articles", limit=200)
        return {h["title"]: h for h in found}

    def feeds(self) -> dict[str, dict[str, Any]]:
        return {f["feed_url"]: f for f in self.call("getFeeds", cat_id=-3)}

    def subscribe(self, url: str, category: int = 0) -> int:
        status = self.call("subscribeToFeed", feed_url=url, category_id=category)["status"]
        self.call("updateFeed", feed_id=status["feed_id"])
        return int(status["feed_id"])

    def mark(self, article_id: int, field: int, on: bool) -> None:
        self.call("updateArticle", article_ids=str(article_id), field=field, mode=int(on))

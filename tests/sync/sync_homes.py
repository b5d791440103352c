"""Machines (--home folders) syncing to the test server, and the accounts they sync as."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ttrss_server import Client, TtRss

from tui_reader.cli import main


@dataclass
class Home:
    """One machine: a --home whose config syncs as `user`."""

    path: Path
    server: TtRss

    def run(self, *args: str, check: bool = True) -> Ran:
        """The command in this process (a second each is saved over a new interpreter)."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--home", str(self.path), *args])
        if check and code != 0:
            raise AssertionError(f"{args} exited {code}: {err.getvalue()}")
        return Ran(code, out.getvalue(), err.getvalue())

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        """The command in a process of its own, to be killed."""
        return subprocess.Popen([sys.executable, "-m", "tui_reader", "--home", str(self.path),
                                 *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def sync(self) -> dict[str, Any]:
        return dict(json.loads(self.run("sync", "--json").stdout))

    def articles(self) -> dict[str, dict[str, Any]]:
        """Every stored article by title."""
        rows = json.loads(self.run("articles", "--json", "--limit", "1000").stdout)
        return {r["title"]: r for r in rows}

    def feeds(self) -> dict[str, dict[str, Any]]:
        return {f["url"]: f for f in json.loads(self.run("feeds", "--json").stdout)}


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


@dataclass
class Account:
    user: str
    password: str
    server: TtRss
    uid: int

    def client(self) -> Client:
        return self.server.client(self.user, self.password)

    def home(self, path: Path, password: str | None = None) -> Home:
        path.mkdir(parents=True, exist_ok=True)
        secret = path / "password"
        secret.write_text((password or self.password) + "\n")
        secret.chmod(0o600)
        (path / "config.toml").write_text(
            f'[sync]\nservice = "ttrss"\nurl = "{self.server.url}"\nuser = "{self.user}"\n'
            f'password_file = "{secret}"\n')
        return Home(path, self.server)

"""Refresh workers forked from a zygote made before the database opens.

The zygote is only made in a process with no other thread, which this test process is not
(its servers run on threads): the whole refresh runs in a fresh interpreter, as the CLI
does, with its server started after the zygote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui_reader.refresh import forking
from tui_reader.refresh.forks import Zygote, current
from tui_reader.refresh.worker import serve_socket

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers fork only on Linux")

REFRESH = r"""
import asyncio, json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tui_reader import log
from tui_reader.net.http import Fetcher, HttpSettings
from tui_reader.refresh import forking, forks, refresh_all
from tui_reader.store import Store

folder = Path(sys.argv[1])
log.start(folder / "debug.log")
with forking():
    made = forks.current() is not None

    class Site(BaseHTTPRequestHandler):
        def do_GET(self):
            n, _, rest = self.path.strip("/").partition("/")
            if rest:  # an article page: slow, so both processes get feeds
                time.sleep(0.05)
                words = "Words here. " * 40
                body = f"<html><body><article><h1>Story</h1><p>{words}</p></article></body></html>"
                kind = "text/html"
            else:
                host = "127.0.0.1" if int(n) % 2 else "localhost"
                items = "".join(
                    f"<item><title>Story {n}.{i}</title><guid>g{n}-{i}</guid>"
                    f"<link>http://{host}:{port}/{n}/{i}</link></item>" for i in range(3))
                body = f"<rss version='2.0'><channel><title>Feed {n}</title>{items}</channel></rss>"
                kind = "application/rss+xml"
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    store = Store.open(folder / "db.sqlite3")
    for n in range(8):
        host = "127.0.0.1" if n % 2 else "localhost"
        store.add_feed(f"http://{host}:{port}/{n}", f"Feed {n}")

    async def run():
        settings = HttpSettings(concurrency=1, per_host=1, retries=0)
        async with Fetcher(settings) as fetcher:
            return await refresh_all(store, fetcher, force=True, processes=2)

    report = asyncio.run(run())
    articles = store.counts()["all"]
    store.close()
    server.shutdown()
print(json.dumps({"made": made, "ok": report.count("ok"), "new": report.new_articles,
                  "articles": articles}))
"""


def test_a_refresh_forks_its_worker_from_the_zygote(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", REFRESH, str(tmp_path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"made": True, "ok": 8, "new": 24, "articles": 24}
    lines = (tmp_path / "debug.log").read_text().splitlines()
    assert any("refresh worker forked" in line for line in lines)
    # Requests were made by two processes: this one and the forked worker, which logs to
    # the same file through the handler it was forked with.
    getters = {line.split()[2] for line in lines if ": GET http" in line}
    assert len(getters) == 2


def test_no_zygote_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Zygote.start(serve_socket) is None
        with forking():
            assert current() is None
    finally:
        stop.set()
        other.join()


PRELOAD = r"""
import gc, os, sys
from tui_reader.refresh import forks

loaded = []

def serve(sock):
    # What the worker was forked with: the zygote's preload, and set aside from the collector
    # beyond what this process had set aside before it made the zygote.
    sock.sendall(f"{len(loaded)} {gc.get_freeze_count()}".encode())
    os._exit(0)

with forks.forking(serve, lambda: loaded.append(["grouping's word lists"])):
    worker, sock = forks.current().fork_worker()
    answer = sock.recv(64).decode()
    worker.wait()
    print(answer, len(loaded), gc.get_freeze_count())
"""


def test_workers_are_forked_with_what_the_zygote_preloaded() -> None:
    done = subprocess.run([sys.executable, "-c", PRELOAD], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    loaded, frozen, loaded_here, frozen_here = done.stdout.split()
    # Loaded once in the zygote, never in the refresh's own process.
    assert (loaded, loaded_here) == ("1", "0")
    assert int(frozen) > int(frozen_here) > 0


AHEAD = r"""
import os, sys
from pathlib import Path
from tui_reader.refresh import forks

folder = Path(sys.argv[1])

def serve(sock):
    (folder / str(os.getpid())).write_text("")
    sock.recv(1)  # until its socket closes
    os._exit(0)

with forks.forking(serve, ahead=2):
    worker, sock = forks.current().fork_worker()
    sock.close()
    worker.wait()
print(len(list(folder.iterdir())))
"""


def test_workers_forked_ahead_and_never_asked_for_end_with_the_zygote(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", AHEAD, str(tmp_path)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    # The one handed over and the one never asked for both ran, and both have ended.
    assert done.stdout.split() == ["2"]
    for pid in (int(path.name) for path in tmp_path.iterdir()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)

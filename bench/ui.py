"""UI benchmark at 50,000 articles: start-up seen from outside, opening long articles, the list.

    .venv/bin/python bench/ui.py [--articles N] [--db PATH] [--only start|open|list] [--busy]

Start-up is measured as a person sees it: each program runs in a fresh 160×50 tmux pane and
the clock stops when its first headline shows in `capture-pane`. An empty Textual app that
draws one line, and newsboat when installed (on the same headlines), run in the same round,
so the figures compare within one run on a shared machine. `--busy` keeps one core busy
meanwhile. Targets: ≤ 0.5 s, and within 0.3 s of the empty app.

Opening is timed with Textual's pilot, for a short article, a 61,000-character long read full
of links and a 200,000-character one (the cleaner's cap): from the action to the first frame
that draws the body, and the longest the event loop was held while the article came up (a
ticker that should wake every millisecond). Targets: open ≤ 100 ms, longest stall ≤ 50 ms.

The list figures (moving, paging, stepping in the reader, memory) come last. The data comes
from the store benchmark's generator (bench/store.py), reused with --db.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import gc
import itertools
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import tui_reader
from store import Generator, generate
from tui_reader.models import Article, Block, Span
from tui_reader.paths import Paths
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen

SIZE = (160, 50)
SESSIONS = itertools.count()
TMUX_SOCKET = f"tui-reader-bench-{os.getpid()}"
EMPTY_APP = """
from textual.app import App
from textual.widgets import Static

class Empty(App[None]):
    def compose(self):
        yield Static({headline!r})

Empty().run()
"""


# Start-up, from outside


def first_headline(database: Path) -> str:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        (title,) = conn.execute("SELECT title FROM articles ORDER BY sort_time DESC").fetchone()
    return str(title)[:24]


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    """tmux on a server of the benchmark's own, apart from anyone else's sessions."""
    return subprocess.run(["tmux", "-L", TMUX_SOCKET, *args], capture_output=True, text=True)


@contextlib.contextmanager
def tmux_server() -> Iterator[None]:
    """A server kept up by an idle session: one that stops with its last pane races the next
    start."""
    tmux("new-session", "-d", "-s", "keep", "sleep", "3600")
    try:
        yield
    finally:
        tmux("kill-server")


def time_in_tmux(command: list[str], needle: str, limit: float = 20.0) -> float:
    """Seconds from starting `command` in a fresh pane until `needle` shows in it."""
    session = f"run{next(SESSIONS)}"
    began = time.perf_counter()
    started = tmux(
        "new-session", "-d", "-s", session, "-x", str(SIZE[0]), "-y", str(SIZE[1]), *command
    )
    if started.returncode:
        raise RuntimeError(f"tmux could not start {command[0]}: {started.stderr.strip()}")
    try:
        while time.perf_counter() - began < limit:
            screen = tmux("capture-pane", "-p", "-t", session).stdout
            if needle in screen:
                return time.perf_counter() - began
            time.sleep(0.005)
        raise TimeoutError(f"{command[0]} never showed {needle!r}")
    finally:
        tmux("kill-session", "-t", session)


@contextlib.contextmanager
def busy_core(wanted: bool) -> Iterator[None]:
    """One process spinning on a core, as on a machine doing something else too."""
    if not wanted:
        yield
        return
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        spinner.kill()
        spinner.wait()


def newsboat_home(database: Path, folder: Path) -> list[str] | None:
    """newsboat on the same newest headlines, its cache filled directly; None if absent."""
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        return None
    folder.mkdir(exist_ok=True)
    cache = folder / "cache.db"
    urls = folder / "urls"
    with contextlib.closing(sqlite3.connect(database)) as conn:
        feeds = conn.execute("SELECT id, url, title FROM feeds").fetchall()
        items = conn.execute(
            "SELECT feed_id, url, title, sort_time FROM articles ORDER BY sort_time DESC"
        ).fetchall()
    urls.write_text("".join(f"{url}\n" for _, url, _ in feeds))
    # Let newsboat create its own schema, then fill it.
    subprocess.run([newsboat, "-u", str(urls), "-c", str(cache), "-x", "print-unread"],
                   capture_output=True, timeout=60)
    by_id = {fid: url for fid, url, _ in feeds}
    with contextlib.closing(sqlite3.connect(cache)) as conn:
        conn.executemany("INSERT OR REPLACE INTO rss_feed (rssurl, url, title) VALUES (?, ?, ?)",
                         [(url, url, title) for _, url, title in feeds])
        conn.executemany(
            "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread)"
            " VALUES (?, ?, '', ?, ?, ?, '', 1)",
            [(url, title, url, by_id[fid], int(datetime.fromisoformat(when).timestamp())
              if isinstance(when, str) else int(when or 0))
             for fid, url, title, when in items],
        )
        conn.commit()
    return [newsboat, "-u", str(urls), "-c", str(cache)]


def measure_start(paths: Paths, scratch: Path, busy: bool, rounds: int = 5) -> None:
    # As installed from a wheel, with its bytecode compiled: an editable install run with
    # PYTHONDONTWRITEBYTECODE compiles every module again at each start.
    compileall.compile_dir(Path(tui_reader.__file__).parent, quiet=1)
    headline = first_headline(paths.database)
    empty = scratch / "empty_app.py"
    empty.write_text(EMPTY_APP.format(headline=headline))
    reader = str(Path(sys.executable).with_name("tui-reader"))
    programs: dict[str, tuple[list[str], str]] = {
        "empty Textual app": ([sys.executable, str(empty)], headline),
        "tui-reader": ([reader, "--home", str(scratch / "home")], headline),
    }
    newsboat = newsboat_home(paths.database, scratch / "newsboat")
    if newsboat:
        # newsboat opens on its feed list, each line with the feed's counts.
        programs["newsboat (feed list)"] = (newsboat, "News 0")
    times: dict[str, list[float]] = {name: [] for name in programs}
    with tmux_server(), busy_core(busy):
        for _ in range(rounds):
            for name, (command, needle) in programs.items():
                times[name].append(time_in_tmux(command, needle))
    load = " (one core kept busy)" if busy else ""
    print(f"start-up to the first headline, {SIZE[0]}×{SIZE[1]} tmux pane, {rounds} rounds{load}")
    for name, values in times.items():
        print(f"  {name:<24} median {statistics.median(values):5.2f} s"
              f"   best {min(values):5.2f} s   worst {max(values):5.2f} s")
    if newsboat is None:
        print("  (newsboat is not installed: apt-get install -y newsboat)")


# Opening long articles, through the pilot


def long_article(gen: Generator, chars: int, link_every: int, title: str) -> Article:
    """Paragraphs, a heading every eight, a list every twenty, a link every `link_every`
    sentences, until the text is `chars` long."""
    topic = gen.topics[0]
    blocks: list[Block] = []
    size = links = 0
    while size < chars:
        n = len(blocks)
        if n % 8 == 7:
            blocks.append(Block("h", [[Span(gen.sentence(topic, 5).rstrip("."))]], level=2))
        elif n % 20 == 13:
            blocks.append(Block("ul", [[Span(gen.sentence(topic, 9))] for _ in range(4)]))
        else:
            spans = []
            for s in range(5):
                sentence = gen.sentence(topic, gen.rng.randint(8, 20))
                if link_every and s % link_every == 0:
                    links += 1
                    spans += [Span(sentence + " "),
                              Span("read more", f"https://long.example/{links}"), Span(" ")]
                else:
                    spans.append(Span(sentence + " "))
            blocks.append(Block("p", [spans]))
        size += len(blocks[-1].text) + 2
    return Article(url=f"https://long.example/{chars}", title=title, author="Ada Writer",
                   published=datetime.now(UTC), blocks=blocks)


def add_long_articles(database: Path) -> dict[str, int]:
    gen = Generator(seed=11)
    wanted = {
        "short (3k)": long_article(gen, 3_000, 0, "A short news item"),
        "long read (61k, many links)": long_article(gen, 61_000, 2, "A long read"),
        "longest (200k)": long_article(gen, 199_000, 4, "The longest article kept"),
    }
    ids: dict[str, int] = {}
    with Store.open(database) as store:
        feed, _ = store.add_feed("https://long.example/feed", "Long reads")
        for name, article in wanted.items():
            ids[name], _ = store.save_article(article, feed_id=feed.id, guid=article.url)
    return ids


class Ticker:
    """Wakes every millisecond on the app's loop; the longest gap is how long it was held."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def start(self) -> None:
        self.longest = 0.0
        self._task = asyncio.create_task(self._tick())

    def stop(self) -> float:
        assert self._task is not None
        self._task.cancel()
        return self.longest


async def wait_for(condition: Callable[[], object], limit: float = 30.0) -> None:
    """Poll without the pilot's idle waits, so the figure is the app's own latency."""
    began = time.perf_counter()
    while not condition():
        await asyncio.sleep(0.0005)
        if time.perf_counter() - began > limit:
            raise TimeoutError("the UI never got there")


def on_screen(app: ReaderApp, article_id: int) -> bool:
    """The reader holds the article with its text laid out (what the next paint shows)."""
    screen = app.screen
    return (
        isinstance(screen, ReaderScreen)
        and screen.row is not None
        and screen.row.id == article_id
        and screen.view.body_ready
    )


class Paints:
    """When the app first drew a frame showing what `watch` looks for: headless, Textual still
    renders every update and only skips writing it out."""

    def __init__(self, app: ReaderApp) -> None:
        self.first = 0.0
        self.watch: Callable[[], bool] | None = None
        display = app._display

        def timed(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None and self.watch is not None and self.watch():
                self.first, self.watch = time.perf_counter(), None

        app._display = timed  # type: ignore[method-assign]

    def expect(self, watch: Callable[[], bool]) -> None:
        self.first, self.watch = 0.0, watch


async def measure_open(paths: Paths, ids: dict[str, int], runs: int = 7) -> None:
    """The articles in turn, so no open finds the reader already showing its article."""
    gc.disable()  # as the command line starts the app: collection resumes after the first frame
    app = ReaderApp(paths)
    ticker = Ticker()
    paints = Paints(app)
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ids}
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: len(app.screen_stack) > 1 and app.main.article_list.rows)
        await pilot.pause()
        gc.enable()  # had the app not turned it back on, the command line would have it on
        ticker.start()
        await asyncio.sleep(1.0)
        idle = ticker.stop()
        for _ in range(runs):
            for name, article_id in ids.items():
                ticker.start()
                paints.expect(lambda a=article_id: on_screen(app, a))  # type: ignore[misc]
                began, cpu = time.perf_counter(), time.process_time()
                app.open_reader([article_id], 0)
                await wait_for(lambda: paints.first)
                opened, opened_cpu = paints.first - began, time.process_time() - cpu
                # Whatever the reader still does after the first paint counts as a stall too.
                await app.workers.wait_for_complete()
                await asyncio.sleep(0.3)
                results[name].append((opened, opened_cpu, ticker.stop()))
                await pilot.press("escape")
                await wait_for(lambda: not isinstance(app.screen, ReaderScreen))
                await pilot.pause()
    print(f"opening an article ({SIZE[0]}×{SIZE[1]}, headless pilot, median of {runs}; the ticker"
          f" alone, idle for 1 s, was held {idle * 1000:.0f} ms at most)")
    for name, figures in results.items():
        opens, cpus, stalls = zip(*figures, strict=True)
        print(f"  {name:<28} open {statistics.median(opens) * 1000:5.0f} ms"
              f" ({statistics.median(cpus) * 1000:3.0f} ms CPU)"
              f"   longest stall {statistics.median(stalls) * 1000:5.0f} ms"
              f"   worst {max(opens) * 1000:.0f} / {max(stalls) * 1000:.0f} ms")


# The list


async def measure_list(paths: Paths) -> None:
    figures: dict[str, float] = {}
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: len(app.screen_stack) > 1 and app.main.article_list.rows)
        began = time.perf_counter()
        for _ in range(400):
            await pilot.press("j")
        await pilot.pause()
        figures["move down one row, per key (ms)"] = (time.perf_counter() - began) / 400 * 1000
        figures["rows loaded after 400 moves"] = len(app.main.article_list.rows)
        began = time.perf_counter()
        for _ in range(30):
            await pilot.press("G")
        await pilot.pause()
        figures["jump to last loaded row, per key (ms)"] = (time.perf_counter() - began) / 30 * 1000
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ReaderScreen) and app.screen.article)
        steps = []
        for _ in range(20):
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            current = screen.article
            began = time.perf_counter()
            screen.action_step(-1)
            await wait_for(lambda s=screen, c=current: s.article is not c)  # type: ignore[misc]
            steps.append(time.perf_counter() - began)
        figures["previous article in the reader, median (ms)"] = statistics.median(steps) * 1000
    figures["peak memory (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("the list (120×40, headless pilot)")
    for name, value in figures.items():
        print(f"  {name:<48} {value:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this benchmark database")
    parser.add_argument("--only", choices=("start", "open", "list"))
    parser.add_argument("--busy", action="store_true", help="keep one core busy for start-up")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tui-reader-bench-"))
    paths = Paths.resolve(scratch / "home").ensure()
    try:
        if args.db and args.db.exists():
            shutil.copy(args.db, paths.database)
        else:
            print(f"generating {args.articles:,} articles…", file=sys.stderr)
            generate(paths.database, args.articles)
            if args.db:
                shutil.copy(paths.database, args.db)
        # Start-up must not go to the network for the benchmark's made-up feeds.
        paths.config_file.write_text("[reader]\nrefresh_on_start = false\n")
        print(f"tui-reader UI at {args.articles:,} articles")
        if args.only in (None, "start"):
            measure_start(paths, scratch, args.busy)
        if args.only in (None, "open"):
            ids = add_long_articles(paths.database)
            asyncio.run(measure_open(paths, ids))
        if args.only in (None, "list"):
            asyncio.run(measure_list(paths))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

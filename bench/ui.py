"""UI benchmark at 50,000 articles, driven by Textual's pilot.

    .venv/bin/python bench/ui.py [--articles N] [--db PATH]

Prints: start to the article list on screen, opening an article, moving through the list
(per key press, pilot overhead included), opening the next article from the reader, and peak
memory. Opening is timed from the action to the article laid out on screen, polling without
the pilot's idle waits. Targets: start ≤ 0.5 s, open ≤ 100 ms, memory ≤ 150 MB. The data
comes from the store benchmark's generator (bench/store.py), reused with --db.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from store import generate
from tui_reader.paths import Paths
from tui_reader.store import ArticleRow
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.reader import ReaderScreen


async def wait_for(condition: object, pilot: object, limit: float = 30.0) -> None:
    """Poll without the pilot's idle waits, so the figure is the app's own latency."""
    del pilot
    began = time.perf_counter()
    while not condition():  # type: ignore[operator]
        await asyncio.sleep(0.0005)
        if time.perf_counter() - began > limit:
            raise TimeoutError("the UI never got there")


def shown(app: ReaderApp, wanted: ArticleRow | None) -> bool:
    """The reader is on screen with the wanted article laid out."""
    screen = app.screen
    return (
        isinstance(screen, ReaderScreen)
        and screen.row is not None
        and wanted is not None
        and screen.row.id == wanted.id
        and screen.query_one("#article-body").size.height > 0
    )


async def run(paths: Paths) -> dict[str, float]:
    figures: dict[str, float] = {}
    began = time.perf_counter()
    app = ReaderApp(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: len(app.screen_stack) > 1 and app.main.article_list.rows, pilot)
        figures["start → article list on screen (s)"] = time.perf_counter() - began
        opens = []
        for _ in range(10):
            wanted = app.main.article_list.current
            began = time.perf_counter()
            app.main.action_open()
            await wait_for(lambda w=wanted: shown(app, w), pilot)
            opens.append(time.perf_counter() - began)
            await pilot.press("escape")
            await wait_for(lambda: not isinstance(app.screen, ReaderScreen), pilot)
            await pilot.press("j")
        figures["open an article, median (ms)"] = statistics.median(opens) * 1000
        figures["open an article, worst (ms)"] = max(opens) * 1000
        began = time.perf_counter()
        for _ in range(400):
            await pilot.press("j")
        await pilot.pause()
        figures["move down one row, per key (ms)"] = (time.perf_counter() - began) / 400 * 1000
        rows = len(app.main.article_list.rows)
        figures["rows loaded after 410 moves"] = rows
        began = time.perf_counter()
        for _ in range(30):
            await pilot.press("G")
        await pilot.pause()
        figures["jump to last loaded row, per key (ms)"] = (time.perf_counter() - began) / 30 * 1000
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ReaderScreen) and app.screen.article, pilot)
        steps = []
        for _ in range(20):
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            current = screen.article
            began = time.perf_counter()
            screen.action_step(-1)
            await wait_for(lambda s=screen, c=current: s.article is not c, pilot)
            steps.append(time.perf_counter() - began)
        figures["previous article in the reader, median (ms)"] = statistics.median(steps) * 1000
    figures["peak memory (MB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--db", type=Path, help="reuse (or create) this benchmark database")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tui-reader-bench-"))
    paths = Paths.resolve(scratch).ensure()
    try:
        if args.db and args.db.exists():
            shutil.copy(args.db, paths.database)
        else:
            print(f"generating {args.articles:,} articles…", file=sys.stderr)
            generate(paths.database, args.articles)
            if args.db:
                shutil.copy(paths.database, args.db)
        figures = asyncio.run(run(paths))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"tui-reader UI at {args.articles:,} articles (120×40, headless pilot)")
    for name, value in figures.items():
        print(f"  {name:<48} {value:>10.1f}")


if __name__ == "__main__":
    main()

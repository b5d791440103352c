"""Headless commands: the same services the TUI uses, wired for scripts and shells."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui_reader import __version__, log
from tui_reader.config import ConfigError, Settings, load_settings
from tui_reader.paths import HOME_ENV, Paths
from tui_reader.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from tui_reader.store import ArticleRow
    from tui_reader.sync import SyncReport

logger = logging.getLogger(__name__)

EXIT_CODES = """exit codes:
  0  success
  1  failure (a feed failed to refresh, a fetch failed, nothing found)
  2  usage error (unknown command or option, bad id or URL)"""


class UsageError(Exception):
    """Bad input from the command line; exit status 2."""


class CommandError(Exception):
    """The command could not do what was asked; exit status 1."""


def _err(message: str) -> None:
    from tui_reader.scalars import shorten_words

    print(f"tui-reader: {shorten_words(clean_line(message))}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _err(message)
        raise SystemExit(2)


SHELLS = ("bash", "zsh", "tcsh")


def build_parser() -> argparse.ArgumentParser:
    home_help = f"keep config, database, cache and log under DIR (also ${HOME_ENV})"
    debug_help = f"write a debug log file (also ${log.DEBUG_ENV}=1; see the README for where)"
    common = _Parser(add_help=False)
    common.add_argument("--home", metavar="DIR", help=home_help)
    common.add_argument("--debug", action="store_true", help=debug_help)
    # On subcommands these must not reset a value given before the command name.
    sub_common = _Parser(add_help=False)
    sub_common.add_argument("--home", metavar="DIR", help=home_help, default=argparse.SUPPRESS)
    sub_common.add_argument(
        "--debug", action="store_true", help=debug_help, default=argparse.SUPPRESS
    )
    parser = _Parser(
        prog="tui-reader",
        description="A terminal reader for entertainment news. With no command, opens the reader.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"tui-reader {__version__}")
    parser.add_argument(
        "--print-completion",
        choices=SHELLS,
        metavar="SHELL",
        help=f"print the shell completion script for SHELL ({', '.join(SHELLS)}) and exit",
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, help="(default: tui)"
    )

    def command(name: str, help: str, example: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[sub_common],
        )

    json_help = "print JSON instead of text"
    command("tui", "open the reader (the default)", "tui-reader tui --home ~/news")
    command(
        "demo",
        "serve the bundled demo site on 127.0.0.1 and open the reader on it, in a throwaway "
        "home (--home only lends its config.toml, and is never written)",
        "tui-reader demo",
    )
    p = command(
        "add",
        "subscribe to a feed, or to the feed a web page names",
        "tui-reader add https://example.com/feed.xml --folder Film",
    )
    p.add_argument("url", nargs="?", help="the feed's address, or a page that links to its feed")
    p.add_argument("--folder", help="file the feed under this folder in the reader")
    p.add_argument(
        "--suggested", nargs="+", metavar="NAME", help="subscribe to curated feeds by name"
    )
    p = command(
        "remove",
        "unsubscribe from a feed (its bookmarked articles stay)",
        "tui-reader remove https://example.com/feed.xml",
    )
    p.add_argument("url", help="the feed's address, as `feeds` lists it")
    p = command(
        "feeds", "list subscriptions with their last refresh and last error", "tui-reader feeds"
    )
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("--suggest", action="store_true", help="list curated entertainment feeds to add")
    p = command(
        "refresh",
        "fetch every feed and download, clean and store new articles",
        "tui-reader refresh --force",
    )
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument(
        "--force",
        action="store_true",
        help="fetch feeds that are not due yet (a server's Retry-After still holds)",
    )
    p = command(
        "sync", "send local changes to the [sync] server, then bring in its own", "tui-reader sync"
    )
    p.add_argument("--json", action="store_true", help=json_help)
    for name, state in (("mark-read", "read"), ("mark-unread", "unread")):
        p = command(
            name,
            f"mark articles {state} (sent to the [sync] server at the next sync)",
            f"tui-reader {name} 42 43",
        )
        p.add_argument("ids", type=_article_id, nargs="+", metavar="ID", help="ids from `articles`")
    p = command(
        "articles", "list stored articles, newest first", "tui-reader articles --unread --limit 10"
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--feed", metavar="URL", help="only the articles of this feed")
    where.add_argument("--folder", metavar="NAME",
                       help="only the articles of this folder's feeds, its subfolders' too")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    p.add_argument("--all", action="store_true", help="include articles a filter hides")
    p.add_argument("--query", metavar="NAME", help="the articles a [[query]] in config.toml finds")
    p.add_argument(
        "--limit",
        type=_limit_or_all,
        default=50,
        metavar="N",
        help="at most N, newest first (default: 50; 0: all)",
    )
    p.add_argument("--json", action="store_true", help=json_help)
    p = command(
        "read",
        "print a cleaned article (a URL not cached is fetched first)",
        "tui-reader read 42 --format markdown",
    )
    p.add_argument("target", metavar="ID|URL", help="an id from `articles` or `search`, or a URL")
    p.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="how to print it (default: text)",
    )
    p.add_argument("--mark-read", action="store_true", help="mark the article read")
    p = command(
        "search",
        "full-text search over stored articles",
        """tui-reader search '"box office" title:review premi*'""",
    )
    p.add_argument(
        "query", help='words, "a phrase", prefix* and title:word; all must match'
    )
    p.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="at most N matches (default: 20)"
    )
    p.add_argument("--json", action="store_true", help=json_help)
    p = command("bookmark", "bookmark an article", "tui-reader bookmark 42")
    p.add_argument("id", type=_article_id, help="the article's id, from `articles` or `search`")
    p = command("unbookmark", "remove a bookmark", "tui-reader unbookmark 42")
    p.add_argument("id", type=_article_id, help="the article's id, from `articles --bookmarked`")
    p = command(
        "import-opml",
        "subscribe to the feeds of an OPML file",
        "tui-reader import-opml subscriptions.opml",
    )
    p.add_argument("file", help="an OPML file, as other feed readers export")
    p = command(
        "export-opml",
        "write subscriptions as OPML (to standard output without FILE)",
        "tui-reader export-opml subscriptions.opml",
    )
    p.add_argument("file", nargs="?", help="the file to write (replaced whole)")
    command(
        "reclean",
        "clean the stored pages again with the current cleaner (offline)",
        "tui-reader reclean",
    )
    command(
        "vacuum",
        "check and repair the search index, then compact the database file",
        "tui-reader vacuum",
    )
    p = command(
        "prune",
        "delete read, unbookmarked articles older than N days (bookmarks stay)",
        "tui-reader prune --days 30",
    )
    p.add_argument(
        "--days",
        type=_days,
        metavar="N",
        help="age in days (default: [store] retention_days in config.toml, 90)",
    )
    p = command(
        "export",
        "write articles with their full text (to standard output without FILE)",
        "tui-reader export --bookmarked --format json bookmarks.json",
    )
    p.add_argument("--bookmarked", action="store_true", help="the bookmarked articles")
    p.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown, one article after another, or a JSON list (default: markdown)",
    )
    p.add_argument("file", nargs="?", help="the file to write (replaced whole)")
    return parser


def _number(text: str, low: int, high: int, what: str) -> int:
    """A number from the command line, read by scalars: "²", "1_0" and 30 digits are refused
    by argparse in one usage line rather than failing deep inside."""
    from tui_reader.scalars import ScalarError, parse_int

    try:
        return parse_int(text, low=low, high=high, what=what)
    except ScalarError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _article_id(text: str) -> int:
    return _number(text, 1, 2**63 - 1, "article id")  # SQLite's largest integer


def _limit(text: str) -> int:
    return _number(text, 1, 1_000_000, "limit")


def _limit_or_all(text: str) -> int:
    return _number(text, 0, 1_000_000, "limit")


def _days(text: str) -> int:
    # As far back as [store] retention_days may reach in config.toml.
    return _number(text, 0, 36_500, "number of days")


# Arguments that are text, not file names (which may be any bytes the file system allows).
_TEXT_ARGUMENTS = ("url", "feed", "query", "target", "folder")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        if exc.code != 2:  # --help and --version
            raise
        return 2  # a usage line, already printed, as for a usage error found later
    for name in _TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str):
            # Bytes that are not UTF-8 reach argv as lone surrogates, which SQLite and the
            # terminal cannot take; a URL or a query has no use for them.
            setattr(args, name, value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    handler = COMMANDS.get(args.command or "tui")
    assert handler is not None
    if args.print_completion:
        handler = partial(_print_completion, parser)
    try:
        _start_log(args)
        code = handler(args)
        sys.stdout.flush()  # here, where a reader gone away can be told apart
        return code
    except UsageError as exc:
        _err(str(exc))
        return 2
    except ConfigError as exc:
        _err(f"{exc}; fix or remove the file (nothing was changed)")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except sqlite3.Error as exc:
        # A read that meets a damaged page or a missing table, wherever in a command.
        from tui_reader.store.errors import describe

        _err(str(describe(exc, Paths.resolve(args.home).database)))
        return 1
    except BrokenPipeError:
        # Whoever read the output (head, a pager) has gone: nobody is left to tell. Standard
        # output now leads nowhere, so the interpreter's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if not _is_user_error(exc):
            logger.exception("%s failed", args.command or "tui")
            raise
        logger.info("%s failed: %s", args.command or "tui", exc)
        _err(str(exc))
        return 1


def _print_completion(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """shtab writes the script from the parser itself, so it never falls behind the options."""
    try:
        import shtab
    except ImportError:
        _err("shell completion needs shtab: pip install shtab")
        return 1
    commands = [a.choices for a in parser._actions if isinstance(a.choices, dict)]
    for each in [parser, *(p for choices in commands for p in choices.values())]:
        for action in each._actions:
            if action.dest == "home":
                action.complete = shtab.DIRECTORY
            elif action.dest == "file":
                action.complete = shtab.FILE
    print(shtab.complete(parser, shell=args.print_completion))
    return 0


def _start_log(args: argparse.Namespace) -> None:
    """The debug log when --debug or $TUI_READER_DEBUG asks for it; otherwise no logging."""
    asked = log.asked_in_environment() or args.debug
    if not asked:
        log.start(None)
        return
    log_file = _paths(args).log_file if asked is True else asked
    log.start(log_file)
    _err(f"writing a debug log to {log_file}")
    logger.debug("tui-reader %s: %s", __version__, args.command or "tui")


def _is_user_error(exc: Exception) -> bool:
    from tui_reader.feeds.opml import OpmlError
    from tui_reader.net.errors import FetchError, NotAFeed
    from tui_reader.store import StoreError

    return isinstance(exc, CommandError | FetchError | NotAFeed | StoreError | OpmlError | OSError)


def _paths(args: argparse.Namespace) -> Paths:
    return Paths.resolve(args.home).ensure()


def _settings(args: argparse.Namespace, *, create: bool = True) -> Settings:
    """The config, written with comments on first run (unless `create` is off, for commands
    that must run on a full disk); unknown keys are reported on stderr."""
    settings = load_settings(_paths(args).config_file, create=create)
    for warning in settings.warnings:
        _err(warning)
    return settings


def _store(args: argparse.Namespace, *, reading: bool = False, marking: bool = False) -> Any:
    """The store; `reading` for a command that writes nothing, so it runs on a full disk;
    `marking` for one that marks articles read, as config.toml's `story_read` says."""
    from tui_reader.store import Store

    story_read = _settings(args, create=False).story_read == "story" if marking else True
    store = Store.open(_paths(args).database, reading=reading, announce=_upgrading)
    store.story_read = story_read
    return store


def _upgrading(old: int, new: int) -> None:
    """Said before the database is brought forward, so a long upgrade is not taken for a
    hang."""
    _err(f"upgrading the database from schema {old} to {new}; a large one takes a minute")


def _run_with_fetcher(args: argparse.Namespace, job: Callable[[Any, Any, Settings], Any],
                      settings: Settings | None = None) -> Any:
    """Run `job(store, fetcher, settings)` with the config's network settings (read here
    unless the command already has them, so its warnings are said once)."""
    import asyncio

    from tui_reader.net.http import Fetcher

    settings = settings or _settings(args)

    async def runner() -> Any:
        with _store(args) as store:
            store.use_filters(settings.filters)
            async with Fetcher(settings.http) as fetcher:
                return await job(store, fetcher, settings)

    return asyncio.run(runner())


def _pictures(args: argparse.Namespace, settings: Settings) -> Any:
    """The picture cache that refreshes fill, unless config.toml turns pictures off."""
    from tui_reader.pictures import Pictures

    return Pictures.at(_paths(args)) if settings.images else None


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_tui(args: argparse.Namespace) -> int:
    from tui_reader.ui.terminal import start_probe

    start_probe()
    # Start-up makes a great many objects that live as long as the app, and the collector
    # walked them all again and again before the first frame; the app turns it back on then.
    gc.disable()
    from tui_reader.ui.app import ReaderApp

    settings = _settings(args)
    ReaderApp(_paths(args), settings=settings, announce=_upgrading).run()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the demo site and open the reader on it, always in a throwaway home.

    The user's home (`--home`, $TUI_READER_HOME or the platform's folders) is only read: its
    config.toml, so the demo has the user's keys and theme. Its database, cache and config
    are never written, so nothing the demo does can reach the user's feeds or bookmarks.
    """
    import dataclasses
    import tempfile

    from tui_reader.demo import DemoServer, subscribe_demo
    from tui_reader.store import Store
    from tui_reader.ui.app import ReaderApp

    settings = load_settings(Paths.resolve(args.home).config_file, create=False)
    with DemoServer() as server, tempfile.TemporaryDirectory(prefix="tui-reader-demo-") as scratch:
        paths = Paths.resolve(scratch).ensure()
        with Store.open(paths.database) as store:
            subscribe_demo(store, server)
        settings = dataclasses.replace(settings, refresh_on_start=True)
        ReaderApp(paths, settings=settings, demo=True).run()
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from tui_reader.refresh import subscribe

    if args.suggested:
        if args.url:
            raise UsageError("give a URL or --suggested NAME…, not both")
        return _add_suggested(args)
    if not args.url:
        raise UsageError("add needs a URL (or --suggested NAME…; see feeds --suggest)")
    feed, others = _run_with_fetcher(args, lambda s, f, _: subscribe(s, f, args.url, args.folder))
    print(feed.title)
    if others:
        print(f"subscribed to {feed.url}; the page also names:", file=sys.stderr)
        for other in others:
            print(f"  {other}", file=sys.stderr)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if not store.remove_feed(args.url):
            raise CommandError(f"not subscribed: {args.url}")
    return 0


def _add_suggested(args: argparse.Namespace) -> int:
    """Each curated feed is tried on its own; one polite line for each that fails."""
    from tui_reader.curated import find
    from tui_reader.net.errors import FetchError, NotAFeed
    from tui_reader.refresh import subscribe

    chosen = []
    for name in args.suggested:
        suggestion = find(name)
        if suggestion is None:
            raise UsageError(f"no curated feed called {name!r}; see: tui-reader feeds --suggest")
        chosen.append(suggestion)

    async def add_all(store: Any, fetcher: Any, _: Settings) -> int:
        failed = 0
        for suggestion in chosen:
            folder = args.folder or suggestion.folder
            try:
                feed, _others = await subscribe(store, fetcher, suggestion.url, folder)
            except (FetchError, NotAFeed) as exc:
                failed += 1
                _err(f"could not add {suggestion.title} ({suggestion.url}): {exc}")
            else:
                print(feed.title)
        return failed

    return 1 if _run_with_fetcher(args, add_all) else 0


def _print_suggestions(as_json: bool) -> int:
    from tui_reader.curated import SUGGESTIONS

    if as_json:
        _print_json(
            [
                {"name": s.name, "title": s.title, "url": s.url, "folder": s.folder}
                for s in SUGGESTIONS
            ]
        )
        return 0
    folder = None
    for suggestion in SUGGESTIONS:
        if suggestion.folder != folder:
            folder = suggestion.folder
            print(f"{folder}:")
        print(f"  {suggestion.name:<14}{suggestion.title:<26}{suggestion.url}")
    print("\nadd with: tui-reader add --suggested NAME… (needs the internet)")
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from tui_reader.refresh import feed_status
    from tui_reader.scalars import shorten_words

    if args.suggest:
        return _print_suggestions(args.json)
    with _store(args, reading=True) as store:
        feeds = store.feeds()
    if args.json:
        _print_json([f.to_json() for f in feeds])
        return 0
    for feed in feeds:
        # Titles and errors come from servers: no control sequence reaches the terminal.
        print(clean_line(feed.title))
        print(f"  {clean_line(feed.url)}")
        print(f"  {shorten_words(clean_line(feed_status(feed)))} · {feed.unread} unread")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.sync is None:
        raise UsageError("config.toml has no [sync] section; see the README's Sync part")
    from tui_reader.sync import sync_configured

    with _Progress("") as bar:
        report = _run_with_fetcher(args, lambda s, f, c: sync_configured(
            s, f, c, pictures=_pictures(args, c), progress=bar.sync_step), settings)
    for line in report.complaints():
        _err(line)
    if args.json:
        _print_json(report.to_json())
    elif not report.error:
        print(report.summary())
    return 1 if report.error else 0


def _mark(args: argparse.Namespace, read: bool) -> int:
    with _store(args, marking=True) as store:
        for article_id in args.ids:
            if store.row(article_id) is None:
                raise UsageError(f"no article with id {article_id}")
        store.set_read(args.ids, read)
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from tui_reader.refresh import FeedResult, forking, refresh_all
    from tui_reader.sync import direct_feeds, sync_configured

    new = 0

    def progress(result: FeedResult, done: int, total: int) -> None:
        nonlocal new
        new += result.new
        plain = f"[{done}/{total}] {result.title}: {result.outcome}"
        plain += f", {result.new} new" if result.outcome == "ok" else ""
        plain += f", {result.left_note}" if result.left else ""
        bar.step(done, total, f"{new} new · {result.title}", plain)

    synced: SyncReport | None = None
    bar = _Progress("feeds")

    async def job(store: Any, fetcher: Any, settings: Settings) -> Any:
        """With [sync], the server's feeds come through the sync; only the others are
        fetched here."""
        nonlocal synced
        feeds = None
        if settings.sync is not None:
            with _Progress("") as sync_bar:
                synced = await sync_configured(store, fetcher, settings,
                                               pictures=_pictures(args, settings),
                                               progress=sync_bar.sync_step)
            feeds = direct_feeds(store)
        with bar:
            return await refresh_all(store, fetcher, feeds, force=args.force, progress=progress,
                                     options=settings.feeds, pictures=_pictures(args, settings))

    logger.info("refresh started%s", " (forced)" if args.force else "")
    with forking():  # before the database is opened: see refresh.forks
        report = _run_with_fetcher(args, job)
    logger.info("refresh finished: %s", report.summary())
    if synced is not None:
        for line in synced.complaints():
            _err(line)
    for failed in report.failed:
        _err(f"{failed.url}: {failed.error}")
    if args.json:
        _print_json({**report.to_json(), **({"sync": synced.to_json()} if synced else {})})
    else:
        if synced is not None and not synced.error:
            print(synced.summary())
        if synced is None or report.results:
            print(report.summary())
    return 1 if report.failed or (synced is not None and synced.error) else 0


class _Progress:
    """Progress on stderr: on a terminal, a rich bar redrawn in place and gone when the work
    is; elsewhere (a log, CI, a pipe), one plain line per step. Web text in either is
    cleaned, and rich is told it is plain text, never markup."""

    def __init__(self, unit: str) -> None:
        self._unit = unit
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
            from rich.table import Column

            self._bar = Progress(
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self._unit),
                TextColumn(
                    "{task.description}",
                    markup=False,
                    table_column=Column(no_wrap=True, overflow="ellipsis"),
                ),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=None)
        return self

    def step(self, done: int, total: int, note: str, plain: str | None) -> None:
        """`note` goes beside the bar; `plain` is the line written when there is no bar (None:
        nothing). A total of 0 is an unknown one."""
        if self._bar is not None:
            self._bar.update(
                self._task, completed=done, total=total or None, description=clean_line(note)
            )
        elif plain is not None:
            from tui_reader.scalars import shorten_words

            sys.stderr.write(shorten_words(clean_line(plain)) + "\n")
            sys.stderr.flush()

    def sync_step(self, what: str, done: int, total: int) -> None:
        """A sync's steps show on a terminal only: a log gets the summary or the one line
        saying what failed."""
        self.step(done, total, f"sync: {what}", None)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def cmd_articles(args: argparse.Namespace) -> int:
    from tui_reader.store import SearchTooBroad
    from tui_reader.store.folders import within

    if args.limit < 0:
        raise UsageError("--limit must be 0 (all) or more")
    settings = _settings(args, create=False)
    search = None
    if args.query is not None:
        named = {q.name.casefold(): q.search for q in settings.queries}
        search = named.get(args.query.strip().casefold())
        if search is None:
            known = ", ".join(q.name for q in settings.queries) or "none in config.toml"
            raise UsageError(f"no saved search named {args.query!r} ({known})")
    with _store(args, reading=True) as store:
        store.use_filters(settings.filters)
        feed_id = None
        if args.feed:
            feed = store.feed_by_url(args.feed)
            if feed is None:
                raise UsageError(f"not subscribed: {args.feed}")
            feed_id = feed.id
        if args.folder is not None:
            folders = store.folders()
            if not any(within(f, args.folder) for f in folders):
                known = ", ".join(folders) or "no feed is in a folder"
                raise UsageError(f"no folder named {args.folder!r} ({known})")
        # One row past the limit tells a cut list from one that just fits; -1 is SQLite's "all".
        try:
            rows = store.articles(
                feed_id=feed_id, folder=args.folder, unread=args.unread,
                bookmarked=args.bookmarked,
                limit=args.limit + 1 if args.limit else -1, hidden=args.all, query=search,
            )
        except SearchTooBroad as exc:
            raise CommandError(f"saved search {args.query!r}: {exc}") from exc
        urls = store.feed_urls()
        # The other articles of each story listed, shown under it.
        stories = {} if args.json else {
            r.story: store.story(r.story) for r in rows if r.story is not None}
    if args.limit and len(rows) > args.limit:
        rows = rows[: args.limit]
        _err(f"showing the newest {args.limit}; --limit N shows more, --limit 0 all")
    if args.json:
        _print_json([r.to_json(_feed_url(urls, r)) for r in rows])
        return 0
    for row in rows:
        marks = ("*" if row.bookmarked else " ") + ("N" if not row.read else " ")
        date = row.published.astimezone().strftime("%Y-%m-%d") if row.published else "          "
        hidden = "  [hidden]" if row.hidden else ""
        sources = f"  [{row.sources} sources]" if row.sources > 1 else ""
        print(f"{row.id:>6} {marks} {date}  {_titled(row)}{hidden}{sources}")
        for other in stories.get(row.story, ()):
            if other.id != row.id:
                print(f"{'':>6}   {'':10}  ↳ {other.id}  {_titled(other)}")
    return 0


def _feed_url(urls: dict[int, str], row: ArticleRow) -> str | None:
    return urls.get(row.feed_id) if row.feed_id else None


def _titled(row: ArticleRow) -> str:
    """The title and, for an article from a feed, the feed's and those of others carrying it."""
    feed = clean_line(row.feed_title)
    if row.also_in:
        feed += f" (also in: {clean_line(', '.join(row.also_in))})"
    return f"{clean_line(row.title)}  — {feed}" if feed else clean_line(row.title)


def _resolve_article(target: str, args: argparse.Namespace) -> int:
    """An id or a URL; a URL not yet stored is fetched, cleaned and cached first."""
    from tui_reader.net.errors import FetchError
    from tui_reader.net.http import check_url

    try:
        article_id = _article_id(target) if target.strip().isdigit() else None
    except argparse.ArgumentTypeError as exc:
        raise UsageError(str(exc)) from None
    if article_id is None:
        try:
            check_url(target)
        except FetchError as exc:
            raise UsageError(str(exc)) from exc
    with _store(args, reading=True) as store:
        if article_id is not None:
            if store.row(article_id) is None:
                raise UsageError(f"no article with id {article_id}")
            return article_id
        found = store.id_for_url(target)
    if found is not None:
        return int(found)
    from tui_reader.refresh import fetch_article

    return int(
        _run_with_fetcher(
            args, lambda s, f, c: fetch_article(s, f, target, pictures=_pictures(args, c))
        )
    )


def cmd_read(args: argparse.Namespace) -> int:
    from tui_reader.store import StoreError

    article_id = _resolve_article(args.target, args)
    with _store(args, reading=True) as store:
        article = store.article(article_id)
    if args.format == "json":
        _print_json({"id": article_id, **article.to_json()})
    elif args.format == "markdown":
        print(clean_text(f"# {clean_line(article.title)}\n\n{article.markdown}"))
    else:
        print(clean_text(render_text(article)))
    if not args.mark_read:
        return 0
    sys.stdout.flush()
    # Marked read only once shown: a full disk costs the mark, not the reading.
    try:
        with _store(args, marking=True) as store:
            store.set_read([article_id])
    except StoreError as exc:
        _err(f"not marked as read: {exc}")
    return 0


def render_text(article: Any) -> str:
    lines = [article.title]
    byline = " · ".join(
        part
        for part in (
            article.author,
            article.published.date().isoformat() if article.published else None,
            article.site_name,
        )
        if part
    )
    if byline:
        lines.append(byline)
    lines += ["", article.text]
    if article.truncated:
        lines += ["", "[article cut: too long to keep whole]"]
    if article.related:
        lines += ["", "Related:"] + [f"- {r.title} <{r.url}>" for r in article.related]
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    from tui_reader.store import InvalidSearch, SearchTooBroad

    with _store(args, reading=True) as store:
        try:
            hits = store.search(args.query, limit=args.limit)
        except SearchTooBroad as exc:
            raise CommandError(str(exc)) from exc
        except InvalidSearch as exc:
            raise UsageError(f"invalid search: {args.query!r}") from exc
        urls = store.feed_urls()
    if args.json:
        _print_json([
            {**h.row.to_json(_feed_url(urls, h.row)), "snippet": _plain_snippet(h.snippet)}
            for h in hits
        ])
        return 0
    if not hits:
        print("no matches")
        return 1
    for hit in hits:
        print(f"{hit.row.id:>6}  {_titled(hit.row)}")
        print(f"        {_plain_snippet(hit.snippet, mark=True)}")
    return 0


def _plain_snippet(snippet: str, mark: bool = False) -> str:
    open_, close = ("«", "»") if mark else ("", "")
    return " ".join(snippet.replace("\x02", open_).replace("\x03", close).split())


def _set_bookmark(args: argparse.Namespace, on: bool) -> int:
    with _store(args) as store:
        if store.row(args.id) is None:
            raise UsageError(f"no article with id {args.id}")
        store.set_bookmarked(args.id, on)
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    from tui_reader.feeds.opml import parse_opml, read_opml

    feeds, skipped = parse_opml(read_opml(Path(args.file)))
    added = 0
    with _store(args) as store:
        for feed in feeds:
            _, new = store.add_feed(feed.url, feed.title or feed.url, folder=feed.folder)
            added += new
    for url in skipped:
        print(f"skipped (not an http/https feed URL): {url}", file=sys.stderr)
    print(f"added {added} feeds, {len(feeds) - added} already subscribed, {len(skipped)} skipped")
    return 0


def cmd_export_opml(args: argparse.Namespace) -> int:
    from tui_reader.feeds.opml import OpmlFeed, write_opml
    from tui_reader.files import write_atomic

    with _store(args, reading=True) as store:
        text = write_opml([OpmlFeed(f.url, f.title, f.folder) for f in store.feeds()])
    if args.file:
        write_atomic(Path(args.file), text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_reclean(args: argparse.Namespace) -> int:
    from tui_reader.reclean import RecleanReport, reclean

    def progress(report: RecleanReport, total: int) -> None:
        changed = f"{report.changed} changed"
        bar.step(report.pages, total, changed, f"[{report.pages}/{total}] {changed}")

    with _store(args) as store, _Progress("pages") as bar:
        report = reclean(store, progress=progress)
    print(report.summary())
    return 1 if report.failed else 0


def cmd_vacuum(args: argparse.Namespace) -> int:
    with _store(args) as store:
        repaired = store.check_search_index()
        before, after = store.vacuum()
    if repaired:
        print("the search index was damaged and has been rebuilt")
    print(f"{before / 2**20:.1f} MiB before, {after / 2**20:.1f} MiB after")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    days = _settings(args).retention_days if args.days is None else args.days
    from tui_reader.pictures import prune_pictures

    with _store(args) as store:
        removed = store.prune(days)
        pictures = prune_pictures(store, _paths(args), days)
    print(
        f"pruned {removed} read articles and {pictures} cached pictures older than {days} days;"
        " bookmarks are kept"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tui_reader.export import export_bookmarks
    from tui_reader.files import write_atomic

    if not args.bookmarked:
        raise UsageError("say what to export: --bookmarked")
    with _store(args, reading=True) as store:
        text, count = export_bookmarks(store, args.format)
    if args.file:
        write_atomic(Path(args.file), text)
        print(f"exported {count} bookmarked articles to {args.file}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "tui": cmd_tui,
    "demo": cmd_demo,
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "refresh": cmd_refresh,
    "sync": cmd_sync,
    "mark-read": lambda a: _mark(a, True),
    "mark-unread": lambda a: _mark(a, False),
    "articles": cmd_articles,
    "read": cmd_read,
    "search": cmd_search,
    "bookmark": lambda a: _set_bookmark(a, True),
    "unbookmark": lambda a: _set_bookmark(a, False),
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
    "reclean": cmd_reclean,
    "vacuum": cmd_vacuum,
    "prune": cmd_prune,
    "export": cmd_export,
}

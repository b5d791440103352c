"""config.toml: read with tomllib, validated key by key, written with comments on first run."""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui_reader.files import read_bounded, write_atomic
from tui_reader.net.settings import DEFAULT_USER_AGENT, HttpSettings
from tui_reader.sanitize import clean_line
from tui_reader.scalars import ScalarError, parse_url, shorten
from tui_reader.store.filters import Filter

DEFAULT_CONFIG = """\
# tui-reader configuration. Delete this file to get the defaults back.

[reader]
# A Textual theme: textual-dark, textual-light, nord, gruvbox, dracula, tokyo-night, ...
theme = "textual-dark"
# Refresh the feeds that are due when the reader opens, and every N minutes while it is
# open (0 turns that off). A feed is due once its own interval, the server's cache time or
# Retry-After has passed; ctrl+r refreshes every feed at once, but for Retry-After.
refresh_on_start = true
auto_refresh_minutes = 30
# Show pictures in the reader (captions stay when off).
images = true
# One event told by several sites is listed once as a story ("3 sources"). Reading one of
# its articles marks the whole story read ("story"), or only that article ("article").
story_read = "story"

[store]
# Read, unbookmarked articles older than this many days are pruned. Bookmarks are kept forever.
retention_days = 90

[network]
concurrency = 16          # downloads at once
per_host = 4              # downloads at once from one site
connect_timeout = 10      # seconds
read_timeout = 20         # seconds without a byte
deadline = 45             # seconds for a whole request
user_agent = ""           # empty: tui-reader's own

[keys]
# Rebind any key by its binding id (the Help screen, `?`, shows each one), for example:
# "main.bookmark" = "B"
# An action whose key is taken gets the key let go of (here Bookmarks moves to b).

# Sync subscriptions, read state and bookmarks through a Tiny Tiny RSS server:
# [sync]
# service = "ttrss"
# url = "https://rss.example.org/"       # its API is url + "api/"; https unless on this machine
# user = "me"
# password_command = "pass show ttrss"   # or: password_file = "PATH" (mode 0600)

# Per-feed options, keyed by the feed URL:
# [feeds."https://example.com/feed.xml"]
# title = "My title"
# folder = "Film"
# content_only = true      # use the feed's own text instead of downloading the page
# refresh_minutes = 60

# Filters: hide articles, or mark them read, when a field matches a regular expression
# (plain words are one too; case is ignored). `articles --all` and `H` in the reader show
# hidden ones.
# [[filter]]
# match = "title"           # title | author | feed | link | text
# pattern = "sponsored|giveaway"
# action = "hide"           # hide | read

# Saved searches, listed with the feeds: the search syntax, plus feed:NAME, folder:NAME,
# unread and bookmarked.
# [[query]]
# name = "Trailers"
# search = "trailer OR teaser"
"""


# Far more than any hand-written config; the file is read whole.
MAX_CONFIG_BYTES = 2**20


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the place and the fix."""


@dataclass(frozen=True, slots=True)
class FeedOptions:
    title: str | None = None
    folder: str | None = None
    content_only: bool = False
    refresh_minutes: int | None = None


SYNC_SERVICES = ("ttrss",)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Where to sync and how to get the password; the password itself is never kept here."""

    service: str
    url: str
    user: str
    password_command: str | None = None
    password_file: Path | None = None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    search: str


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = "textual-dark"
    refresh_on_start: bool = True
    auto_refresh_minutes: int = 30
    images: bool = True
    # "story": reading one article of a story marks the story read; "article": that one.
    story_read: str = "story"
    retention_days: int = 90
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 45.0
    user_agent: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, FeedOptions] = field(default_factory=dict)
    filters: tuple[Filter, ...] = ()
    queries: tuple[SavedSearch, ...] = ()
    sync: SyncSettings | None = None
    warnings: tuple[str, ...] = ()

    @property
    def http(self) -> HttpSettings:
        return HttpSettings(
            user_agent=self.user_agent or DEFAULT_USER_AGENT,
            concurrency=self.concurrency,
            per_host=self.per_host,
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            deadline=self.deadline,
        )


# section -> key -> (type, lower bound or None, upper bound or None)
_SCHEMA: dict[str, dict[str, tuple[type, float | None, float | None]]] = {
    "reader": {
        "theme": (str, None, None),
        "refresh_on_start": (bool, None, None),
        "auto_refresh_minutes": (int, 0, 10080),
        "images": (bool, None, None),
        "story_read": (str, None, None),
    },
    "store": {"retention_days": (int, 1, 36500)},
    "network": {
        "concurrency": (int, 1, 128),
        "per_host": (int, 1, 32),
        "connect_timeout": (float, 0.1, 600),
        "read_timeout": (float, 0.1, 600),
        "deadline": (float, 1, 3600),
        "user_agent": (str, None, None),
    },
}
_FEED_KEYS: dict[str, type] = {
    "title": str,
    "folder": str,
    "content_only": bool,
    "refresh_minutes": int,
}
STORY_READ = ("story", "article")
_NAMES = {"int": "an integer", "float": "a number", "bool": "true or false", "str": "a string"}


def _check(where: str, value: Any, kind: type, low: float | None, high: float | None) -> Any:
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        # TOML integers have no size limit in tomllib; past a float's range is out of range.
        ok, value = True, float(value) if abs(value) < 2**1000 else float("inf")
    if not ok:
        raise ConfigError(f"{where} must be {_NAMES[kind.__name__]}, got {_shown(value)}")
    if low is not None and high is not None and not low <= value <= high:
        raise ConfigError(f"{where} must be between {low:g} and {high:g}, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    return shorten(clean_line(repr(value)), 80)


def parse_config(text: str, path: Path) -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError:
        # tomllib reads nested arrays and inline tables by recursion.
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for section, table in data.items():
        if section in ("keys", "feeds", "sync", "filter", "query"):
            continue
        schema = _SCHEMA.get(section)
        if schema is None or not isinstance(table, dict):
            warnings.append(f"{path}: unknown section [{section}] ignored")
            continue
        for key, value in table.items():
            if key not in schema:
                warnings.append(f"{path}: unknown key [{section}] {key} ignored")
                continue
            values[key] = _check(f"{path}: [{section}] {key}", value, *schema[key])
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(f'{path}: [keys] entries must look like "binding.id" = "key"')
    feed_tables = data.get("feeds", {})
    if not isinstance(feed_tables, dict):
        raise ConfigError(f'{path}: feeds must be tables like [feeds."https://…/feed.xml"]')
    feeds: dict[str, FeedOptions] = {}
    for url, table in feed_tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f'{path}: [feeds."{url}"] must be a table of options')
        options: dict[str, Any] = {}
        for key, value in table.items():
            if key not in _FEED_KEYS:
                warnings.append(f'{path}: unknown key [feeds."{url}"] {key} ignored')
                continue
            low_high = (1, 10080) if key == "refresh_minutes" else (None, None)
            options[key] = _check(
                f'{path}: [feeds."{shorten(url, 100)}"] {key}', value, _FEED_KEYS[key], *low_high
            )
            if key in ("title", "folder"):
                # Shown in the terminal and written to OPML: cleaned once, here.
                options[key] = _folder(value) if key == "folder" else clean_line(value) or None
        feeds[url] = FeedOptions(**options)
    if values.get("story_read", "story") not in STORY_READ:
        raise ConfigError(f"{path}: [reader] story_read must be \"story\" or \"article\","
                          f" got {_shown(values['story_read'])}")
    sync = _sync_settings(data["sync"], path, warnings) if "sync" in data else None
    filters = _filters(data.get("filter", []), path, warnings)
    queries = _queries(data.get("query", []), path, warnings)
    return Settings(**values, keys=dict(keys), feeds=feeds, filters=filters, queries=queries,
                    sync=sync, warnings=tuple(warnings))


def _sync_settings(table: Any, path: Path, warnings: list[str]) -> SyncSettings:
    where = f"{path}: [sync]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of options")
    known = ("service", "url", "user", "password_command", "password_file")
    for key in table:
        if key not in known:
            warnings.append(f"{where} unknown key {key} ignored")
    values = {k: _check(f"{where} {k}", table[k], str, None, None) for k in known if k in table}
    for key in ("service", "url", "user"):
        if not values.get(key):
            raise ConfigError(f"{where} needs {key}")
    if values["service"] not in SYNC_SERVICES:
        raise ConfigError(f"{where} service must be one of {', '.join(SYNC_SERVICES)},"
                          f" got {values['service']!r}")
    if ("password_command" in values) == ("password_file" in values):
        raise ConfigError(f"{where} needs one of password_command or password_file")
    try:
        url = parse_url(values["url"])
    except ScalarError as exc:
        raise ConfigError(f"{where} url must be an http or https address ({exc})") from None
    parts = urlsplit(url)
    if parts.scheme == "http" and not loopback_host(parts.hostname or ""):
        raise ConfigError(f"{where} url must use https (plain http only on this machine),"
                          f" got {url!r}")
    file = values.get("password_file")
    return SyncSettings(
        service=values["service"], url=url if url.endswith("/") else url + "/",
        user=values["user"], password_command=values.get("password_command"),
        password_file=Path(file).expanduser() if file else None)


def loopback_host(host: str) -> bool:
    """This machine's own name or addresses: where plain http is safe."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _queries(tables: Any, path: Path, warnings: list[str]) -> tuple[SavedSearch, ...]:
    """The usable [[query]] entries; each one that is not is a warning line naming it."""
    if not isinstance(tables, list):
        warnings.append(f"{path}: saved searches are written [[query]]; ignored")
        return ()
    queries: dict[str, SavedSearch] = {}
    for number, table in enumerate(tables, 1):
        name = table.get("name") if isinstance(table, dict) else None
        search = table.get("search") if isinstance(table, dict) else None
        if not (isinstance(name, str) and name.strip() and isinstance(search, str)):
            warnings.append(f"{path}: [[query]] {number} needs a name and a search (strings);"
                            " ignored")
        elif name.strip().casefold() in queries:
            warnings.append(f"{path}: [[query]] {number}: a second search named {name!r};"
                            " ignored")
        else:
            queries[name.strip().casefold()] = SavedSearch(name.strip(), search)
    return tuple(queries.values())


def _filters(rules: Any, path: Path, warnings: list[str]) -> tuple[Filter, ...]:
    """The usable [[filter]] rules; each one that is not is a warning line naming it."""
    if not isinstance(rules, list):
        warnings.append(f"{path}: filters are written [[filter]] (an array of tables); ignored")
        return ()
    filters = []
    for number, rule in enumerate(rules, 1):
        name = f"{path}: [[filter]] {number}"
        if not isinstance(rule, dict):
            warnings.append(f"{name} is not a table; ignored")
            continue
        name += f" (pattern = {rule.get('pattern')!r})"
        unknown = set(rule) - {"match", "pattern", "action"}
        if unknown:
            warnings.append(f"{name}: unknown keys {', '.join(sorted(unknown))} ignored")
        match, pattern, action = (rule.get("match", "title"), rule.get("pattern"),
                                  rule.get("action", "hide"))
        if not (isinstance(match, str) and isinstance(pattern, str) and pattern
                and isinstance(action, str)):
            warnings.append(f"{name}: match, pattern and action must be strings, and a"
                            " pattern not empty; rule ignored")
            continue
        try:
            filters.append(Filter.make(match, pattern, action))
        except ValueError as exc:
            warnings.append(f"{name}: {exc}; rule ignored")
    return tuple(filters)


def _folder(value: str) -> str | None:
    """A folder path cleaned segment by segment, as the OPML import reads one."""
    return "/".join(p for p in (clean_line(part) for part in value.split("/")) if p) or None


def load_settings(path: Path, *, create: bool = True) -> Settings:
    """Read the config, writing the commented default first if there is none."""
    if not path.exists():
        if create:
            write_atomic(path, DEFAULT_CONFIG)
        return Settings()
    try:
        data = read_bounded(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if data is None:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 2**20} MiB, not a config")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_config(text, path)


def save_theme(path: Path, theme: str) -> None:
    """Remember the chosen theme in [reader], keeping the file's comments, order and any
    sections or keys this version does not know. A file that cannot be read back as TOML with
    a [reader] table is left as it is (ConfigError)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if not path.exists():
        write_atomic(path, DEFAULT_CONFIG)
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); the theme was not saved") from exc
    reader = document.get("reader")
    if reader is None:
        document["reader"] = {"theme": theme}
    elif isinstance(reader, MutableMapping):
        reader["theme"] = theme
    else:
        raise ConfigError(f"{path}: reader is not a [reader] table; the theme was not saved")
    write_atomic(path, tomlkit.dumps(document))

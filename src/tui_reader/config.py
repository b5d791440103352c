"""config.toml: read with tomllib, validated key by key, written with comments on first run."""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui_reader.files import write_atomic
from tui_reader.net.settings import DEFAULT_USER_AGENT, HttpSettings

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
"""


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
class Settings:
    theme: str = "textual-dark"
    refresh_on_start: bool = True
    auto_refresh_minutes: int = 30
    images: bool = True
    retention_days: int = 90
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 45.0
    user_agent: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, FeedOptions] = field(default_factory=dict)
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
_NAMES = {"int": "an integer", "float": "a number", "bool": "true or false", "str": "a string"}


def _check(where: str, value: Any, kind: type, low: float | None, high: float | None) -> Any:
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        raise ConfigError(f"{where} must be {_NAMES[kind.__name__]}, got {value!r}")
    if low is not None and high is not None and not low <= value <= high:
        raise ConfigError(f"{where} must be between {low:g} and {high:g}, got {value!r}")
    return value


def parse_config(text: str, path: Path) -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for section, table in data.items():
        if section in ("keys", "feeds", "sync"):
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
    feeds: dict[str, FeedOptions] = {}
    for url, table in (data.get("feeds") or {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f'{path}: [feeds."{url}"] must be a table of options')
        options: dict[str, Any] = {}
        for key, value in table.items():
            if key not in _FEED_KEYS:
                warnings.append(f'{path}: unknown key [feeds."{url}"] {key} ignored')
                continue
            low_high = (1, 10080) if key == "refresh_minutes" else (None, None)
            options[key] = _check(
                f'{path}: [feeds."{url}"] {key}', value, _FEED_KEYS[key], *low_high
            )
        feeds[url] = FeedOptions(**options)
    sync = _sync_settings(data["sync"], path, warnings) if "sync" in data else None
    return Settings(**values, keys=dict(keys), feeds=feeds, sync=sync, warnings=tuple(warnings))


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
    url = values["url"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where} url must be an http or https address, got {url!r}")
    if parts.scheme == "http" and not loopback_host(parts.hostname):
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


def load_settings(path: Path, *, create: bool = True) -> Settings:
    """Read the config, writing the commented default first if there is none."""
    if not path.exists():
        if create:
            write_atomic(path, DEFAULT_CONFIG)
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
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

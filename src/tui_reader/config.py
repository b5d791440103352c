"""config.toml: read with tomllib, validated key by key, written with comments on first run."""

from __future__ import annotations

import tomllib
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_reader.files import write_atomic

if TYPE_CHECKING:
    from tui_reader.net.http import HttpSettings

DEFAULT_CONFIG = """\
# tui-reader configuration. Delete this file to get the defaults back.

[reader]
# A Textual theme: textual-dark, textual-light, nord, gruvbox, dracula, tokyo-night, ...
theme = "textual-dark"
# Refresh all feeds every N minutes while the reader is open (0 turns it off).
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
# Rebind any key by its binding id (see the Help screen, `?`), for example:
# "article.bookmark" = "B"

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


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = "textual-dark"
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
    warnings: tuple[str, ...] = ()

    @property
    def http(self) -> HttpSettings:
        """Every command reads the config, few fetch: the network stack loads only for those."""
        from tui_reader.net.http import DEFAULT_USER_AGENT, HttpSettings

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
        if section in ("keys", "feeds"):
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
    return Settings(**values, keys=dict(keys), feeds=feeds, warnings=tuple(warnings))


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

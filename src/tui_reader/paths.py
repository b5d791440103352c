"""Where config, database, cache and the debug log live: one `--home` folder, or the
platform's user dirs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "tui-reader"
HOME_ENV = "TUI_READER_HOME"


@dataclass(frozen=True, slots=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "tui-reader.sqlite3"

    @property
    def log_file(self) -> Path:
        """Written only with --debug; its folder is made when the log starts."""
        return self.log_dir / "tui-reader.log"

    def ensure(self) -> Paths:
        for folder in (self.config_dir, self.data_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> Paths:
        """`--home` wins, then $TUI_READER_HOME, then the platform's user dirs."""
        chosen = home or os.environ.get(HOME_ENV)
        if chosen:
            root = Path(chosen).expanduser().resolve()
            return cls(root, root, root / "cache", root / "log")
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        return cls(
            Path(dirs.user_config_dir),
            Path(dirs.user_data_dir),
            Path(dirs.user_cache_dir),
            Path(dirs.user_log_dir),
        )

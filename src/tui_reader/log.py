"""The debug log: written only when asked for, to one file, with web text made harmless.

`--debug` or `TUI_READER_DEBUG=1` turns it on; every `tui_reader.*` logger then writes at DEBUG to
`tui-reader.log` in the log folder. Otherwise our loggers are switched off entirely: nothing
reaches stderr (Python's last-resort handler would write over the reader's screen) and a
`log.debug(...)` on a hot path costs one level check.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from types import TracebackType
from typing import TypeAlias

from tui_reader.sanitize import clean_line

ROOT = "tui_reader"
DEBUG_ENV = "TUI_READER_DEBUG"
FILE_NAME = "tui-reader.log"
_OFF = ("", "0", "false", "no", "off")
_ON = ("1", "true", "yes", "on")

ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]


class CleanFormatter(logging.Formatter):
    """Each record is one line, whatever a server put in it: a title with a newline or an
    escape sequence can neither forge a log line nor reach the terminal that shows the file.
    Tracebacks keep their lines, each cleaned and indented under the record they belong to."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return clean_line(super().formatMessage(record))

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(stack_info)


def _indented(lines: str) -> str:
    return "\n".join("    " + clean_line(line) for line in lines.splitlines())


def asked_in_environment() -> Path | bool:
    """What $TUI_READER_DEBUG asks for: False, True (the default file) or a file of its own."""
    value = os.environ.get(DEBUG_ENV, "").strip()
    if value.lower() in _OFF:
        return False
    return True if value.lower() in _ON else Path(value).expanduser()


def start(log_file: Path | None) -> None:
    """Log every `tui_reader.*` record to `log_file` (appending); None: log nothing at all.

    The file's path is put in $TUI_READER_DEBUG so that refresh worker processes, which are
    started with this environment, append to the same file.
    """
    logger = logging.getLogger(ROOT)
    for handler in logger.handlers[:]:
        logger.removeHandler(handler)
        handler.close()
    if log_file is None:
        logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.CRITICAL + 1)
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(
        CleanFormatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    os.environ[DEBUG_ENV] = str(log_file)

"""The network's settings, apart from the client: reading config.toml, and drawing the
reader's first frame, need them without loading aiohttp."""

from __future__ import annotations

from dataclasses import dataclass

from tui_reader import __version__

DEFAULT_USER_AGENT = f"tui-news-reader/{__version__} (terminal news reader; +https://pypi.org/project/tui-news-reader/)"


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Network knobs; tests pass short deadlines and backoff so faults resolve quickly."""

    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 45.0
    retries: int = 2
    backoff: float = 0.5
    max_backoff: float = 8.0
    # Retry-After up to this is waited out in place; a longer one fails the fetch and is
    # returned in FetchError.retry_after so the feed is simply not due until then.
    max_retry_after: float = 10.0
    max_redirects: int = 5

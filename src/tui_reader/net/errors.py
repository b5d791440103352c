"""Failures the network layer reports; each carries a one-line message fit for a user."""

from __future__ import annotations


class FetchError(Exception):
    """A download failed.

    `status` is the HTTP status when there was one; `retry_after` is how many seconds the
    server asked us to wait (429/503), so the caller can schedule the next attempt.
    """

    def __init__(self, message: str, status: int | None = None, *,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class NotAFeed(Exception):
    """The document yields no feed; the message says what it was instead."""

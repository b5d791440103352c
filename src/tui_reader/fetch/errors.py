"""Failures the fetch layer reports; each carries a one-line message fit for a user."""

from __future__ import annotations


class FetchError(Exception):
    """A download failed; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class NotAFeed(Exception):
    """The document yields no feed."""

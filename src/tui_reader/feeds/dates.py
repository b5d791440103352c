"""Feed dates as timezone-aware datetimes, or None: never "now" standing in for a date."""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime

from feedparser.datetimes import _parse_date


def from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times; out-of-range ones become None."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_date(text: object) -> datetime | None:
    """RFC 3339/ISO 8601 first, then feedparser's RFC 822 and broken-variant handlers.

    A date without a zone is taken as UTC, as feedparser does.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return from_struct(_parse_date(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

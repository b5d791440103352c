"""Constants shared by the UI tests and their fixtures."""

from datetime import UTC, datetime

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOSTILE = "Drake [/] feud [b]bold?[/b] [@click=app.quit]click[/] \x1b]0;pwned\x07\x1b[31m end"

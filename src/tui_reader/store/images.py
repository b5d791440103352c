"""The picture cache: small copies of article images on disk, keyed by a hash of their URL.

Files rather than SQLite rows, so the database stays small and a picture is read only when an
article shows it. A picture that can never be shown keeps a short note instead, so neither the
refresh nor the reader asks for it again. No HTTP, no UI.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from tui_reader.files import write_atomic_bytes

NOTE_SUFFIX = ".note"


class ImageCache:
    """`folder/ab/abcdef…`: two-letter fan-out keeps folders small at tens of thousands of files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / digest

    def get(self, url: str) -> bytes | None:
        try:
            return self.path(url).read_bytes()
        except OSError:
            return None

    def has(self, url: str) -> bool:
        return self.path(url).is_file()

    def put(self, url: str, data: bytes) -> None:
        write_atomic_bytes(self.path(url), data)
        self._note_path(url).unlink(missing_ok=True)

    def note(self, url: str) -> str | None:
        """Why the picture at `url` cannot be shown, if that was found out for good."""
        try:
            return self._note_path(url).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put_note(self, url: str, reason: str) -> None:
        write_atomic_bytes(self._note_path(url), reason.encode("utf-8"))

    def prune(self, max_age_days: int, keep: set[str]) -> int:
        """Delete pictures and notes untouched for `max_age_days`, except those of `keep` URLs
        (the bookmarked articles'); returns how many files went."""
        cutoff = time.time() - max_age_days * 86400
        kept = {self.path(url) for url in keep} | {self._note_path(url) for url in keep}
        removed = 0
        for path in self.folder.glob("??/*"):
            try:
                if path not in kept and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def _note_path(self, url: str) -> Path:
        path = self.path(url)
        return path.with_name(path.name + NOTE_SUFFIX)

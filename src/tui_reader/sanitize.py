"""The one boundary where web text is made safe for a terminal.

Every string that came from a feed or a page passes through `clean_text` before it is stored
or shown: escape sequences, C0/C1 controls and bidi overrides would otherwise reach the
terminal verbatim (Textual strips only a handful of them).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# ESC-introduced sequences first (CSI, OSC, DCS/SOS/PM/APC with their terminators), then any
# remaining C0 except tab/newline, DEL, C1, and bidi/isolate controls.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x9d\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b.?",
    re.DOTALL,
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
SAFE_SCHEMES = frozenset({"http", "https"})
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Strip terminal sequences and control characters; keep newlines and tabs."""
    if not text:
        return ""
    text = _SEQUENCES.sub("", text)
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """`clean_text`, then fold all whitespace into single spaces (titles, names)."""
    text = clean_text(text).replace("\n", " ")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL free of controls and spaces, else None."""
    if not url:
        return None
    url = url.strip()
    if _URL_UNSAFE.search(url) or not url[:8].lower().startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        return None
    return url

"""The one boundary where web text is made safe for a terminal.

Every string that came from a feed or a page passes through `clean_text` before it is stored
or shown: escape sequences, C0/C1 controls and bidi overrides would otherwise reach the
terminal verbatim (Textual strips only a handful of them).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

from tui_reader.scalars import ScalarError, parse_url

# ESC-introduced sequences first (CSI, OSC, DCS/SOS/PM/APC with their terminators), then any
# remaining C0 except tab/newline, DEL, C1, bidi/isolate controls, and lone surrogates (a JSON
# feed's broken "\ud800" escape), which no terminal, file or database can encode.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x9d\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b.?",
    re.DOTALL,
)
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\ufff9-\ufffb"
    "\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible in a one-line field, so a title could hide a difference from what it shows. Zero
# width joiners (U+200C, U+200D) stay: emoji sequences and several scripts need them.
_INVISIBLE = re.compile("[\u200b\u2060-\u2064\ufeff\u180e]")
_NOT_ASCII = re.compile(r"[^\x21-\x7e]")


def clean_text(text: str) -> str:
    """Strip terminal sequences and control characters; keep newlines and tabs."""
    if not text:
        return ""
    # Every sequence starts with a control character, and one search for those is a quarter
    # of the cost of the sequence pass: most feed summaries hold neither.
    if not _CONTROLS.search(text):
        return text
    text = _SEQUENCES.sub("", text)
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """`clean_text`, then fold all whitespace into single spaces (titles, names). Printable
    ASCII, the usual case, holds nothing to strip, normalise or fold but runs of spaces."""
    if text.isascii() and text.isprintable():
        return text.strip() if "  " not in text else " ".join(text.split())
    text = _INVISIBLE.sub("", clean_text(text)).replace("\n", " ")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def safe_url(url: str | None) -> str | None:
    """The URL normalised by `parse_url` when it is a fetchable http(s) URL, else None: a link
    that cannot be fetched is kept as text by its callers, never an error for the whole page."""
    if not url:
        return None
    try:
        return parse_url(url)
    except ScalarError:
        return None


def safe_join(base: str, ref: str) -> str | None:
    """`ref` resolved against `base` when the result is a safe URL, else None."""
    try:
        return parse_url(ref, base)
    except ScalarError:
        return None


def display_url(url: str) -> str:
    """A URL as plain ASCII for showing: a non-ASCII host label in punycode (taken as it is,
    without IDNA mapping, so no character is folded away) and anything else outside printable
    ASCII percent-encoded, so no look-alike or invisible character can hide in it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _NOT_ASCII.sub(lambda m: quote(m.group(), safe=""), url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if hostport.count(":") == 1 else (hostport, "", "")
    labels = [label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
              for label in host.split(".")]
    netloc = f"{userinfo}{at}{'.'.join(labels)}{colon}{port}"
    shown = parts._replace(netloc=netloc).geturl()
    return _NOT_ASCII.sub(lambda m: quote(m.group(), safe=""), shown)

"""Hostile payloads and the checks shared by the hardening tests (reliability.md §8)."""

from __future__ import annotations

import re
import sys
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html import escape
from typing import Any

# A1: each names its marker, text that survives only if the sequence around it does.
A1 = {
    "osc-title": "\x1b]0;PWNEDTITLE\x07",
    "osc52-clipboard": "\x1b]52;c;Q0xJUERBVEE=\x1b\\",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\",
    "csi-clear": "\x1b[2J",
    "csi-report": "\x1b[6n\x1b[21t\x1b[8;1;1t",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b5i",
    "c1-osc": "\x9d0;CONETITLE\x9c",
}
# Swallows the rest of its field, as an unterminated OSC should.
UNTERMINATED = "\x1b]0;OPENTITLE"
MARKERS = ("PWNEDTITLE", "Q0xJUERBVEE", "evil.example", "544e", "CONETITLE", "OPENTITLE")
# A2: the same sequences spelled as character references, which parsers decode.
A2_XML = "&#x1b;]0;PWNEDTITLE&#x7;&#x9b;5i&#27;[2J"
A2_HTML = "&#27;]0;PWNEDTITLE&#7;&#x1b;[2J&#x1b;P+q544e&#x1b;\\"
# A3: markup that Textual would act on if it were ever parsed.
A3 = [
    "[@click=app.quit]x[/]",
    "[ @click=app.screenshot('a.svg','{dir}')]x[/]",
    "[B @click=app.bell]x[/B]",
    "[$accent]x",
    "[/]",
    "[/bold]",
    "[link='file:///etc/passwd']x",
    "\\[",
    "trailing \\",
]
# A4: invisible and direction-changing characters.
A4 = ["\u202eevil\u202c", "zero\u200bwidth", "iso\u2066late\u2069", "bom\ufeffinside"]

# No C0 but tab/newline, no DEL, no C1, no bidi override or isolate left.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def every_a1(before: str = "Before", after: str = "After") -> list[str]:
    """Each A1 payload between visible words, then the unterminated one at the end."""
    return [f"{before} {p} {after}" for p in A1.values()] + [f"{before} {UNTERMINATED}"]


def assert_inert(text: str) -> None:
    """No control character and no payload marker: the sequences went whole."""
    assert not FORBIDDEN.search(text), repr(text)
    for marker in MARKERS:
        assert marker not in text, (marker, text)


def rss(title: str, items: list[dict[str, str]], *, raw: bool = False) -> bytes:
    """An RSS 2.0 document; values are XML-escaped unless `raw` (for character references)."""
    esc: Callable[[str], str] = (lambda s: s) if raw else escape

    def item(fields: dict[str, str]) -> str:
        return "<item>" + "".join(f"<{k}>{esc(v)}</{k}>" for k, v in fields.items()) + "</item>"

    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{esc(title)}</title><link>http://127.0.0.1/</link>"
        + "".join(item(i) for i in items)
        + "</channel></rss>"
    ).encode("utf-8")


@contextmanager
def memory_peak() -> Iterator[list[int]]:
    """Yields a list that holds, after the block, the peak bytes Python allocated in it."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
        peak.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


class AuditLog:
    """Audit events (PEP 578) seen while watching, from any thread.

    An audit hook cannot be removed, so one hook is installed for the whole session and
    records only inside `watch()`.
    """

    WATCHED = ("open", "socket.connect", "subprocess.Popen", "os.system", "os.exec",
               "os.posix_spawn", "os.startfile", "webbrowser.open")

    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[Any, ...]]] = []
        self._on = False
        self._lock = threading.Lock()
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self._on and event in self.WATCHED:
            with self._lock:
                self.events.append((event, args))

    @contextmanager
    def watch(self) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
        self.events = []
        self._on = True
        try:
            yield self.events
        finally:
            self._on = False

    @staticmethod
    def opened(events: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
        """Paths opened, leaving out Python's own imports (lazily loaded modules)."""
        prefixes = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
        paths = [str(args[0]) for event, args in events if event == "open"]
        return [p for p in paths if not (p.startswith(prefixes) and p.endswith((".py", ".pyc",
                                                                                ".so")))]


AUDIT = AuditLog()

"""Feed parsing: the expat reader (with its feedparser fallback) against feedparser alone.

    .venv/bin/python bench/feeds.py [--corpus DIR] [--show 5] [--rounds 3]

Over every file of feedparser's test corpus (read where it lies, never copied) it prints

* how many documents the expat reader took and how many went to feedparser,
* every document whose `ParsedFeed` (or `NotAFeed` message) differs between the two paths,
  with its first few differing fields (there should be none),
* the accepted departures from feedparser 6 as shipped: every document whose answer changes
  when feedparser gets back the behaviour `feeds.fallback` and `feeds.dates` take from it (ids
  resolved as URLs, a non-web <link>'s text dropped, English-only day and month names,
  addresses cut after four letters of their domain),
  counted by fix,
* parse throughput of both paths on the corpus and on the feed bench/refresh.py serves
  (RSS 2.0, 25 items, ~13 KB), best of several rounds since the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser.datetimes
import feedparser.mixin

from refresh import Layout, feed_xml
from tui_reader.clean.charset import decode
from tui_reader.feeds import fallback, xmlfeed
from tui_reader.feeds import parse as feeds
from tui_reader.feeds.dates import european_date
from tui_reader.models import ParsedFeed
from tui_reader.net.errors import NotAFeed

# Beside the repository: /work/shared for /work/main and for a worktree in /work/wt/NAME alike.
CORPUS = next((folder / "shared" / "corpus" / "feedparser-tests"
               for folder in Path(__file__).resolve().parents
               if (folder / "shared" / "corpus" / "feedparser-tests").is_dir()),
              Path("shared") / "corpus" / "feedparser-tests")
_HEADER = re.compile(rb"^Header:\s*([\w-]+):\s*(.*?)\s*$", re.M | re.I)
# The fields each fix taken from feedparser may change. The fixes made after both paths
# (titles' inline markup joined, an address as the author, Atom author inheritance, keys and
# titles of entries without them, enclosures, the size-based cut) never differ between them.
FIXES = {
    "author": "an author's address read whole, not cut after four letters of its domain",
    "guid": "ids kept as written, not resolved against the feed's address",
    "link": "an id is a link only when it reads as an address; a non-web <link>'s http text",
    "published": "day and month names in European languages",
    "updated": "day and month names in European languages",
}


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus document with the URL and Content-Type its comment asks for."""

    name: str
    data: bytes
    url: str
    content_type: str | None


def cases(corpus: Path) -> Iterator[Case]:
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        if path.suffix not in (".xml", ".json", ".rdf", ".atom"):
            continue
        data = path.read_bytes()
        name = str(path.relative_to(corpus))
        url = "http://127.0.0.1:8097/" + name
        content_type = None
        for key, value in _HEADER.findall(data[:2000]):
            header, text = key.decode().lower(), value.decode("utf-8", "replace")
            if header == "content-type":
                content_type = text
            elif header == "content-location":
                url = urljoin(url, text)
        yield Case(name, data, url, content_type)


Outcome = ParsedFeed | str


def run(case: Case, *, fast: bool) -> Outcome:
    try:
        return feeds._parse(case.data, case.url, case.content_type, fast=fast)
    except NotAFeed as exc:
        return f"NotAFeed: {exc}"


def read_by_expat(case: Case) -> bool:
    """Whether the expat reader answers for the document, asked as `feeds._parse` asks it (a
    compiled `feeds` calls the reader directly, so a stand-in put in its place sees nothing)."""
    text = decode(case.data, case.content_type).lstrip("\ufeff \t\r\n")
    return xmlfeed.read_xml_feed(feeds._defuse(text), case.url) is not None


def differences(fast: Outcome, slow: Outcome, limit: int) -> list[str]:
    """Field by field, entry by entry: the first `limit` places where the two answers differ."""
    if isinstance(fast, str) or isinstance(slow, str):
        return [] if fast == slow else [f"outcome: {_short(fast)} != {_short(slow)}"]
    found: list[str] = []
    for f in fields(ParsedFeed):
        a, b = getattr(fast, f.name), getattr(slow, f.name)
        if f.name == "entries":
            if len(a) != len(b):
                found.append(f"entries: {len(a)} != {len(b)}")
            for n, (x, y) in enumerate(zip(a, b, strict=False)):
                found += [f"entries[{n}].{g.name}: {_short(getattr(x, g.name))} != "
                          f"{_short(getattr(y, g.name))}"
                          for g in fields(x) if getattr(x, g.name) != getattr(y, g.name)]
        elif a != b:
            found.append(f"{f.name}: {_short(a)} != {_short(b)}")
    return found[:limit]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


@contextlib.contextmanager
def feedparser_as_shipped() -> Iterator[None]:
    """feedparser 6 without what `feeds.fallback` and `feeds.dates` change in it."""
    mixin = feedparser.mixin._FeedParserMixin
    handlers = feedparser.datetimes._date_handlers
    relative, start, end = mixin.can_be_relative_uri, mixin._start_link, mixin._end_link
    authors = mixin._sync_author_detail
    mixin.can_be_relative_uri = relative | {"id"}
    mixin._start_link, mixin._end_link = fallback._start_link, fallback._end_link
    mixin._sync_author_detail = fallback._sync_author_detail
    handlers.remove(european_date)
    try:
        yield
    finally:
        mixin.can_be_relative_uri, mixin._start_link, mixin._end_link = relative, start, end
        mixin._sync_author_detail = authors
        handlers.insert(0, european_date)


def accepted(fast: Outcome, shipped: Outcome) -> tuple[list[tuple[str, str]], list[str]]:
    """The differences from feedparser's answer as shipped that a fix accounts for, with
    its name, and those none does."""
    fixes: list[tuple[str, str]] = []
    other = []
    for line in differences(fast, shipped, 10_000):
        name = line.split(":", 1)[0].rsplit(".", 1)[-1]
        if name in FIXES:
            fixes.append((FIXES[name], line))
        else:
            other.append(line)
    return fixes, other


def best_rate(fn: Callable[[], object], count: int, rounds: int) -> float:
    """Items per second over the best of `rounds` runs of `fn` (which handles `count` items)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", type=int, default=5, help="differences listed per document")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--accepted", action="store_true",
                        help="list each difference from feedparser as shipped that a fix makes")
    args = parser.parse_args()

    corpus = list(cases(args.corpus))
    if not corpus:
        parser.error(f"no feeds under {args.corpus}; name the corpus with --corpus")
    taken = 0
    differing = 0
    by_folder: Counter[str] = Counter()
    for case in corpus:
        by_expat = read_by_expat(case)
        taken += by_expat
        by_folder[case.name.split("/")[0]] += by_expat
        found = differences(run(case, fast=True), run(case, fast=False), args.show)
        if found:
            differing += 1
            print(f"DIFF {case.name} ({'expat' if by_expat else 'feedparser'} path)")
            for line in found:
                print(f"    {line}")

    print(f"\n{len(corpus)} documents: {taken} read by expat, {len(corpus) - taken} by "
          f"feedparser; {differing} differ")
    folders = Counter(case.name.split("/")[0] for case in corpus)
    print("read by expat: " + ", ".join(f"{name} {by_folder[name]}/{count}"
                                         for name, count in sorted(folders.items())))

    documents: Counter[str] = Counter()
    fields_changed: Counter[str] = Counter()
    unaccounted = 0
    for case in corpus:
        fast = run(case, fast=True)
        with feedparser_as_shipped():
            shipped = run(case, fast=False)
        fixes, other = accepted(fast, shipped)
        documents.update({fix for fix, _ in fixes})
        fields_changed.update(fix for fix, _ in fixes)
        if args.accepted and fixes:
            print(f"ACCEPTED {case.name}")
            for fix, line in fixes[:args.show]:
                print(f"    {line}  ({fix})")
        if other:
            unaccounted += 1
            print(f"UNACCOUNTED {case.name}")
            for line in other[:args.show]:
                print(f"    {line}")
    print(f"\naccepted departures from feedparser 6 as shipped ({unaccounted} documents with "
          "other differences):")
    for fix in dict.fromkeys(FIXES.values()):
        print(f"    {fix}: {documents[fix]} documents, {fields_changed[fix]} fields")

    def corpus_pass(fast: bool) -> Callable[[], object]:
        return lambda: [run(case, fast=fast) for case in corpus]

    fast_rate = best_rate(corpus_pass(True), len(corpus), args.rounds)
    slow_rate = best_rate(corpus_pass(False), len(corpus), args.rounds)
    print(f"corpus: {fast_rate:,.0f} feeds/s with expat, {slow_rate:,.0f} feeds/s feedparser "
          f"only ({fast_rate / slow_rate:.1f}x)")

    layout = Layout(feeds=50, items=25, ports=[8000])
    bench = [Case(f"bench{n}", feed_xml(layout, n, 8000), layout.feed_url(n),
                  "application/rss+xml; charset=utf-8") for n in range(layout.feeds)]
    size = sum(len(c.data) for c in bench) // len(bench)
    fast_rate = best_rate(lambda: [run(c, fast=True) for c in bench], len(bench), args.rounds)
    slow_rate = best_rate(lambda: [run(c, fast=False) for c in bench], len(bench), args.rounds)
    print(f"bench feed ({layout.items} items, {size:,} bytes): {1000 / fast_rate:.2f} ms with "
          f"expat, {1000 / slow_rate:.2f} ms feedparser only ({fast_rate / slow_rate:.1f}x)")


if __name__ == "__main__":
    main()

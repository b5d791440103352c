"""Throw random and mutated input at every parser of untrusted input: feeds (XML and JSON),
pages, feed summaries, OPML files, config.toml, command lines, search queries, URLs, hosts,
numbers and dates (scalars), Markdown export, and the story signatures of headlines and
leads.

    .venv/bin/python bench/fuzz.py --seconds 180 [--seed N] [--slow 1.0] [--out DIR]

Seeds come from hostile samples made here, and, read-only, from ../shared/corpus
(feedparser's test feeds and the extraction benchmark's pages) when it is there. Each call is
timed; an exception a caller is not meant to handle (anything but NotAFeed, OpmlError or
InvalidSearch, ScalarError, ConfigError, a usage error) or a call slower than --slow seconds
is reported, and its input written to
--out so it can be replayed. A call still running after 20 × --slow is interrupted (pure
Python only: a C parser runs on until it returns) and reported as a hang.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import random
import signal
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from tui_reader import cli, scalars
from tui_reader.clean import article_with_fallback, extract_article
from tui_reader.config import ConfigError, parse_config
from tui_reader.feeds.opml import OpmlError, OpmlFeed, parse_opml, write_opml
from tui_reader.feeds.parse import parse_feed
from tui_reader.markdown import block_to_markdown
from tui_reader.models import Article, Block, FeedEntry, Span
from tui_reader.net.errors import FetchError, NotAFeed
from tui_reader.net.http import cache_lifetime, header_number, header_value, retry_after_seconds
from tui_reader.net.inflate import Inflater
from tui_reader.sanitize import clean_line, clean_text, safe_join, safe_url
from tui_reader.store import InvalidSearch, Store
from tui_reader.store.stories import decode, encode, lead, signature

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


class UsageExit(Exception):
    """argparse refused the command line (its SystemExit, caught)."""


EXPECTED = (NotAFeed, OpmlError, InvalidSearch, scalars.ScalarError, ConfigError, UsageExit,
            FetchError)
# Commands that never touch the network, with the arguments they take.
OFFLINE = [["articles", "--limit"], ["articles", "--feed"], ["read"], ["search"],
           ["bookmark"], ["unbookmark"], ["prune", "--days"], ["remove"], ["export-opml"],
           ["export", "--bookmarked", "--format"], ["feeds", "--json"], ["read", "--format"]]
PAYLOADS = [
    "\x1b]0;PWN\x07", "\x1b]52;c;QQ==\x1b\\", "\x1b[2J", "\x9b31m", "\x9d0;t\x9c", "\x1bP+q\x1b\\",
    "&#x1b;", "&#27;", "&#x9b;", "\u202e", "\u200b", "\ufeff", "\x00", "[@click=app.quit]x[/]",
    "[/]", "<![CDATA[", "]]>", "<!--", "-->", "&a;", "&amp;", "&#0;", "&#xd800;", "&#x110000;",
    "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "<!ENTITY b SYSTEM 'file:///etc/hostname'>",
    "javascript:alert(1)", "file:///etc/passwd", "--incognito", "\\\\host\\share", "<div>" * 50,
    "<select><option>", "<svg><template>", "<table><td>", "\xff\xfe", "\r\n", "\"", "'",
    "AND", "OR", "NEAR(", "*", "title:", "^", "(", ")", "\ud800",
]
TAGS = ["rss", "channel", "item", "title", "link", "description", "author", "guid", "entry",
        "feed", "content", "summary", "p", "div", "a href='/x'", "img src='a.jpg'", "outline",
        "body", "head", "script", "style", "pre", "ul", "li", "h1", "article", "dc:creator"]


@dataclass
class Findings:
    calls: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str, Path | None]] = field(default_factory=list)
    slow: list[tuple[float, str, Path | None]] = field(default_factory=list)


def seeds(rng: random.Random, limit: int) -> dict[str, list[str]]:
    feeds = [
        "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><link>http://x/"
        "</link><item><title>I</title><author>a@b.example (A)</author><link>http://x/1</link>"
        "<description>&lt;p&gt;Body&lt;/p&gt;</description></item></channel></rss>",
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>A</title><entry><title>E</title>"
        "<link href='/e'/><content type='html'>&lt;p&gt;x&lt;/p&gt;</content></entry></feed>",
        '{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1",'
        ' "url": "https://x.example/1", "content_html": "<p>x</p>", "title": "t"}]}',
    ]
    pages = ["<html><head><title>T</title></head><body><article><h1>T</h1>"
             + "<p>A paragraph of a story with words enough to count. <a href='/r'>r</a></p>" * 5
             + "</article></body></html>"]
    opml = ['<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>'
            '<outline text="Film"><outline text="a" xmlUrl="https://a.example/f"/></outline>'
            '<outline text="b" xmlUrl="exec:b"/></body></opml>']
    if CORPUS.is_dir():
        found = sorted((CORPUS / "feedparser-tests").rglob("*.xml"))
        for path in rng.sample(found, min(limit, len(found))):
            feeds.append(path.read_bytes().decode("utf-8", "replace"))
        html = sorted((CORPUS / "article-extraction-benchmark" / "html").glob("*.html.gz"))
        for path in rng.sample(html, min(limit // 10, len(html))):
            pages.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    queries = ["film", "festival star", '"a phrase"', "title:drama", "k-pop*", "a OR b"]
    configs = ['[reader]\ntheme = "nord"\nauto_refresh_minutes = 30\nimages = true\n'
               '[store]\nretention_days = 90\n[network]\nconcurrency = 16\ndeadline = 45\n'
               '[keys]\n"article.bookmark" = "B"\n'
               '[feeds."https://x.example/feed"]\ntitle = "T"\nfolder = "Film/K"\n'
               "refresh_minutes = 60\n"]
    urls = ["https://x.example/a/b?c=d#e", "http://bücher.example:8080/x", "http://[::1]:80/",
            "https://xn--bcher-kva.example/", "http://127.0.0.1/", "//x.example/rel", "/abs",
            "HTTPS://X.EXAMPLE:443/?q=1&amp;r=2", "http://u:p@x.example/"]
    numbers = ["0", "42", "99999999999999999999", "Sun, 06 Nov 1994 08:49:37 GMT",
               "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "²", "٣", "1_0"]
    return {"feed": feeds, "page": pages, "opml": opml, "search": queries, "config": configs,
            "url": urls, "scalar": numbers, "cli": ["3", "10", "film", "json", "markdown"],
            "header": ['"abc"', 'W/"x"', "120", "max-age=60, public", "no-cache",
                       "Sun, 06 Nov 1994 08:49:37 GMT", "0", "-1", "²"]}


def mutate(text: str, rng: random.Random, others: list[str]) -> str:
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.25:
            text = text[:at] + rng.choice(PAYLOADS) + text[at:]
        elif roll < 0.4:
            tag = rng.choice(TAGS)
            text = text[:at] + f"<{tag}>" + text[at:]
        elif roll < 0.5:
            text = text[:at]  # truncated
        elif roll < 0.6:
            end = min(len(text), at + rng.randint(1, 200))
            text = text[:at] + text[at:end] * rng.randint(2, 50) + text[end:]
        elif roll < 0.7:
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            text = text[:at] + other[cut:cut + rng.randint(1, 2000)] + text[at:]
        elif roll < 0.8:
            text = text[:at] + chr(rng.randint(0, 0x2FFFF)) + text[at + 1:]
        elif roll < 0.9:
            end = min(len(text), at + rng.randint(1, 100))
            text = text[:at] + text[end:]
        else:
            text = text[:at] + "".join(chr(rng.randint(0, 255)) for _ in range(20)) + text[at:]
    return text


def random_text(rng: random.Random) -> str:
    choices = PAYLOADS + [f"<{t}>" for t in TAGS] + [f"</{t}>" for t in TAGS] + ["word ", " "]
    return "".join(rng.choice(choices) for _ in range(rng.randint(0, 80)))


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def check_invariants(kind: str, result: object) -> None:
    """What must hold of any output: no control sequences, only http(s) links."""
    texts: list[str] = []
    links: list[str | None] = []
    if kind == "feed":
        feed = result
        texts.append(feed.title)  # type: ignore[attr-defined]
        for entry in feed.entries:  # type: ignore[attr-defined]
            texts += [entry.title, entry.author or "", entry.content, entry.summary]
            links += [entry.link, entry.image]
    elif isinstance(result, Article):
        texts += [result.title, result.text, result.author or ""]
        links += [link.url for link in result.links + result.related]
    for text in texts:
        if text != clean_text(text):
            raise AssertionError(f"unsanitised text from {kind}: {text[:80]!r}")
    for link in links:
        if link is not None and safe_url(link) != link:
            raise AssertionError(f"unsafe link from {kind}: {link[:80]!r}")


def run(seconds: float, seed: int, slow: float, out: Path) -> Findings:
    rng = random.Random(seed)
    pool = seeds(rng, 400)
    everything = [s for group in pool.values() for s in group]
    findings = Findings()
    tmp = Path(tempfile.mkdtemp(prefix="tui-reader-fuzz-"))
    store = Store.open(tmp / "fuzz.sqlite3")
    for n, page in enumerate(pool["page"][:20]):
        store.save_article(Article(url=f"https://x.example/{n}", title=page[:60],
                                   blocks=[Block("p", [[Span(clean_text(page[:5000]))]])]),
                           feed_id=None, guid=None)
    home = tmp / "home"
    store.close()
    (home).mkdir()
    (tmp / "fuzz.sqlite3").rename(home / "tui-reader.sqlite3")
    store = Store.open(home / "tui-reader.sqlite3")

    def command_line(text: str) -> object:
        """An offline command with fuzzed arguments, as the user could type them."""
        # As argv can hold them: no NUL, and bytes that are not UTF-8 as surrogate escapes.
        typed = text.replace("\x00", "").encode("utf-8", "surrogatepass").decode(
            "utf-8", "surrogateescape")
        argv = [*rng.choice(OFFLINE), *typed.split(" ")[: rng.randint(1, 3)]]
        out, err = io.StringIO(), io.StringIO()
        # In the scratch folder: export-opml FILE writes where it is told.
        with (contextlib.chdir(tmp), contextlib.redirect_stdout(out),
              contextlib.redirect_stderr(err)):
            try:
                code = cli.main(["--home", str(home), *argv])
            except SystemExit as exc:
                raise UsageExit from exc
        if code == 2:  # argparse's usage lines, or a usage error found later
            raise UsageExit
        if "Traceback" in err.getvalue() or len(err.getvalue().splitlines()) > 3:
            raise AssertionError(f"{argv[:2]}: {err.getvalue()[:300]!r}")
        return None

    def scalar(text: str) -> object:
        for reader in (scalars.parse_int, scalars.parse_port, scalars.parse_http_date,
                       scalars.parse_host, lambda t: scalars.parse_seconds(t, cap=86400)):
            with contextlib.suppress(scalars.ScalarError):
                reader(text)
        return None

    def url(text: str) -> object:
        found = [safe_url(text), safe_join("https://base.example/a/b", text)]
        for link in found:
            if link is not None and scalars.parse_url(link) != link:
                raise AssertionError(f"parse_url is not idempotent on {link[:80]!r}")
        return None

    def export(text: str) -> object:
        """Markdown of a paragraph with a link, and OPML that our own import reads back."""
        block_to_markdown(Block("p", [[Span(text), Span(text[:40], "https://x.example/")]]))
        written = write_opml([OpmlFeed("https://x.example/f", text, text[:30])])
        if not parse_opml(written)[0]:
            raise AssertionError("export-opml wrote what import-opml cannot read")
        return None

    def header(text: str) -> object:
        """What the fetcher reads from a response header, and may send back in a request."""
        sent = header_value(text)
        if sent is not None and any(c in sent for c in "\r\n\0"):
            raise AssertionError(f"header value would be sent back: {sent[:80]!r}")
        header_number(text)
        seconds = retry_after_seconds(text)
        if seconds is not None and seconds < 0:
            raise AssertionError(f"negative Retry-After from {text[:80]!r}")
        cache_lifetime({"cache-control": text, "age": text, "expires": text})
        return None

    def inflate(text: str) -> object:
        """A compressed body, mutated, fed to the inflater in pieces cut anywhere."""
        raw = text.encode("utf-8", "surrogatepass")
        encoding = rng.choice(["gzip", "deflate", "deflate-raw", "identity"])
        body = (gzip.compress(raw) if encoding == "gzip"
                else zlib.compress(raw) if encoding == "deflate"
                else zlib.compress(raw)[2:-4] if encoding == "deflate-raw" else raw)
        if rng.random() < 0.5:
            body = mutate(body.decode("latin-1"), rng, everything).encode("latin-1", "replace")
        if rng.random() < 0.2:
            body = body * rng.randint(2, 5)  # several members, or trailing bytes
        inflater = Inflater(encoding.removesuffix("-raw"), 1 << 20)
        cuts = sorted(rng.randint(0, len(body)) for _ in range(rng.randint(0, 6)))
        for start, end in zip([0, *cuts], [*cuts, len(body)], strict=True):
            inflater.feed(body[start:end])
        return None

    def story(text: str) -> object:
        """A headline and a lead as the web gives them, into a story signature kept and read
        back (the patterns over them must not hang on any text)."""
        title, _, body = text.partition("\n")
        when = datetime(2026, 1, 1, tzinfo=UTC)
        sig = signature(clean_line(title), lead(clean_text(body)), "x.example", when)
        if decode(encode(sig), "x.example", when) != sig:
            raise AssertionError("a story signature does not read back as it was kept")
        return None

    def summary(text: str) -> Article:
        """A feed entry's summary as the article when its page cannot be had."""
        entry = FeedEntry(guid="g", title="t", link="https://x.example/a", summary=text)
        return article_with_fallback(None, entry)

    targets: dict[str, Callable[[str], object]] = {
        "feed": lambda s: parse_feed(s.encode("utf-8", "surrogatepass"), "http://x.example/f"),
        "page": lambda s: extract_article(s, "https://x.example/a"),
        # As the CLI reads a file: decoded with replacement, so never a lone surrogate.
        "opml": lambda s: parse_opml(s.encode("utf-8", "surrogatepass").decode("utf-8",
                                                                             "replace")),
        "search": lambda s: store.search(s),
        "line": clean_line,
        "config": lambda s: parse_config(s, Path("config.toml")),
        "cli": command_line,
        "scalar": scalar,
        "url": url,
        "export": export,
        "header": header,
        "inflate": inflate,
        "story": story,
        "summary": summary,
    }
    signal.signal(signal.SIGALRM, _alarm)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind = rng.choice(list(targets))
        group = pool.get(kind) or everything
        text = random_text(rng) if rng.random() < 0.2 else mutate(rng.choice(group), rng,
                                                                 everything)
        if kind == "search":
            text = text[:300]
        findings.calls[kind] += 1
        signal.setitimer(signal.ITIMER_REAL, slow * 20)
        started = time.perf_counter()
        try:
            check_invariants(kind, targets[kind](text))
        except EXPECTED:
            pass
        except Hang:
            findings.errors.append((kind, f"hang: over {slow * 20:g} s", _save(out, kind, text)))
        except Exception:  # every unexpected failure is a finding
            detail = traceback.format_exc(limit=4).strip().splitlines()
            findings.errors.append((kind, " | ".join(detail[-3:]), _save(out, kind, text)))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        took = time.perf_counter() - started
        if took > slow:
            findings.slow.append((took, kind, _save(out, kind, text)))
    store.close()
    return findings


def _save(out: Path, kind: str, text: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{kind}-{len(list(out.iterdir())):04d}.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--slow", type=float, default=1.0, help="report calls slower than this")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "tui-fuzz")
    args = parser.parse_args()
    findings = run(args.seconds, args.seed, args.slow, args.out)
    print(f"seed {args.seed}: {sum(findings.calls.values())} calls "
          + ", ".join(f"{k} {v}" for k, v in sorted(findings.calls.items())))
    for kind, detail, path in findings.errors:
        print(f"ERROR {kind}: {detail} ({path})")
    for took, kind, path in sorted(findings.slow, reverse=True)[:20]:
        print(f"SLOW {kind}: {took:.2f} s ({path})")
    return 1 if findings.errors or findings.slow else 0


if __name__ == "__main__":
    sys.exit(main())

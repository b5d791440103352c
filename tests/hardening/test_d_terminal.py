"""D1–D8 of reliability.md §8, with A3 and A12 through the UI: terminal and UI safety.

Not applicable: D5's Windows half (`os.startfile`) — the app only ever calls
`webbrowser.open` with a URL that passed `safe_url`, on every platform. D6's timings are not
asserted (no wall-clock checks in the suite); the cut and the worker thread are.
Existing tests relied on: tests/test_sanitize.py (D8's first properties),
tests/ui/test_flows.py::test_hostile_headline_is_literal, tests/fetch/test_cli_fetch.py::
test_feeds_never_prints_control_sequences (D7).
"""

from __future__ import annotations

import ast
import contextlib
import re
import shutil
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile import A1, MARKERS, UNTERMINATED, assert_inert, every_a1, rss
from hostile_library import build_hostile_library, hostile_titles
from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content
from textual.widgets import Static

from pilot_support import settle
from tui_reader.clean import MAX_BODY_CHARS, extract_article
from tui_reader.models import Article, Block, Span
from tui_reader.sanitize import clean_line, clean_text, safe_url
from tui_reader.store import Store
from tui_reader.ui.app import ReaderApp
from tui_reader.ui.screens.main import MainScreen
from tui_reader.ui.screens.reader import ReaderScreen
from tui_reader.ui.text import plain, render_body
from tui_reader.ui.widgets.article_text import ArticleText

Site = Any
UI = Path(__file__).resolve().parents[2] / "src" / "tui_reader" / "ui"
VENV_BIN = Path(sys.executable).parent
SIZE = (120, 40)


def _spans_are_inert(content: Content) -> None:
    for span in content.spans:
        style = str(span.style)
        assert "@click" not in style and "link" not in style, style


# A3 / D2: markup in every widget that shows web text; clicking runs nothing


async def test_a3_hostile_markup_is_literal_and_clicks_run_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    monkeypatch.chdir(tmp_path)
    paths = build_hostile_library(tmp_path / "home", shots)
    app = ReaderApp(paths)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    literal = [clean_line(t) for t in hostile_titles(shots)[:9]]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = app.main.article_list
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(len(listing.rows))]
        feeds = " ".join(str(o.prompt) for o in app.main.feed_list.options)
        for text in literal:
            assert any(text in p for p in prompts), text
        for text in literal[:4]:  # the feeds and folders hold the first four, shortened
            assert text[:20] in feeds  # to the pane's width to leave their counts room
        # The A3 rows are the oldest: the last nine in the list.
        for index in range(len(listing.rows) - len(literal), len(listing.rows)):
            app.main.article_list.focus()
            listing.highlighted = index
            await pilot.click("#articles", offset=(40, index - listing.scroll_offset.y))
            await settle(pilot)
            if isinstance(app.screen, ReaderScreen):
                for widget in ("#article-header", "#article-body", "#related-list"):
                    await pilot.click(widget, offset=(12, 0))
                await settle(pilot)
                header = app.screen.query_one("#article-header", Static).render()
                body = app.screen.query_one("#article-body", ArticleText).content
                for shown in (header, body):
                    assert isinstance(shown, Content)
                    _spans_are_inert(shown)
                    assert_inert(shown.plain)
                while isinstance(app.screen, ReaderScreen):
                    await pilot.press("escape")
                    await settle(pilot)
        for index in range(3, len(app.main.feed_list.options)):
            await pilot.click("#feeds", offset=(4, index))
            await settle(pilot)
            await app.main.action_mark_all_read()  # its toast names the feed or folder
            await settle(pilot)
        for toast in app.screen.query("Toast"):
            await pilot.click(toast)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        for option in [*app.main.article_list.options, *app.main.feed_list.options]:
            assert isinstance(option.prompt, Content)
            _spans_are_inert(option.prompt)
            assert_inert(option.prompt.plain)
    assert app.return_code in (None, 0)
    assert list(shots.iterdir()) == [] and not (tmp_path / "a.svg").exists()
    assert bells == []


# A12 / D5: only http(s) is ever handed to the browser


async def test_a12_d5_open_link_refuses_everything_but_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url))
    monkeypatch.setenv("BROWSER", "firefox")
    app = ReaderApp(build_hostile_library(tmp_path / "home", tmp_path))
    refused = ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "smb://h/s",
               "--incognito", "-a Calculator", "http://x.example/\x1b[31m", "\\\\host\\share",
               "//host/share", "http://a b.example/", "https://x.example/" + "a" * 100_000,
               "https://x.example/\u202egpj.exe", "ms-settings:", "exec:rm"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for url in refused:
            app.open_link(url)
        await settle(pilot)
        assert opened == []
        notices = [str(n.message) for n in app._notifications]
        assert notices.count("Refusing to open a link that is not http or https") == len(refused)
        app.open_link("https://xn--80ak6aa92e.example/ok")
        await settle(pilot)
    assert opened == ["https://xn--80ak6aa92e.example/ok"]


@pytest.mark.parametrize("named", [True, False], ids=["$BROWSER", "python-fallback"])
async def test_d4_a_terminal_browser_gets_the_terminal_to_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: bool
) -> None:
    """Named by $BROWSER, or, with none and no display, the w3m `webbrowser` picks itself."""
    events: list[str] = []
    if named:
        monkeypatch.setenv("BROWSER", "w3m")
        monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    else:
        for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(webbrowser, "get", lambda *a: webbrowser.GenericBrowser("w3m"))
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: events.append(f"open {url}"))
    app = ReaderApp(build_hostile_library(tmp_path / "home", tmp_path))

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:
        events.append("suspend")
        yield
        events.append("resume")

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_link("https://hostile.example/story/1")
        await settle(pilot)
        assert app.is_running
    assert events == ["suspend", "open https://hostile.example/story/1", "resume"]


# D2: a static check that web text cannot reach a markup-parsing API as a str


MARKUP_WIDGETS = {"Static", "Label", "OptionList", "Option", "Button"}
FORBIDDEN_WIDGETS = {"DataTable", "Tree", "Markdown", "MarkdownViewer", "RichLog", "Log"}


# Reviewed by hand: each of these is a Content, which the check cannot see from the call.
REVIEWED = {"dialogs.py: Static(self.question)"}
COUNTS = {"number", "n"}  # integers our own messages interpolate


def _is_literal(node: ast.expr) -> bool:
    """Our own wording: a string, a choice of strings, an f-string of counts."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.IfExp):
        return _is_literal(node.body) and _is_literal(node.orelse)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or (
            isinstance(v, ast.FormattedValue) and (
                (isinstance(v.value, ast.Call) and ast.unparse(v.value.func) == "len")
                or (isinstance(v.value, ast.Name) and v.value.id in COUNTS)
                or _is_literal(v.value))) for v in node.values)
    return False


def _wrapped(node: ast.expr) -> bool:
    """Content built on purpose: Content(...), Content.styled(...), plain(...), snippet(...),
    and the lists' *_prompt(...) builders (each makes its text with plain())."""
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        return (name.startswith(("Content", "plain", "snippet")) or name.endswith("_prompt")
                or name in ("header.stylize",))
    return False


def test_d2_no_markup_api_gets_a_string_it_did_not_write() -> None:
    problems: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in FORBIDDEN_WIDGETS:
                problems.append(f"{path.name}:{node.lineno}: {node.id} parses markup in cells")
            if isinstance(node, ast.Attribute) and node.attr in ("border_title",
                                                                "border_subtitle"):
                problems.append(f"{path.name}:{node.lineno}: {node.attr} parses markup")
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func).rsplit(".", 1)[-1]
            markup_off = any(k.arg == "markup" and isinstance(k.value, ast.Constant)
                             and k.value.value is False for k in node.keywords)
            first = node.args[0] if node.args else None
            # The app's own notify hands its caller's markup switch on: checked at callers.
            passed_on = ast.unparse(node.func) == "super().notify" and any(
                k.arg == "markup" and ast.unparse(k.value) == "markup" for k in node.keywords)
            if name == "notify" and first is not None and not _is_literal(first) \
                    and not markup_off and not passed_on:
                problems.append(f"{path.name}:{node.lineno}: notify without markup=False")
            call = f"{path.name}: {name}({ast.unparse(first) if first else ''})"
            if name in MARKUP_WIDGETS and first is not None and not markup_off \
                    and not (_is_literal(first) or _wrapped(first)) and call not in REVIEWED:
                problems.append(f"{path.name}:{node.lineno}: {call}")
            if name == "OptionList" and not markup_off:
                problems.append(f"{path.name}:{node.lineno}: OptionList without markup=False")
    # Static.update() follows its widget's markup switch; the pilot test in A3 checks what
    # every Static shows.
    assert problems == [], "\n".join(problems)


# D3: no hyperlink styles; links shown are the validated ones


def test_d3_links_are_validated_text_never_terminal_hyperlinks() -> None:
    hrefs = ["https://ok.example/a", "https://ok.example/\x1b\\\x1b]0;PWNEDTITLE\x1b\\",
             "javascript:alert(1)", "https://ok.example/\u202e"]
    article = Article(blocks=[Block("p", [[Span(f"link {n}", h)] for n, h in enumerate(hrefs)])])
    runs, links = render_body(article)
    assert links == ["https://ok.example/a"]  # checked again at render, for old rows
    for run in runs:
        assert isinstance(run, list)
        for piece in run:
            _spans_are_inert(piece())
            assert_inert(piece().plain)
    page = "".join(f"<p>Text of a long enough paragraph here. <a href='{h}'>l{n}</a></p>"
                   for n, h in enumerate(hrefs))
    cleaned = extract_article(f"<article>{page * 3}</article>", "https://ok.example/")
    assert {link.url for link in cleaned.links} == {"https://ok.example/a"}


# D6: a very long article


async def test_d6_a_huge_article_is_cut_and_opens(tmp_path: Path) -> None:
    page = "<article>" + "<p>A sentence of the story that goes on and on. </p>" * 60_000
    article = extract_article(page + "</article>", "https://long.example/")  # about 3 MB
    assert article.truncated and len(article.text) <= MAX_BODY_CHARS + 1000
    paths = build_hostile_library(tmp_path / "home", tmp_path)
    with Store.open(paths.database) as store:
        store.save_article(article, feed_id=None, guid="long")
    app = ReaderApp(paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.main.article_list.rows
        app.open_reader([r.id for r in rows], [r.url for r in rows].index(
            "https://long.example/"))
        await settle(pilot)
        body = app.screen.query_one("#article-body", ArticleText).content
        assert "article cut" in body.plain


# D7: what the CLI prints (a log file is written only under --debug)


def test_d7_cli_output_and_errors_carry_no_sequences(site: Site, tmp_path: Path) -> None:
    """Without --debug the CLI's stderr and stdout are all it writes of what happened."""
    payloads = every_a1()
    items = [{"title": t, "guid": f"g{n}", "author": t, "description": t}
             for n, t in enumerate(payloads)]
    good = site.add("/feed.xml", rss(" ".join(payloads), items), "application/rss+xml")
    site.add("/gone.xml", "", status=410)
    home = str(tmp_path / "home")
    outputs = []
    for args in (["add", good], ["add", site.url("/gone.xml")], ["refresh"], ["feeds"],
                 ["articles"], ["search", "Before"], ["read", "1"], ["export", "--bookmarked"],
                 ["export-opml"]):
        done = subprocess.run([str(VENV_BIN / "tui-reader"), "--home", home, *args],
                              capture_output=True, text=True, timeout=60)
        outputs.append(done.stdout + done.stderr)
        assert "Traceback" not in done.stderr
    everything = "\n".join(outputs)
    assert "Before After" in everything
    assert_inert(everything.replace("\n", " ").replace("\t", " "))


# D8: properties of the boundary


@given(st.text())
def test_d8_content_shows_exactly_the_sanitised_text(text: str) -> None:
    cleaned = clean_text(text)
    assert Content(cleaned).plain == cleaned
    assert plain(text).plain == clean_line(text)
    assert not plain(text).spans


@given(st.text(alphabet=st.sampled_from("[]@/=$'\" \\abc().:#") | st.characters()))
def test_d8_web_text_as_a_markup_variable_is_never_a_tag(text: str) -> None:
    content = Content.from_markup("[b]$t[/b]", t=clean_line(text))
    assert content.plain == clean_line(text)
    _spans_are_inert(content)


@given(st.text(), st.sampled_from(["", "-", " -", "\x1b", "\u202e", "\x00", "\x9b"]))
def test_d8_the_url_validator_never_accepts_controls_or_a_leading_dash(
    text: str, prefix: str
) -> None:
    for candidate in (prefix + text, f"https://x.example/{prefix}{text}",
                      f"{prefix}https://x.example/{text}"):
        url = safe_url(candidate)
        if url is not None:
            assert not re.search("[\x00-\x20\x7f-\x9f\u202a-\u202e\u2066-\u2069]", url)
            assert url.startswith(("http://", "https://"))


# D1: the real app in a real terminal (tmux), fed every payload at once


class Tmux:
    """One tmux server on its own socket, always killed; every wait bounded."""

    def __init__(self, name: str) -> None:
        self.base = ["tmux", "-L", name, "-f", "/dev/null"]

    def __call__(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True,
                              timeout=10, check=True).stdout

    def wait_for(self, found: Callable[[str], bool], timeout: float = 30) -> str:
        screen = ""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self("capture-pane", "-p", "-e", "-t", "s")
            if found(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out; the screen was:\n{screen}")

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, timeout=10)


# Control strings (OSC, DCS, SOS, PM, APC) in 7- and 8-bit form, and any CSI.
CONTROL_STRING = re.compile(rb"\x1b[\]PX^_]|\xc2[\x90\x98\x9d\x9e\x9f]")
CSI = re.compile(rb"(?:\x1b\[|\xc2\x9b)([0-?]*[ -/]*[@-~])")
ATTACKER_CSI = {b"6n", b"21t", b"8;1;1t", b"5i"}
# The app's own: Textual's mouse pointer shape (OSC 22), and textual-image asking the terminal
# about Kitty graphics once, at import. tmux before 3.4 takes any APC string for a pane title,
# so that query retitles the pane; sent before any feed text is drawn, a later title change
# would still show. textual-image 0.14 (Python 3.12+) wraps the query in tmux's passthrough.
OWN = re.compile(rb"\x1b_Gi=\d+,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\|\x1b\]22;[a-z-]+\x07"
                 rb"|\x1bPtmux;\x1b\x1b_Gi=\d+,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\x1b\\\x1b\\")
OWN_TITLE = re.compile(r"Gi=\d+,s=1,v=1,a=q,t=d,f=24;AAAA\n")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_d1_the_real_app_under_tmux_shows_no_foreign_sequence(site: Site,
                                                              tmp_path: Path) -> None:
    payloads = every_a1()
    xml_refs = "&#x1b;]0;PWNEDTITLE&#x7;&#x9b;5i"
    items = []
    for n, text in enumerate(payloads):
        site.add(f"/page/{n}", f"<html><head><title>{text}</title></head><body><article>"
                 f"<h1>{text}</h1>" + f"<p>Story {n} {text} with words enough to keep.</p>" * 6
                 + f"<p><a href='/x{A1['osc8-link']}'>{text}</a> &#27;]0;PWNEDTITLE&#7;</p>"
                 "</article></body></html>")
        items.append({"title": f"Story {n} {text}", "author": text, "guid": f"g{n}",
                      "link": site.url(f"/page/{n}"), "description": f"<p>{text}</p>"})
    refs = f"<item><title>Refs {xml_refs}</title><guid>refs</guid></item></channel>"
    feed = rss(f"Hostile {' '.join(payloads)}", items).replace(b"</channel>", refs.encode())
    url = site.add("/feed.xml", feed, "application/rss+xml")
    home = tmp_path / "home"
    tui = str(VENV_BIN / "tui-reader")
    for args in (["add", url], ["refresh"]):
        done = subprocess.run([tui, "--home", str(home), *args], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    build_hostile_library(home, tmp_path)  # and raw rows, as an old cache would hold them
    raw = tmp_path / "pane.raw"
    tmux = Tmux(f"tui-reader-d1-{tmp_path.name}")
    try:
        tmux("new-session", "-d", "-s", "s", "-x", "120", "-y", "40",
             f"{shutil.which('tmux')} -L {tmux.base[2]} wait-for go; exec {tui} --home {home}")
        tmux("set-option", "-g", "set-clipboard", "on")
        title = tmux("display", "-p", "-t", "s", "#{pane_title}")
        tmux("pipe-pane", "-t", "s", f"cat >> {raw}")
        tmux("wait-for", "-S", "go")
        tmux.wait_for(lambda s: "Hostile" in s)
        for keys in (["Enter"], ["n"], ["n"], ["n"], ["Escape"], ["j", "j", "Enter"], ["Escape"],
                     ["G", "Enter"], ["n"], ["Escape"], ["?"], ["Escape"], ["h", "j", "j"]):
            tmux("send-keys", "-t", "s", *keys)
            time.sleep(0.3)
        screen = tmux.wait_for(lambda s: "Hostile" in s or "Before" in s)
        after = tmux("display", "-p", "-t", "s", "#{pane_title}")
        buffers = tmux("list-buffers")
    finally:
        tmux.kill()
    output = OWN.sub(b"", raw.read_bytes())
    assert b"Hostile" in output
    assert after == title or OWN_TITLE.fullmatch(after)
    assert buffers == ""  # no OSC 52 reached tmux's clipboard
    assert re.sub(r"\x1b\[[0-9;]*m", "", screen).count("\x1b") == 0
    for marker in MARKERS:
        assert marker.encode() not in output
    assert UNTERMINATED.encode() not in output
    assert CONTROL_STRING.findall(output) == []
    assert not set(CSI.findall(output)) & ATTACKER_CSI

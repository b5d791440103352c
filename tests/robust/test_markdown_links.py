"""Class 9: Markdown export, read back by a CommonMark parser, holds exactly the links and
link texts we wrote: no URL or text can close a link early or open another."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tui_reader.markdown import block_to_markdown
from tui_reader.models import Block, Span

MD = MarkdownIt("commonmark")
_ODD = [*("<>()[]\\&*_`!#|~-+=. \"'{}:;%"), "&amp;", "&#x1b;", "](", ")[", "\n", "1."]
_PATHS = st.lists(st.one_of(st.sampled_from(_ODD), st.text("abcXYZ019é/?=", max_size=4)),
                  max_size=8).map("".join)
URLS = _PATHS.map(lambda tail: "https://x.example/" + tail.replace("\n", "").replace(" ", ""))
# Stored text has been through clean_text, so it holds no NUL (which CommonMark replaces).
TEXTS = st.one_of(st.lists(st.one_of(st.sampled_from(_ODD), st.text(max_size=4)),
                           min_size=1, max_size=8).map("".join),
                  st.text(min_size=1)).map(lambda t: t.replace("\x00", ""))


def _links(markdown: str) -> list[tuple[str, str, str]]:
    """(kind, href, text) of every link and image the parser finds."""
    found: list[tuple[str, str, str]] = []
    for token in MD.parse(markdown):
        children: list[Any] = token.children or []
        for n, child in enumerate(children):
            if child.type == "link_open":
                text = ""
                for inner in children[n + 1:]:
                    if inner.type == "link_close":
                        break
                    text += inner.content
                found.append(("link", child.attrs["href"], text))
            elif child.type == "image":
                found.append(("image", child.attrs["src"], child.content))
    return found


def _shown(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=400)
@given(TEXTS, URLS, TEXTS)
def test_a_link_renders_as_exactly_that_link(before: str, url: str, text: str) -> None:
    markdown = block_to_markdown(Block("p", [[Span(before), Span(text, url)]]))
    links = _links(markdown)
    assert [(kind, href) for kind, href, _ in links] == [("link", MD.normalizeLink(url))]
    if text.strip():
        assert _shown(links[0][2]) == _shown(text)


@settings(max_examples=300)
@given(URLS, TEXTS)
def test_a_picture_renders_as_exactly_that_picture(url: str, caption: str) -> None:
    markdown = block_to_markdown(Block("img", [[Span(caption)]], src=url))
    assert [(kind, href) for kind, href, _ in _links(markdown)] == [
        ("image", MD.normalizeLink(url))]


@settings(max_examples=300)
@given(TEXTS)
def test_plain_text_never_becomes_a_link_or_markup(text: str) -> None:
    markdown = block_to_markdown(Block("p", [[Span(text)]]))
    tokens = MD.parse(markdown)
    assert not _links(markdown)
    assert [t.type for t in tokens] in ([], ["paragraph_open", "inline", "paragraph_close"])


@pytest.mark.parametrize("url", [
    "http://x/i.png>[Click](javascript:alert(1))", "http://x/a)b", "http://x/a b>",
    "http://x/?q=1&amp;r=2", "http://x/\\>",
])
def test_the_reported_break_outs_stay_inside_their_link(url: str) -> None:
    markdown = block_to_markdown(Block("img", [[Span("photo")]], src=url))
    assert [(k, h) for k, h, _ in _links(markdown)] == [("image", MD.normalizeLink(url))]

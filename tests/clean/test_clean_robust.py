"""Any input yields an Article (possibly empty) and never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.clean import MAX_BODY_CHARS, article_with_fallback, extract_article
from tui_reader.models import Article, FeedEntry

_TAGS = ["p", "div", "span", "a", "br", "ul", "li", "ol", "blockquote", "pre", "h1", "h2",
         "table", "tr", "td", "article", "figure", "figcaption", "img", "script", "style",
         "header", "footer", "aside", "nav", "form", "font", "b"]
_ATTRS = ['', ' class="share"', ' class="entry-content"', ' id="comments"', ' hidden',
          ' style="display:none"', ' href="/x"', ' href="javascript:alert(1)"', ' src="a.jpg"',
          ' class="jp-relatedposts"', ' aria-hidden="true"']

fragment = st.lists(
    st.one_of(
        st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRS)),
        st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
        st.text(max_size=40),
        st.sampled_from(["ALSO READ- ", "Read More: ", "&amp;", "&#x0;", "\x1b[31m", "<!--",
                         "<![CDATA[", "\ufeff", "\u202e"]),
    ),
    max_size=60,
).map("".join)

SAMPLE = (
    "<html><head><title>T</title><meta property='og:title' content='Headline'></head><body>"
    "<article><h1>Headline</h1><p>First paragraph of a story about a film festival, with "
    "enough words to count as prose.</p><p>ALSO READ- <a href='/r'>Another story</a></p>"
    "<p>Second paragraph, longer still, about the jury and the winners of the evening.</p>"
    "</article></body></html>"
)


def _safe(article: Article) -> None:
    text = article.text + article.title + article.markdown
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    for link in article.links + article.related:
        assert link.url.startswith(("http://", "https://"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment)
def test_random_markup_never_raises(markup: str) -> None:
    _safe(extract_article(markup, "https://example.com/a"))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_truncated_page_never_raises(cut: int) -> None:
    _safe(extract_article(SAMPLE[:cut], None))
    _safe(extract_article(SAMPLE[:cut].encode(), "https://example.com/"))


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_binary_never_raises(data: bytes) -> None:
    _safe(extract_article(data))


def test_empty_inputs_give_empty_articles() -> None:
    for value in ("", b"", "   ", b"\x00\xff\xfe", "<html></html>"):
        assert extract_article(value).text == ""


def test_sample_cleans_with_the_interstitial_moved_to_related() -> None:
    article = extract_article(SAMPLE, "https://example.com/story")
    assert article.title == "Headline"
    assert article.text.startswith("First paragraph")
    assert "ALSO READ" not in article.text
    assert [r.url for r in article.related] == ["https://example.com/r"]


def test_deep_nesting() -> None:
    words = "A line of text that is long enough to be counted as a paragraph. " * 3
    page = "<div>" * 5000 + f"<p>{words}</p>" + "</div>" * 5000
    article = extract_article(page)
    assert "long enough" in article.text


def test_unclosed_deep_nesting_of_inline_tags() -> None:
    page = "<p>" + "<b><i>deep " * 5000
    assert isinstance(extract_article(page), Article)


def test_ten_megabyte_page_is_cut_and_flagged() -> None:
    sentence = "The festival crowd cheered for the premiere, again and again. "
    paragraph = f"<p>{sentence * 20}</p>"
    page = "<html><body><article>" + paragraph * (10_000_000 // len(paragraph)) + "</article>"
    article = extract_article(page)
    assert article.truncated
    assert MAX_BODY_CHARS - 2000 < len(article.text) <= MAX_BODY_CHARS


def test_non_utf8_bytes_without_declaration() -> None:
    page = ("<html><body><article><p>Beyoncé’s tour opened in Stockholm to a crowd of sixty "
            "thousand, the largest of the year.</p></article></body></html>").encode("cp1252")
    assert "Beyoncé’s tour" in extract_article(page).text


def test_fallback_to_feed_content_then_summary() -> None:
    entry = FeedEntry(link="https://example.com/a", title="Feed title", author="Feed Author",
                      content="<p>" + "Full text from the feed. " * 12 + "</p>",
                      summary="<p>Short summary.</p>")
    teaser = extract_article("<html><body><p>Subscribe to read.</p></body></html>",
                             "https://example.com/a")
    article = article_with_fallback(teaser, entry)
    assert article.source == "feed-content"
    assert article.text.startswith("Full text from the feed.")
    assert article.title == "Feed title"
    assert article.author == "Feed Author"

    entry.content = ""
    article = article_with_fallback(None, entry)
    assert article.source == "feed-summary"
    assert article.text == "Short summary."

    entry.summary = ""
    assert article_with_fallback(None, entry).source == "none"

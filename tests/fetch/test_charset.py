"""Charsets in order of trust: HTTP header, BOM, XML declaration or <meta>; never an exception."""

from __future__ import annotations

import codecs

import pytest

from tui_reader.clean.charset import decode, normalise, sniff
from tui_reader.feeds.parse import parse_feed

URL = "http://127.0.0.1/feed.xml"


def rss(title: str, decl: str | None = None) -> str:
    head = f'<?xml version="1.0" encoding="{decl}"?>' if decl else ""
    return f"{head}<rss version='2.0'><channel><title>{title}</title></channel></rss>"


@pytest.mark.parametrize(
    ("title", "encoding", "label"),
    [
        ("Amélie – “Café Society” ™ €5", "cp1252", "windows-1252"),
        ("Amélie – “Café Society” ™ €5", "cp1252", "ISO-8859-1"),  # browsers read it as 1252
        ("Zażółć gęślą jaźń: Wajda retrospective", "iso8859-2", "ISO-8859-2"),
        ("Кинопремьеры недели", "iso8859-5", "ISO-8859-5"),
        ("映画レビュー：千と千尋の神隠し ～再上映～", "cp932", "Shift_JIS"),
        ("영화 리뷰: 기생충 재개봉", "cp949", "EUC-KR"),
        ("Grüße aus Köln", "utf-8", "utf8"),
        ("Grüße aus Köln", "utf-8", "UTF8"),
    ],
)
def test_header_charset(title: str, encoding: str, label: str) -> None:
    data = rss(title).encode(encoding)
    assert parse_feed(data, URL, f"application/rss+xml; charset={label}").title == title


@pytest.mark.parametrize(
    ("title", "encoding", "label"),
    [
        ("Amélie – “Café Society”", "cp1252", "windows-1252"),
        ("映画レビュー：千と千尋", "cp932", "Shift_JIS"),
        ("영화 리뷰: 기생충", "cp949", "euc-kr"),
        ("Zażółć gęślą jaźń", "iso8859-2", "iso-8859-2"),
    ],
)
def test_xml_declaration_when_header_has_no_charset(title: str, encoding: str, label: str) -> None:
    data = rss(title, label).encode(encoding)
    # text/xml without charset is us-ascii by RFC 3023; in practice the declaration is right.
    assert parse_feed(data, URL, "text/xml").title == title


def test_header_beats_declaration() -> None:
    data = rss("Amélie “Café”", "utf-8").encode("cp1252")
    assert parse_feed(data, URL, "application/xml; charset=windows-1252").title == "Amélie “Café”"


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_bom(codec: str) -> None:
    data = rss("Ünïcödé “BOM” 映画").encode(codec)
    assert parse_feed(data, URL).title == "Ünïcödé “BOM” 映画"


def test_bom_with_a_unicode_header() -> None:
    data = codecs.BOM_UTF8 + rss("Grüße", "utf-8").encode()
    assert parse_feed(data, URL, "application/xml; charset=utf-8").title == "Grüße"
    data = rss("Grüße", "utf-16").encode("utf-16")
    assert parse_feed(data, URL, "application/xml; charset=UTF-16").title == "Grüße"


def test_utf16_without_bom_is_recognised() -> None:
    data = rss("Grüße", "utf-16").encode("utf-16-be")
    assert parse_feed(data, URL).title == "Grüße"


def test_undeclared_non_utf8_falls_back_to_windows_1252() -> None:
    assert parse_feed(rss("Café “quoted”").encode("cp1252"), URL).title == "Café “quoted”"


def test_undecodable_bytes_become_replacement_characters() -> None:
    data = rss("Broken \xff\xfe bytes").encode("latin-1")
    title = parse_feed(data, URL, "application/xml; charset=utf-8").title
    assert title == "Broken \ufffd\ufffd bytes"


@pytest.mark.parametrize("label", ["x-no-such-charset", "zlib", "base64", "rot13", "utf-7", ""])
def test_unknown_or_non_text_labels_are_ignored(label: str) -> None:
    data = rss("Grüße").encode()
    assert parse_feed(data, URL, f"text/xml; charset={label}").title == "Grüße"
    assert normalise(label) is None


def test_html_meta_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body>“Quoted”</body></html>'
    assert "“Quoted”" in decode(page.encode("cp1252"))
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
            "</head><body>映画</body></html>")
    assert "映画" in decode(page.encode("cp932"), "text/html")


def test_truncated_utf8_at_the_end_stays_utf8() -> None:
    assert sniff("Grüße 映".encode()[:-1]) == ("utf-8", 0)

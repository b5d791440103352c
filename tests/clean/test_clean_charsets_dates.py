"""Undeclared East Asian charsets are detected; Korean, Japanese, Chinese and European page
dates are read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.clean import extract_article
from tui_reader.clean.charset import decode, sniff
from tui_reader.clean.dates import is_date_line, parse_date

KO = ("배우 김지원이 새 드라마에서 재벌가 상속녀 역을 맡아 시청자들의 큰 사랑을 받고 있다. "
      "제작진은 다음 주 방송에서 새로운 전개가 펼쳐질 것이라고 밝혔다. ")
JA = ("人気アニメの劇場版が来月公開されることが決まり、ファンの間で大きな話題となっている。"
      "監督は新しい物語について、これまでで最も感動的な作品になると語った。")
ZH = ("这部备受期待的电影将于下个月在全国上映，"
      "导演在发布会上表示，这是他职业生涯中最具挑战性的作品。")
FR = ("Le réalisateur a présenté son film à Cannes, où il a reçu une ovation. "
      "« C'est un rêve », dit-il.")


@pytest.mark.parametrize(("text", "charset", "expected"), [
    (KO, "euc-kr", "cp949"), (JA, "shift_jis", "cp932"), (ZH, "gb18030", "gb18030"),
    (FR, "cp1252", "cp1252"), (JA, "euc-jp", None), (JA, "iso2022_jp", "iso2022_jp"),
])
def test_undeclared_charset_is_detected(text: str, charset: str, expected: str | None) -> None:
    """`expected` None: any codec that reads the page back whole (EUC-JP is often detected
    as one of its supersets)."""
    page = f"<html><body><article><p>{text * 3}</p></article></body></html>"
    data = page.encode(charset)
    found, skip = sniff(data)
    assert skip == 0
    assert found == expected if expected else found not in ("cp1252", "utf-8")
    assert decode(data) == page


def test_korean_page_without_a_charset_reads_whole() -> None:
    page = (f"<html><body><article><p>2024년 3월 5일</p><p>{KO * 3}</p></article>"
            "</body></html>").encode("euc-kr")
    article = extract_article(page, "https://kdrama.example/news/1")
    assert KO.strip() in article.text
    assert article.published == datetime(2024, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "2024년 3월 5일", "입력 2024년 3월 5일 오후", "2024年3月5日", "2024年 3月 5日 10:00",
    "05.03.2024", "5.3.2024", "5 de marzo de 2024", "5 mars 2024", "5. März 2024",
    "5 marzo 2024", "publicado el 5 de marzo de 2024", "2024.03.05",
])
def test_dates_in_many_languages(text: str) -> None:
    assert parse_date(text) == datetime(2024, 3, 5, tzinfo=UTC)
    assert is_date_line(text)


def test_words_that_are_not_months_are_not_dates() -> None:
    assert parse_date("5 films 2024") is None
    assert parse_date("31.02.2024") is None
    assert not is_date_line("Chapter 5 de la saga 2024 continues with a new hero")


@given(st.text(max_size=120))
def test_no_input_raises(text: str) -> None:
    parse_date(text)
    is_date_line(text)


@given(st.binary(max_size=2000))
def test_decode_never_raises(data: bytes) -> None:
    assert isinstance(decode(data), str)

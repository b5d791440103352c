"""scalars.py: every reader is total (a value or ScalarError, never another exception) and
what it returns is what the rest of the program can use without a second check."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

import pytest
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader import scalars
from tui_reader.scalars import (
    MAX_URL,
    ScalarError,
    parse_host,
    parse_http_date,
    parse_int,
    parse_port,
    parse_seconds,
    parse_url,
    shorten,
)

# Characters that broke the old readers: non-ASCII digits, separators int() accepts, dots
# and brackets of hosts, and the rest of Unicode.
_TRICKY = st.sampled_from(list("0123456789²³¹٣۴߅१௫๓൬፲①⑴_+-. :[]@/\\%#?xn-Ａ。ß\x00\r\n\t"))
_TEXT = st.one_of(st.text(), st.text(_TRICKY), st.text(_TRICKY, min_size=20, max_size=80))


def _total(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return function(*args, **kwargs)
    except ScalarError:
        return None


@given(_TEXT, st.integers(-(2**70), 2**70), st.integers(-(2**70), 2**70))
def test_parse_int_is_total_and_bounded(text: str, low: int, high: int) -> None:
    low, high = min(low, high), max(low, high)
    value = _total(parse_int, text, low=low, high=high)
    if value is not None:
        assert low <= value <= high
        assert text.strip(" \t\r\n\f\v").lstrip("+-").lstrip("0").isascii()


@given(st.integers(0, 10**40))
def test_parse_int_reads_ascii_digits_or_refuses_out_of_range(number: int) -> None:
    value = _total(parse_int, str(number))
    assert value == (number if number <= 2**63 - 1 else None)


@pytest.mark.parametrize("text", ["²", "٣", "1_000", "1e3", "0x10", "", " ", "-1", "9" * 30])
def test_parse_int_refuses_what_int_would_misread(text: str) -> None:
    with pytest.raises(ScalarError):
        parse_int(text)


@given(_TEXT)
def test_parse_seconds_is_total_and_clamped(text: str) -> None:
    value = _total(parse_seconds, text, cap=86400.0, fraction=True)
    if value is not None:
        assert 0.0 <= value <= 86400.0


def test_parse_seconds_clamps_huge_values_and_refuses_unicode_digits() -> None:
    assert parse_seconds("9" * 400, cap=60) == 60
    assert parse_seconds("12", cap=60) == 12
    for text in ("²", "1.5", "nan", "inf", "1e9", ""):
        with pytest.raises(ScalarError):
            parse_seconds(text, cap=60)


@given(_TEXT)
def test_parse_http_date_is_total(text: str) -> None:
    value = _total(parse_http_date, text)
    assert value is None or value.tzinfo is UTC


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_parse_http_date_reads_what_we_would_write(when: datetime) -> None:
    when = when.replace(microsecond=0, tzinfo=UTC)
    assert parse_http_date(format_datetime(when, usegmt=True)) == when


@given(_TEXT)
def test_parse_port_is_total(text: str) -> None:
    value = _total(parse_port, text)
    assert value is None or 1 <= value <= 65535


@given(_TEXT)
def test_parse_host_is_total_and_ascii(text: str) -> None:
    host = _total(parse_host, text)
    if host is not None:
        assert host.isascii() and host == host.lower()
        assert parse_host(host) == host


@pytest.mark.parametrize("host", [
    "a..b", "xn--", "a" * 70 + ".com", "xn--zz-.com", "xn--a.com", "[::1", "::1]", "[zz]", "",
    ".", "..", "127.1", "0x7f.0.0.1", "a.b.c.999", "a b", "ex%41mple.com",
])
def test_parse_host_refuses_invalid_hosts(host: str) -> None:
    with pytest.raises(ScalarError):
        parse_host(host)


@pytest.mark.parametrize(("host", "expected"), [
    ("Example.COM", "example.com"), ("bücher.example", "xn--bcher-kva.example"),
    ("[::1]", "[::1]"), ("127.0.0.1", "127.0.0.1"), ("a.example.", "a.example"),
    ("under_score.example", "under_score.example"),
])
def test_parse_host_normalises(host: str, expected: str) -> None:
    assert parse_host(host) == expected


_LABEL = st.one_of(st.from_regex(r"[a-z0-9-]{1,70}", fullmatch=True), st.text(max_size=12),
                   st.sampled_from(["xn--", "xn--bcher-kva", "bücher", "127", "0x7f", ""]))
_URLS = st.one_of(
    _TEXT,
    st.builds(
        lambda scheme, labels, port, path, bracket: (
            f"{scheme}://{'[' if bracket else ''}{'.'.join(labels)}"
            f"{']' if bracket == 2 else ''}{port}{path}"),
        st.sampled_from(["http", "HTTPS", "ftp", "javascript", ""]),
        st.lists(_LABEL, min_size=1, max_size=4),
        st.one_of(st.just(""), st.integers(-5, 10**7).map(lambda p: f":{p}"),
                  st.text(_TRICKY, max_size=6).map(lambda p: f":{p}")),
        st.one_of(st.just(""), st.text(max_size=20).map(lambda p: "/" + p)),
        st.integers(0, 2),
    ),
)


@settings(max_examples=400)
@given(_URLS)
def test_parse_url_is_total_and_its_answer_is_usable_everywhere(text: str) -> None:
    url = _total(parse_url, text)
    if url is None:
        return
    assert len(url) <= MAX_URL
    assert parse_url(url) == url
    url.encode("utf-8")  # as a request line and a database both take it
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert parts.port is None or 1 <= parts.port <= 65535
    client = yarl.URL(url)  # aiohttp's own URL type takes it as it is
    assert client.is_absolute() and client.host and client.scheme == parts.scheme


_PLAIN_URLS = st.builds(
    lambda scheme, labels, tld, port, path: f"{scheme}://{'.'.join([*labels, tld])}{port}{path}",
    st.sampled_from(["http", "https", "HTTP"]),
    # Not punycode ("ab--"): those labels must also decode, which yarl does not ask.
    st.lists(st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
             .filter(lambda label: label[2:4] != "--"), max_size=3),
    # A last label of digits only is read as an IPv4 address by browsers; real ones are names.
    st.from_regex(r"[a-z][a-z0-9]{1,9}", fullmatch=True),
    st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}")),
    st.one_of(st.just(""), st.from_regex(r"/[A-Za-z0-9._~/-]{0,30}(\?[a-z]=[0-9]{1,4})?",
                                         fullmatch=True)),
)


@settings(max_examples=300)
@given(_PLAIN_URLS)
def test_parse_url_accepts_every_plain_link_the_client_accepts(text: str) -> None:
    """The other direction: a rule stricter than the client would silently drop real links."""
    assert yarl.URL(text).host
    url = parse_url(text)
    assert urlsplit(url).hostname == urlsplit(text).hostname


@given(_URLS, _URLS)
def test_parse_url_with_a_base_is_total(base: str, ref: str) -> None:
    _total(parse_url, ref, base)


@pytest.mark.parametrize("url", [
    "http://a..b/", "http://xn--/", f"http://{'a' * 70}.com/", "http://xn--a.example/",
    "http://127.0.0.1:99999/", "http://[::1/x", "http://h:0/", "http://h:²/", "javascript:x",
    "http://x.example\\@y.example/", "http:// x.example/", "http://x.example/\x1b[2J",
    "file:///etc/passwd", "http:///path", "http://x.example:-1/", "http://[::1]x/",
    "http://x.example/\ud800", "http://x\udfff.example/",
])
def test_parse_url_refuses_links_that_cannot_be_fetched(url: str) -> None:
    with pytest.raises(ScalarError):
        parse_url(url)


def test_parse_url_normalises_scheme_host_and_default_port() -> None:
    assert parse_url("HTTP://Bücher.Example:80/A?b#C") == "http://xn--bcher-kva.example/A?b#C"
    assert parse_url("https://h.example:443") == "https://h.example"
    assert parse_url("/x", "https://h.example/a/b") == "https://h.example/x"


def test_errors_shorten_what_they_quote() -> None:
    with pytest.raises(ScalarError) as caught:
        parse_url("http://" + "a" * 100_000)
    assert len(str(caught.value)) < 200
    assert len(shorten("x" * 100_000)) < 250


_NEVER = re.compile(r"(?!)")


@settings(max_examples=400)
@given(st.one_of(_URLS, _URLS.map(str.lower)))
def test_the_plain_url_shortcut_decides_as_the_general_path(text: str) -> None:
    fast = _total(parse_url, text)
    plain, scalars._PLAIN_URL = scalars._PLAIN_URL, _NEVER
    try:
        assert _total(parse_url, text) == fast
    finally:
        scalars._PLAIN_URL = plain


_ADDRESSED = st.builds(
    lambda scheme, octets, port, path: f"{scheme}://{'.'.join(octets)}{port}{path}",
    st.sampled_from(["http", "https"]),
    st.lists(st.sampled_from(["0", "1", "127", "255", "256", "01", "999"]), min_size=3,
             max_size=5),
    st.sampled_from(["", ":", ":80", ":443", ":8080", ":08080", ":0", ":65535", ":65536",
                     ":123456"]),
    st.sampled_from(["", "/", "/a/../b", "?q", "#f", "/x y"]),
)


@settings(max_examples=400)
@given(st.one_of(_URLS.map(str.lower), _ADDRESSED),
       st.one_of(st.none(), _URLS.map(str.lower), _ADDRESSED))
def test_the_plain_url_shortcut_decides_as_the_general_path_with_ports_and_bases(
        text: str, base: str | None) -> None:
    fast = _total(parse_url, text, base)
    plain, scalars._PLAIN_URL = scalars._PLAIN_URL, _NEVER
    try:
        assert _total(parse_url, text, base) == fast
    finally:
        scalars._PLAIN_URL = plain


@given(st.lists(st.one_of(st.integers(0, 300).map(str), st.text("0123456789", max_size=4)),
                min_size=1, max_size=5).map(".".join))
def test_an_ipv4_address_is_four_numbers_below_256(host: str) -> None:
    expected = bool(scalars._IPV4.fullmatch(host)) and all(
        int(part) < 256 for part in host.split("."))
    assert bool(scalars._IPV4_ADDRESS.fullmatch(host)) == expected

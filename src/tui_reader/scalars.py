"""The one place where a scalar from outside (a header, a feed, a page, a file, the command
line) becomes a number, a date, a host, a port or a URL.

Python's own readers are not made for hostile text: `str.isdigit()` accepts "²" and "٣" that
`int()` then refuses, `int()` reads "1_000" and any length of digits, `float()` reads "nan"
and "1e999", `urlsplit().port` raises on "99999", and the IDNA codec raises `UnicodeError`
from deep inside for "a..b" or "xn--". Each function here is total: it returns a value or
raises `ScalarError`, a `ValueError`, so a caller that already catches `ValueError` keeps
working and one that catches `ScalarError` knows the text was at fault, not the program.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import idna

# Longer than any URL a feed or a page has a reason to hold; browsers cap theirs near here.
MAX_URL = 8192
# A host name is at most 253 characters in its dotted ASCII form, a label 63 (RFC 1035).
_MAX_HOST = 253
_MAX_LABEL = 63
# Large enough for any id, count or limit we keep; SQLite's integers stop at 2**63 - 1.
MAX_INT = 2**63 - 1
_ASCII_SPACE = " \t\r\n\f\v"
_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ASCII_LABEL = re.compile(r"[a-z0-9_-]{1,63}")
_IPV4 = re.compile(r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}")
# An `_IPV4` match whose four numbers are each below 256, told in one match (a page's links
# to one address would each split and count it again).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4_ADDRESS = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# Browsers read a host whose last label is a number ("127.1", "0x7f.1") as an IPv4 address
# in shorthand, where urllib and our private-address check read a name: such a host is refused.
_NUMERIC_LABEL = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)")
# Whitespace, controls and invisible characters: a URL holding one shows differently from
# where it leads. Lone surrogates too: no request or database can encode them.
_URL_UNSAFE = re.compile(
    "[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ud800-\udfff]"
)
_SCHEMES = ("http", "https")
# The usual link, already in normal form: lower-case scheme and host of plain ASCII labels
# (or a dotted IPv4 address), a port without leading zeros or none, no user or brackets,
# printable ASCII after. Pages hold hundreds of links, and the Fetcher checks every URL it is
# given: this one match is a tenth of the general path's cost; what it leaves is checked there.
_PLAIN_URL = re.compile(r"(https?)://((?:[a-z0-9_-]{1,63}\.)*([a-z0-9_-]{1,63}))"
                        r"(?::([1-9][0-9]{0,4}))?(?:[/?#][!-~]*)?")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
# RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form and asctime, with ASCII digits only.
_HTTP_DATES = (
    re.compile(r"[A-Za-z]{3}, ([0-9]{2}) ([A-Za-z]{3}) ([0-9]{4}) "
               r"([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT"),
    re.compile(r"[A-Za-z]{6,9}, ([0-9]{2})-([A-Za-z]{3})-([0-9]{2}) "
               r"([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT"),
    re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) ([ 0-9][0-9]) "
               r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([0-9]{4})"),
)


class ScalarError(ValueError):
    """Text from outside that does not hold the value its field is for."""


def shorten(text: str, limit: int = 200) -> str:
    """`text` cut for an error line: a 100 KB URL must not fill the terminal."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


_LONG_WORD = re.compile(r"\S{241,}")


def shorten_words(text: str) -> str:
    """`text` with every run of 241 or more non-space characters (a URL, most likely)
    shortened: an error line that quotes a 100 KB URL stays one readable line."""
    return _LONG_WORD.sub(lambda m: shorten(m.group()), text) if len(text) > 240 else text


def _bad(what: str, text: str) -> ScalarError:
    return ScalarError(f"not a valid {what}: {shorten(text, 80)!r}")


def parse_int(text: str, *, low: int = 0, high: int = MAX_INT, what: str = "number") -> int:
    """A whole number written in ASCII digits, between `low` and `high`; surrounding ASCII
    spaces are allowed, a sign is allowed only when `low` is negative."""
    value = text.strip(_ASCII_SPACE)
    digits = value[1:] if value[:1] in "+-" and low < 0 else value
    if not _DIGITS.fullmatch(digits):
        raise _bad(what, text)
    digits = digits.lstrip("0") or "0"
    # Checked on the length first so a 10,000-digit string costs nothing to refuse.
    if len(digits) > len(str(max(abs(low), abs(high)))):
        raise ScalarError(f"{what} out of range ({low}–{high}): {shorten(text, 40)!r}")
    number = -int(digits) if value[:1] == "-" else int(digits)
    if not low <= number <= high:
        raise ScalarError(f"{what} out of range ({low}–{high}): {shorten(text, 40)!r}")
    return number


def parse_seconds(text: str, *, cap: float, fraction: bool = False) -> float:
    """A count of seconds in ASCII digits (with a decimal part when `fraction`), clamped to
    `cap`: RFC 9110 asks a reader to take an overlarge delta-seconds as the largest it keeps,
    so "99999999999999999999" means "as long as we wait", not an error."""
    value = text.strip(_ASCII_SPACE)
    if not (_DECIMAL if fraction else _DIGITS).fullmatch(value):
        raise _bad("number of seconds", text)
    whole = value.partition(".")[0].lstrip("0")
    if len(whole) > len(str(int(cap))):
        return float(cap)
    return min(float(value), float(cap))


def parse_http_date(text: str) -> datetime:
    """An HTTP date (Retry-After, Expires, Last-Modified) as an aware UTC datetime."""
    value = text.strip(_ASCII_SPACE)
    for number, pattern in enumerate(_HTTP_DATES):
        match = pattern.fullmatch(value)
        if match is None:
            continue
        if number == 0:
            day, month, year, hour, minute, second = match.groups()
        elif number == 1:
            day, month, year, hour, minute, second = match.groups()
            # RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            now = datetime.now(UTC).year
            full = now - now % 100 + int(year)
            year = str(full - 100 if full > now + 50 else full)
        else:
            month, day, hour, minute, second, year = match.groups()
        month_number = _MONTHS.get(month.lower())
        if month_number is None:
            break
        try:
            return datetime(int(year), month_number, int(day.strip()), int(hour), int(minute),
                            min(int(second), 59), tzinfo=UTC)
        except ValueError:
            break
    raise _bad("HTTP date", text)


def parse_port(text: str) -> int:
    """A TCP port, 1–65535, in ASCII digits."""
    return parse_int(text, low=1, high=65535, what="port")


def _label(label: str, text: str) -> str:
    """One label of a host name in its ASCII form, validated."""
    if label.isascii():
        label = label.lower()
        if not _ASCII_LABEL.fullmatch(label):
            raise _bad("host name", text)
        if not label.startswith("xn--"):
            return label
        try:
            idna.ulabel(label)  # the punycode must decode to a valid IDNA label
        except (idna.IDNAError, UnicodeError):
            raise _bad("host name", text) from None
        return label
    try:
        encoded = idna.encode(label, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise _bad("host name", text) from None
    if "." in encoded or not _ASCII_LABEL.fullmatch(encoded):
        raise _bad("host name", text)
    return encoded


def parse_host(text: str) -> str:
    """A host as an URL holds it: a DNS name in lower-case ASCII (non-ASCII labels in
    punycode), a dotted IPv4 address, or an IPv6 address in brackets. One trailing dot is
    dropped; empty labels, labels over 63 characters, invalid punycode, a number for a last
    label that is not a whole IPv4 address and unbalanced brackets are refused."""
    if not text or len(text) > 4 * _MAX_HOST:
        raise _bad("host name", text)
    if text.startswith("[") or text.endswith("]"):
        if not (text.startswith("[") and text.endswith("]")):
            raise _bad("host name", text)
        try:
            address = ipaddress.IPv6Address(text[1:-1])
        except ValueError:
            raise _bad("IPv6 address", text) from None
        return f"[{address.compressed}]"
    host = text[:-1] if text.endswith(".") else text
    # Labels are made ASCII first: IDNA mapping turns "①" into "1" and "１２７" into "127".
    ascii_host = host if _IPV4.fullmatch(host) else ".".join(
        _label(label, text) for label in host.split("."))
    if _IPV4.fullmatch(ascii_host):
        try:
            return str(ipaddress.IPv4Address(ascii_host))
        except ValueError:
            raise _bad("IPv4 address", text) from None
    if _NUMERIC_LABEL.fullmatch(ascii_host.rpartition(".")[2]) or len(ascii_host) > _MAX_HOST:
        raise _bad("host name", text)
    return ascii_host


def _plain(url: str) -> bool:
    """Whether `url` is already what the general path of `parse_url` would make of it."""
    plain = _PLAIN_URL.fullmatch(url) if len(url) <= MAX_URL else None
    if plain is None:
        return False
    scheme, host, last, port = plain.groups()
    if len(host) > _MAX_HOST or "xn--" in host:
        return False
    if _NUMERIC_LABEL.fullmatch(last) and not _IPV4_ADDRESS.fullmatch(host):
        return False
    return port is None or _DEFAULT_PORTS[scheme] != int(port) <= 65535


# What `urljoin` would rewrite in a root-relative path ("/a/b?c#d") or a fragment ("#d"):
# dot segments, parameters, an empty query, an empty fragment.
_REWRITTEN = re.compile(r"/\.|;|\?#|[?#]$")


def _join(base: str, href: str) -> str:
    """`urljoin(base, href)`, without its parsing for the two commonest relative links of a
    page: a path from the site's root and a fragment, which it returns appended to the
    page's origin or to the page's URL, as they are, when they hold nothing it rewrites."""
    if href.isascii() and href.isprintable() and _REWRITTEN.search(href) is None:
        if href[:1] == "/" and href[1:2] != "/":
            origin = _origin(base)
            if origin is not None:
                return origin + href
        elif href[:1] == "#" and base.startswith(("https://", "http://")) and "#" not in base \
                and _REWRITTEN.search(base) is None and _origin(base) is not None:
            return base + href
    return urljoin(base, href)


@functools.lru_cache(maxsize=64)
def _origin(base: str) -> str | None:
    """"scheme://host" of an http(s) page URL, as `urljoin` writes it before a path."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not base.isascii() or not base.isprintable():
        return None
    return f"{parts.scheme}://{parts.netloc}"


def parse_url(text: str, base: str | None = None) -> str:
    """An absolute http(s) URL, resolved against `base` when given, with its scheme and host
    normalised (lower case, punycode, a default or empty port dropped) and its path, query
    and fragment kept as they were. Refused: other schemes, no host, an invalid host or
    port, whitespace, controls, invisible characters or lone surrogates anywhere, a
    backslash in the authority (browsers and urllib read different hosts from it), over
    `MAX_URL` long."""
    url = text.strip(_ASCII_SPACE) if text else ""
    if base is None and _plain(url):
        return url
    if base is not None:
        try:
            url = _join(base, url)
        except ValueError:
            raise _bad("link", text) from None
        if _plain(url):
            return url
    if not url or len(url) > MAX_URL:
        raise _bad("link", text)
    if _URL_UNSAFE.search(url):
        raise _bad("link", text)
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _SCHEMES:
        raise ScalarError(f"only http and https URLs are fetched, not {shorten(text, 80)!r}")
    scheme = scheme.lower()
    end = min((i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0),
              default=len(rest))
    authority, tail = rest[:end], rest[end:]
    if "\\" in authority:
        raise _bad("link", text)
    userinfo, at, hostport = authority.rpartition("@")
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise _bad("link", text)
        host, after = hostport[:close + 1], hostport[close + 1:]
        if after and not after.startswith(":"):
            raise _bad("link", text)
        port = after[1:]
        has_port = bool(after)
    else:
        host, colon, port = hostport.rpartition(":")
        if not colon:
            host, port = hostport, ""
        has_port = bool(colon)
    if has_port and port:
        number = parse_port(port)
        port = "" if number == (443 if scheme == "https" else 80) else str(number)
    netloc = f"{userinfo}{at}{parse_host(host)}{':' if port else ''}{port}"
    normalised = f"{scheme}://{netloc}{tail}"
    try:
        # The same split every consumer (aiohttp's yarl, urllib, our stores) makes must agree.
        parts = urlsplit(normalised)
        if parts.port is not None and str(parts.port) != port:
            raise _bad("link", text)
    except ValueError:
        raise _bad("link", text) from None
    return normalised

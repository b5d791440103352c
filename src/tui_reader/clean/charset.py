"""Decode web bytes by the order of trust: HTTP header, BOM, in-document declaration.

Labels are mapped the way browsers map them (ISO-8859-1 means windows-1252, Shift_JIS means
cp932, "utf8" means UTF-8), because that is what the publisher's own browser showed them.
Decoding never raises: undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import functools
import re

_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Every BOM starts with one of these (UTF-32-LE's with UTF-16-LE's).
_BOM_STARTS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
# Without a BOM, how "<?" or "<" starts in each wide encoding (XML 1.0, appendix F).
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
# Labels that browsers treat as a superset: decoding by the superset is what the page meant.
_ALIASES = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252",
            "latin1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
            "shift-jis": "cp932", "shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
            "ms_kanji": "cp932", "windows-31j": "cp932", "euc-kr": "cp949", "euckr": "cp949",
            "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
            "x-gbk": "gb18030", "iso-8859-9": "cp1254", "iso-8859-11": "cp874",
            "tis-620": "cp874", "big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-16"}
# Python codecs that are not web charsets: escape decoders and friends would turn plain bytes
# into other characters than the publisher wrote.
_REFUSED = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "utf-7",
                      "mbcs", "oem", "undefined", "charmap"})


@functools.lru_cache(maxsize=256)
def normalise(label: str | None) -> str | None:
    """A Python text codec name for a charset label, or None when the label is unusable.
    Cached: every page of a refresh names one of a few labels."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Bytes-to-bytes codecs such as "zlib" or "base64" are not charsets at all.
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _REFUSED:
        return None
    return info.name


@functools.lru_cache(maxsize=256)
def header_charset(content_type: str | None) -> str | None:
    match = _HEADER.search(content_type or "")
    return normalise(match.group(1)) if match else None


def _bom(data: bytes) -> tuple[str, int] | None:
    if not data.startswith(_BOM_STARTS):
        return None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def sniff(data: bytes, content_type: str | None = None) -> tuple[str, int]:
    """The encoding to use and how many BOM bytes to skip."""
    bom = _bom(data)
    declared = header_charset(content_type)
    if declared:
        # The header wins, but when it names a Unicode encoding the BOM says which one exactly
        # (and is not text).
        if bom and declared.startswith("utf"):
            return bom
        return declared, 0
    if bom:
        return bom
    for start, name in _WIDE_STARTS:
        if data.startswith(start):
            return name, 0
    head = data[:4096]
    match = _XML_DECL.search(head) or _META.search(head)
    if match:
        found = normalise(match.group(1).decode("ascii", "replace"))
        # A declaration we could read as ASCII cannot really be in UTF-16 or UTF-32.
        if found and not found.startswith(("utf-16", "utf-32")):
            return found, 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut-off multi-byte character at the very end is still UTF-8.
        if exc.start < len(data) - 3:
            return _guess(data), 0
    # ISO-2022-JP is seven-bit, so valid UTF-8 too; its escapes into JIS X 0208 give it away.
    if b"\x1b$B" in data or b"\x1b$@" in data:
        return "iso2022_jp", 0
    return "utf-8", 0


# Multi-byte charsets a detector can tell from cp1252 with confidence: Korean, Japanese and
# Chinese sites that declare nothing. A guess of some other single-byte charset is no better
# than the browsers' cp1252, and a Western page read as, say, cp1250 would be worse.
# Japanese comes under the names of its JIS X 0213 supersets too, which is how a detector
# often reports EUC-JP and Shift_JIS.
_DETECTED = frozenset({"cp949", "euc_kr", "johab", "cp932", "shift_jis", "euc_jp",
                       "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213",
                       "iso2022_jp", "gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp950"})
_DETECT_BYTES = 65_536


def _guess(data: bytes) -> str:
    """The charset of an undeclared page that is not UTF-8: detected (charset-normalizer,
    imported only on this path) when it is an East Asian multi-byte one, else cp1252."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    found = normalise(best.encoding) if best is not None else None
    if found is None or found.replace("-", "_") not in _DETECTED:
        return "cp1252"
    # The browsers' supersets: cp949 for EUC-KR, cp932 for Shift_JIS, gb18030 for GBK.
    return normalise(_ALIASES.get(found.replace("_", "-"), found)) or found


def decode(data: bytes, content_type: str | None = None) -> str:
    """Decode never raises: undecodable bytes become U+FFFD."""
    return decode_as(data, *sniff(data, content_type))


def decode_as(data: bytes, encoding: str, skip: int = 0) -> str:
    """`data` past its `skip` BOM bytes in `encoding` (as `sniff` found them), never raising."""
    try:
        return data[skip:].decode(encoding, errors="replace")
    except (LookupError, UnicodeError):
        return data[skip:].decode("utf-8", errors="replace")

"""Decode web bytes by the order of trust: HTTP header, BOM, in-document declaration."""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that browsers treat as a superset: decoding by the superset is what the page meant.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "shift-jis": "cp932", "shift_jis": "cp932", "sjis": "cp932",
            "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
            "utf8": "utf-8", "x-sjis": "cp932"}


def normalise(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER.search(content_type or "")
    return normalise(match.group(1)) if match else None


def sniff(data: bytes, content_type: str | None = None) -> tuple[str, int]:
    """The encoding to use and how many BOM bytes to skip."""
    declared = header_charset(content_type)
    if declared:
        return declared, 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    head = data[:4096]
    match = _XML_DECL.search(head) or _META.search(head)
    if match:
        found = normalise(match.group(1).decode("ascii", "replace"))
        if found and not found.startswith("utf-16") and not found.startswith("utf-32"):
            return found, 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


def decode(data: bytes, content_type: str | None = None) -> str:
    """Decode never raises: undecodable bytes become U+FFFD."""
    encoding, skip = sniff(data, content_type)
    return data[skip:].decode(encoding, errors="replace")

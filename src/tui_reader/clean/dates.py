"""Parse the many ways pages write a publication date into a timezone-aware datetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from tui_reader.scalars import ScalarError, parse_int

_MONTHS = {name[:3]: n for n, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# "March 5, 2024", "Mar. 5 2024 10:30 am"
_MDY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
                  r"(?:\D{1,6}?(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?)?", re.I | re.ASCII)
# "5 March 2024", "05 Mar 2024"
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})", re.I | re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
# Korean, Japanese and Chinese: "2024년 3월 5일", "2024年3月5日".
_CJK = re.compile(r"(\d{4})\s*[년年]\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]", re.ASCII)
# European numeric dates put the day first: "05.03.2024", "5.3.2024".
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])", re.ASCII)
# Month names of the European languages entertainment sites most often write in.
_EURO_MONTHS = {name: n for n, names in enumerate((
    "enero janvier januar gennaio janeiro januari",
    "febrero février fevrier februar febbraio fevereiro februari",
    "marzo mars märz maerz março marco maart",
    "abril avril april aprile",
    "mayo mai maggio maio mei",
    "junio juin juni giugno junho",
    "julio juillet juli luglio julho",
    "agosto août aout augustus",
    "septiembre setiembre septembre september settembre setembro",
    "octubre octobre oktober ottobre outubro",
    "noviembre novembre november novembro",
    "diciembre décembre decembre dezember dicembre dezembro december",
), 1) for name in names.split()}
# "5 de marzo de 2024", "5 mars 2024", "5. März 2024", "1er avril 2024"
_EURO = re.compile(r"([0-9]{1,2})(?:\.|er|º|°)?\s+(?:de\s+)?([^\W\d_]{3,10})\.?\s+"
                   r"(?:de\s+)?([0-9]{4})", re.I)
_DATE_LABELS = re.compile(
    r"(?:published|updated|posted|last|modified|on|at|date|am|pm|a\.m\.|p\.m\.|[ecmp][sd]?t|gmt"
    r"|utc|bst|cet|kst|jst|ist|hrs|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|[\W\d_]+"
    r"|입력|수정|등록|발행|기사|오전|오후|更新|公開|公开|发布|發佈|時間|时间|日期"
    r"|publié|publicado|publicada|pubblicato|veröffentlicht|aktualisiert|actualizado|mis à jour"
    r"|le|el|il|am|um|de|du",
    re.I,
)
_TZ_COLONLESS = re.compile(r"([+-]\d{2})(\d{2})$")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: str) -> datetime | None:
    text = value.strip().replace(" ", "T", 1) if "T" not in value else value.strip()
    text = _TZ_COLONLESS.sub(r"\1:\2", text.replace("Z", "+00:00").replace("z", "+00:00"))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _numeric(value: str) -> datetime | None:
    try:
        stamp = parse_int(value)
    except ScalarError:  # "²" and "٣" are str.isdigit() too
        return None
    if stamp > 10**11:  # milliseconds since the epoch
        stamp //= 1000
    if not 10**8 < stamp < 10**10:
        return None
    return datetime.fromtimestamp(stamp, UTC)


def _words(value: str) -> datetime | None:
    match = _MDY.search(value)
    if match:
        month, day, year = _MONTHS[match[1][:3].lower()], int(match[2]), int(match[3])
        hour, minute = int(match[4] or 0), int(match[5] or 0)
        meridiem = (match[6] or "").replace(".", "").lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        return _build(year, month, day, hour, minute)
    match = _DMY.search(value)
    if match:
        return _build(int(match[3]), _MONTHS[match[2][:3].lower()], int(match[1]))
    match = _ISO_DAY.search(value) or _CJK.search(value)
    if match:
        return _build(int(match[1]), int(match[2]), int(match[3]))
    match = _DOTTED.search(value)
    if match:
        return _build(int(match[3]), int(match[2]), int(match[1]))
    match = _euro(value)
    if match:
        return _build(int(match[3]), _EURO_MONTHS[match[2].casefold()], int(match[1]))
    return None


def _euro(value: str) -> re.Match[str] | None:
    """A day, a European month name and a year ("5 de marzo de 2024")."""
    for match in _EURO.finditer(value):
        if match[2].casefold() in _EURO_MONTHS:
            return match
    return None


def _build(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime (UTC when the page names no zone), or None when unreadable."""
    if not value:
        return None
    value = value.strip()[:100]
    if not value:
        return None
    if value.isdigit():
        return _numeric(value)
    found = _iso(value)
    if found is None:
        try:
            found = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            found = _words(value)
    if found is None or not 1990 <= found.year <= 2100:
        return None
    return _aware(found)


def is_date_line(text: str) -> bool:
    """A short line that is only a date with labels ("Published March 5, 2024 10:30 am ET")."""
    if len(text) > 80:
        return False
    match = (_MDY.search(text) or _DMY.search(text) or _ISO_DAY.search(text)
             or _CJK.search(text) or _DOTTED.search(text) or _euro(text))
    if match is None:
        return False
    rest = text[: match.start()] + " " + text[match.end():]
    return _DATE_LABELS.sub("", rest).strip() == ""

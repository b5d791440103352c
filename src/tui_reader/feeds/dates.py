"""Feed dates as timezone-aware datetimes, or None: never "now" standing in for a date.

feedparser reads RFC 822 dates with English names only; `european_date`, registered with it
here, reads the same shape with day and month names in the common European languages
("mer, 16 nov 2022 10:00:00 +0100", "Seg, 24 Set 2018", "16. März 2022", "16 de novembro de
2022"), so both feed paths (feedparser's and xmlfeed's, which asks feedparser for anything but
the usual English form) and JSON Feed dates read them alike.
"""

from __future__ import annotations

import calendar
import re
import time
import unicodedata
from datetime import UTC, datetime

import feedparser
from feedparser.datetimes import _parse_date
from feedparser.datetimes.rfc822 import _parse_date_rfc822

# Month names, January first, as written in English, Italian, Portuguese, Spanish, French,
# German, Dutch, Swedish, Danish and Norwegian, Polish (both cases), Czech (both cases),
# Catalan, Romanian and Finnish, without their accents.
_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "januar februar marz april mai juni juli august september oktober november dezember",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "januari februari mars april maj juni juli augusti september oktober november december",
    "januar februar marts april maj juni juli august september oktober november december",
    "januar februar mars april mai juni juli august september oktober november desember",
    "styczen luty marzec kwiecien maj czerwiec lipiec sierpien wrzesien pazdziernik listopad "
    "grudzien",
    "stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada "
    "grudnia",
    "leden unor brezen duben kveten cerven cervenec srpen zari rijen listopad prosinec",
    "ledna unora brezna dubna kvetna cervna cervence srpna zari rijna listopadu prosince",
    "gener febrer marc abril maig juny juliol agost setembre octubre novembre desembre",
    "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie "
    "decembrie",
    "tammikuu helmikuu maaliskuu huhtikuu toukokuu kesakuu heinakuu elokuu syyskuu lokakuu "
    "marraskuu joulukuu",
)
# Abbreviations that are not the start of their month's name.
_MONTH_ABBREVIATIONS = {"mrt": 3, "mrz": 3, "mae": 3, "juil": 7, "sept": 9, "setem": 9}
_FULL: dict[str, set[int]] = {}
for _language in _MONTH_NAMES:
    for _number, _name in enumerate(_language.split(), 1):
        _FULL.setdefault(_name, set()).add(_number)
_ENGLISH = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ENGLISH_DAYS = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
_ENGLISH_MONTHS = frozenset({*_ENGLISH, *_MONTH_NAMES[0].split(), "sept"})
# European zone names feedparser does not know (it takes them as UTC).
_ZONES = {"cet": "+0100", "mez": "+0100", "cest": "+0200", "mesz": "+0200", "wet": "+0000",
          "west": "+0100", "eet": "+0200", "eest": "+0300"}
_ZONE = re.compile(r"\b(" + "|".join(_ZONES) + r")$")
# [weekday[,]] day[.] [de] month[.][,] [de] year [time and zone]: the weekday is not checked
# (feedparser ignores it too), the day may be an ordinal ("1er", "1o", "1.").
_SHAPE = re.compile(
    r"(?:([a-z]{2,14}(?:-[a-z]{4,6})?)\.?,?\s+)?(\d{1,2})(?:\.|er|o)?\s+(?:de\s+)?"
    r"([a-z]{3,12})\.?,?\s+(?:de\s+)?(\d{4})(?:,|\s+(?:a\s+las|as|um|om|alle|a|kl\.?|-))?"
    r"(?:\s+(.{0,40}))?", re.ASCII)


def _month(word: str) -> int | None:
    """A month from its name, a known abbreviation, the start of its name ("set", "fev")
    or its name with an ending ("marraskuuta"), when only one month reads so."""
    found = _FULL.get(word) or (
        {_MONTH_ABBREVIATIONS[word]} if word in _MONTH_ABBREVIATIONS else None)
    if not found:
        found = {n for name, numbers in _FULL.items()
                 if name.startswith(word) or (len(name) >= 4 and word.startswith(name))
                 for n in numbers}
    return next(iter(found)) if len(found) == 1 else None


def european_date(text: str) -> time.struct_time | None:
    """A feedparser date handler: None unless day or month names are not English."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    match = _SHAPE.fullmatch(plain)
    if match is None:
        return None
    weekday, day, word, year, rest = match.groups()
    if (weekday is None or weekday[:3] in _ENGLISH_DAYS) and word in _ENGLISH_MONTHS:
        return None  # English names: feedparser's own handlers read them as they do
    month = _month(word)
    if month is None:
        return None
    rest = _ZONE.sub(lambda zone: _ZONES[zone.group(1)], rest or "")
    english = f"{day} {_ENGLISH[month - 1]} {year} {rest}".strip()
    try:
        return _parse_date_rfc822(english)  # type: ignore[no-any-return]
    except (ValueError, OverflowError, KeyError, IndexError):
        return None


feedparser.registerDateHandler(european_date)


def from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times; out-of-range ones become None.

    Fields that make a valid date and time are that instant as they stand, a third of the
    cost of the trip through a timestamp, which is kept for the fields it carries over
    (a leap second, day 0 of a month, 24:00).
    """
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, TypeError):
        return _from_timestamp(value)


def _from_timestamp(value: time.struct_time) -> datetime | None:
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def parse_date(text: object) -> datetime | None:
    """RFC 3339/ISO 8601 first, then feedparser's RFC 822 and broken-variant handlers.

    A date without a zone is taken as UTC, as feedparser does.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return from_struct(_parse_date(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

"""Numbers, amounts and dates as a language writes them, and back (babel/CLDR).

    format_number(1234.5, "en_US", digits=2)          # '1,234.50'
    format_amount(1234.5, "TWD", "zh_TW")             # '$1,234.50' (CLDR: NT$ in en_US)
    format_amount(1234.5, env.ref("base.JPY"), "en_US")   # '¥1,235' (the record's symbol)
    format_date(date(2024, 6, 30), "zh_TW")           # '2024/06/30'
    format_datetime(datetime(2024, 6, 30, 4, 5), "zh_TW", "Asia/Taipei")
                                                      # '2024/06/30 12:05:00'
    parse_number("1,234.50", "en_US")                 # 1234.5
    parse_date("06/30/2024", "en_US")                 # date(2024, 6, 30)

Languages are Odoo's codes (``en_US``, ``zh_TW``); ``babel_locale`` maps
them to CLDR locales (``zh_TW`` is ``zh_Hant_TW``). Rounding is half away
from zero, as Odoo's ``float_round`` (babel alone would round half to even).

Dates are written in the language's numeric form (``MM/dd/yyyy`` in
English, ``yyyy/MM/dd`` in Traditional Chinese: CLDR's short pattern with
a four-digit year and two-digit months and days, the same as ``res.lang``'s
``date_format``); ``format="medium"``, ``"long"``... or a CLDR pattern
asks for another. Datetimes are stored in UTC without a time zone and
shown in the user's (``tz``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    parse_decimal,
)

#: Odoo language codes whose CLDR locale is not the code itself
LOCALES = {"zh_TW": "zh_Hant_TW", "zh_HK": "zh_Hant_HK", "zh_CN": "zh_Hans_CN"}
TIME_PATTERN = "HH:mm:ss"


@lru_cache(maxsize=64)
def babel_locale(lang: str | None) -> Locale:
    """The CLDR locale of an Odoo language code (English for unknown codes)."""
    code = (lang or "en_US").replace("-", "_")
    try:
        return Locale.parse(LOCALES.get(code, code))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en_US")


# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------
def _decimal(value: Any, digits: int | None) -> Decimal:
    number = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    if digits is not None:
        number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number.copy_abs() if number.is_zero() else number   # never '-0.00'


@lru_cache(maxsize=256)
def _pattern(lang: str, digits: int | None) -> str:
    """The locale's decimal pattern with exactly ``digits`` decimals."""
    pattern = babel_locale(lang).decimal_formats[None].pattern.split(";")[0]
    if digits is None:
        return re.sub(r"\.[0#]*", "." + "#" * 12, pattern, count=1)
    decimals = "." + "0" * digits if digits else ""
    if "." in pattern:
        return re.sub(r"\.[0#]*", decimals, pattern, count=1)
    return pattern + decimals


def format_number(value: float | int | Decimal, lang: str, digits: int | None = None,
                  grouping: bool = True) -> str:
    """``value`` with the language's separators; ``digits`` decimals (rounded
    half away from zero), or as many as it has when ``digits`` is None."""
    number = _decimal(value, digits)
    return format_decimal(number, _pattern(lang, digits), locale=babel_locale(lang),
                          decimal_quantization=digits is not None,
                          group_separator=grouping)


def parse_number(text: str, lang: str) -> float:
    """The number a person typed in the language's form (``1,234.5``);
    ValueError saying what is wrong otherwise."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace("\u202f", "")
    if not cleaned:
        raise ValueError("A number is required.")
    locale = babel_locale(lang)
    try:
        return float(parse_decimal(cleaned, locale=locale, strict=True))
    except (NumberFormatError, InvalidOperation):
        sample = format_number(1234.56, lang, 2)
        raise ValueError(f"{text!r} is not a number (write it as {sample}).") from None


# ---------------------------------------------------------------------------
# amounts
# ---------------------------------------------------------------------------
def currency_format(currency: Any, lang: str) -> tuple[str, str, int]:
    """(symbol, position 'before'/'after', decimals) of a res.currency record
    (its own settings, as Odoo) or of an ISO 4217 code (CLDR for the language)."""
    if isinstance(currency, str):
        code = currency.upper()
        locale = babel_locale(lang)
        pattern = locale.currency_formats["standard"].pattern.split(";")[0]
        position = "before" if pattern.lstrip("-\u200e\u200f").startswith("¤") else "after"
        return get_currency_symbol(code, locale), position, get_currency_precision(code)
    decimals = currency.decimal_places
    if decimals is False or decimals is None:
        decimals = 2
    return currency.symbol or currency.name, currency.position or "after", int(decimals)


def format_amount(value: float | int | Decimal, currency: Any, lang: str) -> str:
    """An amount with its currency's symbol, on the symbol's side, with the
    currency's decimals (JPY none, TWD/USD/EUR two) and the language's
    separators: ``-$1,234.50``, ``NT$1,234.50``, ``1,234.50 €``."""
    symbol, position, digits = currency_format(currency, lang)
    number = _decimal(value, digits)
    text = format_number(abs(number), lang, digits)
    sign = "-" if number < 0 else ""
    if position == "before":
        gap = "\u00a0" if symbol[-1:].isalpha() else ""
        return f"{sign}{symbol}{gap}{text}"
    return f"{sign}{text}\u00a0{symbol}"


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------
@lru_cache(maxsize=64)
def date_pattern(lang: str) -> str:
    """The numeric date pattern of a language: ``MM/dd/yyyy``, ``yyyy/MM/dd``."""
    short = babel_locale(lang).date_formats["short"].pattern
    pattern = re.sub(r"y+", "yyyy", short)
    pattern = re.sub(r"(?<!M)M{1,2}(?!M)", "MM", pattern)
    return re.sub(r"d+", "dd", pattern)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def format_date(value: dt.date | str, lang: str, format: str | None = None) -> str:  # noqa: A002
    """A date in the language's numeric form, or in a CLDR ``format``
    (``short``, ``medium``, ``long``, ``full`` or a pattern). '' for no date."""
    if not value:
        return ""
    return babel_format_date(_as_date(value), format or date_pattern(lang),
                             locale=babel_locale(lang))


def user_timezone(tz: str | None) -> dt.tzinfo:
    """The ZoneInfo of a user's ``tz`` (UTC when empty or unknown)."""
    if tz:
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC


def to_user_time(value: dt.datetime | str, tz: str | None) -> dt.datetime:
    """A stored datetime (UTC, naive) in the user's time zone (aware)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(user_timezone(tz))


def format_datetime(value: dt.datetime | str, lang: str, tz: str | None = None,
                    format: str | None = None) -> str:  # noqa: A002
    """A stored (UTC) datetime in the user's time zone: numeric date and
    24-hour time (``2024/06/30 12:05:00``), or a CLDR ``format``."""
    if not value:
        return ""
    local = to_user_time(value, tz)
    pattern = format or f"{date_pattern(lang)} {TIME_PATTERN}"
    return babel_format_datetime(local, pattern, tzinfo=local.tzinfo,
                                 locale=babel_locale(lang))


def _date_order(lang: str) -> str:
    """The order of year, month and day in the language's numeric dates ('mdy')."""
    pattern = date_pattern(lang)
    positions = sorted((pattern.index(letter), letter.lower()[0])
                       for letter in ("yyyy", "MM", "dd"))
    return "".join(letter for _pos, letter in positions)


def parse_date(text: str, lang: str) -> dt.date:
    """A date typed in the language's numeric form (or ISO ``2024-06-30``);
    a two-digit year is in this century. ValueError otherwise."""
    cleaned = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        return dt.date.fromisoformat(cleaned)
    numbers = re.findall(r"\d+", cleaned)
    leftover = re.sub(r"[\d\s/.\-年月日]", "", cleaned)
    if len(numbers) != 3 or leftover:
        raise ValueError(f"{text!r} is not a date (write it as "
                         f"{format_date(dt.date(2024, 6, 30), lang)}).")
    parts = dict(zip(_date_order(lang), (int(n) for n in numbers), strict=True))
    year = parts["y"] + 2000 if parts["y"] < 100 else parts["y"]
    try:
        return dt.date(year, parts["m"], parts["d"])
    except ValueError:
        raise ValueError(f"{text!r} is not a date: {parts['m']}/{parts['d']} is no day of "
                         f"the year {year}.") from None


def parse_datetime(text: str, lang: str, tz: str | None = None) -> dt.datetime:
    """A date and time typed in the user's time zone, as stored (UTC, naive)."""
    cleaned = (text or "").strip()
    match = re.fullmatch(r"(.*?)[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?", cleaned)
    if not match:
        day, clock = parse_date(cleaned, lang), (0, 0, 0)
    else:
        day = parse_date(match.group(1), lang)
        clock = (int(match.group(2)), int(match.group(3)), int(match.group(4) or 0))
    try:
        local = dt.datetime(day.year, day.month, day.day, *clock, tzinfo=user_timezone(tz))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day (write it as 14:30:00).") from None
    return local.astimezone(dt.UTC).replace(tzinfo=None)

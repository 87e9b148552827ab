"""core/i18n/format.py: numbers, amounts and dates in en_US and zh_TW, and back."""

from __future__ import annotations

import datetime as dt

import pytest

from core.i18n.format import (
    babel_locale,
    date_pattern,
    format_amount,
    format_date,
    format_datetime,
    format_number,
    parse_date,
    parse_datetime,
    parse_number,
)

NBSP = "\u00a0"


def test_language_codes_map_to_cldr_locales():
    assert str(babel_locale("en_US")) == "en_US"
    assert str(babel_locale("zh_TW")) == "zh_Hant_TW"
    assert str(babel_locale("zh-TW")) == "zh_Hant_TW"
    assert str(babel_locale("xx_YY")) == "en_US"     # unknown: English
    assert str(babel_locale(None)) == "en_US"


@pytest.mark.parametrize("lang", ["en_US", "zh_TW"])
def test_numbers(lang):
    assert format_number(1234.5, lang, digits=2) == "1,234.50"
    assert format_number(1234567, lang, digits=0) == "1,234,567"
    assert format_number(1234.5678, lang) == "1,234.5678"
    assert format_number(2.675, lang, digits=2) == "2.68"       # half away from zero
    assert format_number(-2.5, lang, digits=0) == "-3"
    assert format_number(-0.004, lang, digits=2) == "0.00"      # never "-0.00"
    assert format_number(1234.5, lang, digits=2, grouping=False) == "1234.50"


@pytest.mark.parametrize(("code", "en", "zh"), [
    ("USD", "-$1,234.50", "-US$1,234.50"),
    ("TWD", "-NT$1,234.50", "-$1,234.50"),
    ("JPY", "-¥1,235", "-¥1,235"),
    ("EUR", "-€1,234.50", "-€1,234.50"),
])
def test_amounts_by_iso_code_follow_cldr(code, en, zh):
    assert format_amount(-1234.5, code, "en_US") == en
    assert format_amount(-1234.5, code, "zh_TW") == zh


class Currency:
    """What format_amount reads of a res.currency record."""

    def __init__(self, name, symbol, position, decimal_places):
        self.name, self.symbol = name, symbol
        self.position, self.decimal_places = position, decimal_places


def test_amounts_of_a_currency_record_use_its_settings():
    eur_after = Currency("EUR", "€", "after", 2)
    assert format_amount(1234.5, eur_after, "en_US") == f"1,234.50{NBSP}€"
    assert format_amount(-1234.5, eur_after, "zh_TW") == f"-1,234.50{NBSP}€"
    chf = Currency("CHF", "CHF", "before", 2)
    assert format_amount(10, chf, "en_US") == f"CHF{NBSP}10.00"
    jpy = Currency("JPY", "¥", "before", 0)
    assert format_amount(1234.5, jpy, "zh_TW") == "¥1,235"


def test_amounts_with_the_currencies_of_base(env):
    """USD, TWD, JPY and EUR as base loads them from CLDR."""
    usd, twd, jpy, eur = (env.ref(f"base.{code}") for code in ("USD", "TWD", "JPY", "EUR"))
    assert jpy.decimal_places == 0
    assert format_amount(1234.5, usd, "en_US") == "$1,234.50"
    assert format_amount(1234.5, twd, "zh_TW") == "NT$1,234.50"
    assert format_amount(1234.5, jpy, "en_US") == "¥1,235"
    assert format_amount(1234.5, eur, "zh_TW") == "€1,234.50"
    assert format_amount(0.001, usd, "en_US") == "$0.00"


def test_dates():
    day = dt.date(2024, 6, 3)
    assert date_pattern("en_US") == "MM/dd/yyyy"
    assert date_pattern("zh_TW") == "yyyy/MM/dd"
    assert format_date(day, "en_US") == "06/03/2024"
    assert format_date(day, "zh_TW") == "2024/06/03"
    assert format_date("2024-06-03", "zh_TW") == "2024/06/03"
    assert format_date(day, "en_US", "medium") == "Jun 3, 2024"
    assert format_date(day, "zh_TW", "long") == "2024年6月3日"
    assert format_date(False, "en_US") == ""


def test_datetimes_are_shown_in_the_users_timezone():
    stored = dt.datetime(2024, 6, 30, 20, 5, 9)       # UTC
    assert format_datetime(stored, "zh_TW", "Asia/Taipei") == "2024/07/01 04:05:09"
    assert format_datetime(stored, "en_US", "America/New_York") == "06/30/2024 16:05:09"
    assert format_datetime(stored, "en_US", None) == "06/30/2024 20:05:09"
    assert format_datetime(stored, "en_US", "Not/A_Zone") == "06/30/2024 20:05:09"
    assert format_datetime("2024-06-30 20:05:09", "zh_TW", "Asia/Taipei") == \
        "2024/07/01 04:05:09"


@pytest.mark.parametrize("lang", ["en_US", "zh_TW"])
@pytest.mark.parametrize("value", [0.0, 1234.5, -98765.43, 1e9 + 0.25])
def test_number_round_trip(lang, value):
    assert parse_number(format_number(value, lang, digits=2), lang) == round(value, 2)


@pytest.mark.parametrize("lang", ["en_US", "zh_TW"])
def test_date_and_datetime_round_trips(lang):
    for day in (dt.date(2024, 2, 29), dt.date(1999, 12, 31), dt.date(2030, 1, 1)):
        assert parse_date(format_date(day, lang), lang) == day
    stored = dt.datetime(2024, 6, 30, 20, 5, 9)
    for tz in ("Asia/Taipei", "Europe/Berlin", None):
        assert parse_datetime(format_datetime(stored, lang, tz), lang, tz) == stored


def test_parsing_accepts_what_people_type():
    assert parse_number(" 1234.5 ", "en_US") == 1234.5
    assert parse_number("-1,234", "zh_TW") == -1234.0
    assert parse_date("2024-06-03", "en_US") == dt.date(2024, 6, 3)      # ISO always
    assert parse_date("6/3/24", "en_US") == dt.date(2024, 6, 3)
    assert parse_date("2024年6月3日", "zh_TW") == dt.date(2024, 6, 3)
    assert parse_datetime("2024/06/03 9:30", "zh_TW", "Asia/Taipei") == \
        dt.datetime(2024, 6, 3, 1, 30)
    assert parse_datetime("06/03/2024", "en_US") == dt.datetime(2024, 6, 3)


@pytest.mark.parametrize(("function", "text", "message"), [
    (parse_number, "abc", "'abc' is not a number (write it as 1,234.56)."),
    (parse_number, "1,2,3", "'1,2,3' is not a number"),
    (parse_number, "", "A number is required."),
    (parse_date, "31/31/2024", "is not a date: 31/31 is no day"),
    (parse_date, "tomorrow", "'tomorrow' is not a date (write it as 06/30/2024)."),
    (parse_datetime, "06/03/2024 25:00", "is not a time of day"),
])
def test_parsing_errors_say_what_is_expected(function, text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        function(text, "en_US")

"""Reference data from babel's CLDR: currencies and countries, in English and Chinese.

    from addons.base.data_loaders import load_countries, load_currencies
    load_currencies(env)      # every ISO 4217 currency; base.USD, base.TWD ...
    load_countries(env)       # every ISO 3166 country; base.us, base.tw ...

Both run from ``base``'s post-install hook (``post_init_hook``) and can
run again at any time: a record is found by its external id (or, for
records made by hand, by its code) and updated, never duplicated. An
update refreshes the names in every language; the settings an
administrator may have changed (a currency's activation, symbol or
rounding, a country's currency) are only filled in when empty.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable

from babel import Locale
from babel.numbers import (
    get_currency_precision,
    get_currency_symbol,
    get_territory_currencies,
    list_currencies,
)

from core.orm.environment import Environment

MODULE = "base"
LANGUAGES = ("en_US", "zh_TW")
ACTIVE_CURRENCIES = ("USD", "EUR", "CNY", "TWD", "JPY", "GBP", "HKD")
#: two-letter CLDR territories that are not ISO 3166-1 countries: groupings
#: (EU, EZ, UN), the unknown region (ZZ), pseudo-locales (XA, XB), outlying
#: parts (QO) and exceptionally reserved codes (AC, CP, CQ, DG, EA, IC, TA)
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                           "XA", "XB", "ZZ"})


def post_init_hook(env: Environment) -> None:
    """What ``base`` does once installed: reference data and system parameters."""
    load_currencies(env)
    load_countries(env)
    init_config_parameters(env)


# ---------------------------------------------------------------------------
# currencies
# ---------------------------------------------------------------------------
def currency_values() -> dict[str, dict]:
    """{ISO code: values of res.currency} for every currency CLDR knows."""
    locales = {lang: Locale.parse(lang) for lang in LANGUAGES}
    english = locales["en_US"]
    symbol_first = english.currency_formats["standard"].pattern.lstrip().startswith("¤")
    result = {}
    for code in sorted(list_currencies()):
        if len(code) != 3 or not code.isalpha():
            continue
        digits = get_currency_precision(code)
        names = {lang: locale.currencies.get(code) or english.currencies.get(code) or code
                 for lang, locale in locales.items()}
        result[code] = {
            "name": code,
            "names": names,
            "symbol": get_currency_symbol(code, "en_US") or code,
            "rounding": 10.0 ** -digits,
            "position": "before" if symbol_first else "after",
            "active": code in ACTIVE_CURRENCIES,
        }
    return result


def load_currencies(env: Environment):
    """Create or update a res.currency per ISO 4217 code (ids ``base.<CODE>``)."""
    env = env(su=True)
    catalog = currency_values()
    Currency = env["res.currency"].with_context(active_test=False)  # noqa: N806
    found = _existing(env, "res.currency", "name", catalog)
    new_codes = [code for code in catalog if code not in found]
    values_list = [{**_plain(catalog[code]), "full_name": catalog[code]["names"]["en_US"]}
                   for code in new_codes]
    created = Currency.with_context(lang="en_US").create(values_list) if values_list \
        else Currency.browse()
    found.update(zip(new_codes, created, strict=True))
    for code, currency in _batch(found):
        fill = {key: catalog[code][key] for key in ("symbol", "rounding") if not currency[key]}
        if fill:
            currency.write(fill)
    _set_translations(found, "full_name", {code: catalog[code]["names"] for code in found})
    _register_xmlids(env, "res.currency", {code: record.id for code, record in found.items()})
    return Currency.browse([record.id for record in found.values()])


# ---------------------------------------------------------------------------
# countries
# ---------------------------------------------------------------------------
def country_codes() -> list[str]:
    english = Locale.parse("en_US")
    return sorted(code for code in english.territories
                  if len(code) == 2 and code.isalpha() and code.isupper()
                  and code not in NOT_COUNTRIES)


def load_countries(env: Environment):
    """Create or update a res.country per ISO 3166 code (ids ``base.<code>``:
    ``base.tw``), with its currency when that currency exists."""
    env = env(su=True)
    locales = {lang: Locale.parse(lang) for lang in LANGUAGES}
    english = locales["en_US"]
    codes = country_codes()
    names = {code: {lang: locale.territories.get(code) or english.territories[code]
                    for lang, locale in locales.items()} for code in codes}
    Country = env["res.country"].with_context(active_test=False)  # noqa: N806
    currencies = {currency.name: currency.id for currency in
                  env["res.currency"].with_context(active_test=False).search([])}
    found = _existing(env, "res.country", "code", {code.lower(): None for code in codes},
                      key=str.upper)
    found = {code: found[code.lower()] for code in codes if code.lower() in found}
    today = dt.date.today()
    new_codes = [code for code in codes if code not in found]
    created = Country.with_context(lang="en_US").create([
        {"name": names[code]["en_US"], "code": code,
         "currency_id": _territory_currency(code, today, currencies)}
        for code in new_codes]) if new_codes else Country.browse()
    found.update(zip(new_codes, created, strict=True))
    for code, country in _batch(found):
        if not country.currency_id:
            currency_id = _territory_currency(code, today, currencies)
            if currency_id:
                country.write({"currency_id": currency_id})
    _set_translations(found, "name", names)
    _register_xmlids(env, "res.country",
                     {code.lower(): record.id for code, record in found.items()})
    return Country.browse([record.id for record in found.values()])


def _territory_currency(code: str, date: dt.date, currencies: dict[str, int]) -> int | bool:
    for currency in get_territory_currencies(code, date, tender=True, non_tender=False):
        if currency in currencies:
            return currencies[currency]
    return False


# ---------------------------------------------------------------------------
# system parameters
# ---------------------------------------------------------------------------
def init_config_parameters(env: Environment) -> None:
    """The parameters every database has: its secret, its uuid, its creation date."""
    Params = env(su=True)["ir.config_parameter"]  # noqa: N806
    defaults = {
        "database.secret": lambda: secrets.token_hex(32),
        "database.uuid": lambda: str(uuid.uuid1()),
        "database.create_date": lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    for key, make in defaults.items():
        if not Params.get_param(key):
            Params.set_param(key, make())


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _plain(values: dict) -> dict:
    return {key: value for key, value in values.items() if key != "names"}


def _existing(env: Environment, model: str, code_field: str, wanted: Iterable[str],
              key=lambda name: name) -> dict:
    """{external id name: record} of the records that exist already: by their
    external id ``base.<name>``, else by their code (``key(name)``)."""
    wanted = list(wanted)
    records = env[model].with_context(active_test=False)
    data = env["ir.model.data"].search([("module", "=", MODULE), ("model", "=", model),
                                        ("name", "in", wanted)])
    by_id = {entry.name: entry.res_id for entry in data}
    alive = set(records.browse(list(by_id.values())).exists().ids)
    found = {name: records.browse(res_id) for name, res_id in by_id.items() if res_id in alive}
    missing = [name for name in wanted if name not in found]
    if missing:
        by_code = {record[code_field]: record for record in
                   records.search([(code_field, "in", [key(name) for name in missing])])}
        for name in missing:
            if key(name) in by_code:
                found[name] = by_code[key(name)]
    return found


def _batch(records: dict, lang: str | None = None) -> Iterable[tuple[str, object]]:
    """(code, record) of {code: record}, the records read together (one query)."""
    if not records:
        return []
    codes = {record.id: code for code, record in records.items()}
    batch = next(iter(records.values())).browse(list(codes))
    if lang:
        batch = batch.with_context(lang=lang)
    return [(codes[record.id], record) for record in batch]


def _set_translations(records: dict, field: str, names: dict[str, dict[str, str]]) -> None:
    """Write each record's name in every language where it differs."""
    for lang in LANGUAGES:
        changed = {record.id: names[code][lang] for code, record in _batch(records, lang)
                   if record[field] != names[code][lang]}
        if changed:
            model = next(iter(records.values()))
            model.with_context(lang=lang).update_field_translations(field, changed, lang)


def _register_xmlids(env: Environment, model: str, ids: dict[str, int]) -> None:
    """Give every record its external id ``base.<name>`` (or point a stale one at it)."""
    Data = env["ir.model.data"]  # noqa: N806
    entries = {entry.name: entry for entry in Data.search(
        [("module", "=", MODULE), ("name", "in", list(ids))])}
    to_create = []
    for name, res_id in ids.items():
        entry = entries.get(name)
        if entry is None:
            to_create.append({"module": MODULE, "name": name, "model": model,
                              "res_id": res_id, "noupdate": True})
        elif entry.model != model or entry.res_id != res_id:
            entry.write({"model": model, "res_id": res_id})
    if to_create:
        Data.create(to_create)

"""Translations and locale formatting (babel), English source, Traditional Chinese shipped.

    from core.i18n import _, _lt, format_amount, format_date

    raise UserError(_(env, "Order %s is locked.", order.name))   # in env.lang
    LABEL = _lt("Draft")                  # marked now, translated with _(env, LABEL)
    env["res.partner"].with_context(lang="zh_TW").fields_get(["name"])  # labels in zh_TW
    format_amount(1234.5, env.ref("base.TWD"), "zh_TW")               # 'NT$1,234.50'

Parts:

- ``catalogs``: ``<addon>/i18n/<lang>.po`` read with babel, cached per process,
  merged over the installed modules (``translations(lang, modules)``);
- ``translate``: ``_`` / ``_lt`` for code, model descriptions, field labels,
  help and selection labels (``fields_get``);
- ``records``: translated field values (``translate=True``) filled from the
  catalogs when a module is installed or upgraded;
- ``arch``: the view architecture translator, one of ``core.views.ARCH_POSTPROCESSORS``
  (``core/views/__init__.py`` appends it);
- ``web``: jinja2 gettext per language and the language of a request;
- ``format``: numbers, amounts, dates in a language, and parsing them back;
- ``extract`` and ``command``: ``python server.py i18n extract|update|load``.

See docs/i18n.md.
"""

from __future__ import annotations

from core.i18n.arch import translate_arch
from core.i18n.catalogs import (
    SOURCE_LANG,
    WEB,
    Catalog,
    CatalogError,
    clear_cache,
    load_module_catalog,
    merged_catalog,
    translations,
)
from core.i18n.format import (
    babel_locale,
    format_amount,
    format_date,
    format_datetime,
    format_number,
    parse_date,
    parse_datetime,
    parse_number,
)
from core.i18n.translate import (
    LazyText,
    Translator,
    _,
    _lt,
    field_string,
    model_description,
    selection_label,
    translate,
    translate_fields_get,
)
from core.i18n.web import jinja_environment, login_lang, request_lang

__all__ = [
    "SOURCE_LANG", "WEB", "Catalog", "CatalogError", "LazyText", "Translator", "_", "_lt",
    "babel_locale", "clear_cache", "field_string", "format_amount", "format_date",
    "format_datetime", "format_number", "jinja_environment", "load_module_catalog",
    "login_lang", "merged_catalog", "model_description", "parse_date", "parse_datetime",
    "parse_number", "request_lang", "selection_label",
    "translate", "translate_arch", "translate_fields_get", "translations",
]

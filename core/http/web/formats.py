"""Values as a person reads them in lists and forms, in their language and timezone.

    display(desc, value, ctx)        # '1,234.50', '2026/11/26 21:05', 'Acme', 'Yes'
    condition_value(desc, value)     # many2one (7, 'Acme') -> 7, as conditions compare

``ctx`` is a ``FormatContext`` of the request (language, timezone,
currencies). Numbers, amounts and dates go through ``core.i18n.format``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.http.web.i18n import _, translate
from core.i18n import format as i18n
from core.orm.environment import Environment


@dataclass
class FormatContext:
    lang: str
    tz: str | None
    #: currency id -> res.currency record, filled on demand
    currencies: dict[int, Any] = field(default_factory=dict)
    env: Environment | None = None

    @classmethod
    def of(cls, env: Environment) -> FormatContext:
        return cls(lang=env.context.get("lang") or "en_US", tz=env.context.get("tz") or None,
                   env=env)

    def zone(self) -> dt.tzinfo:
        try:
            return ZoneInfo(self.tz) if self.tz else dt.UTC
        except (ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    def currency(self, value: Any) -> Any:
        """The res.currency record of a read() many2one value (or None)."""
        currency_id = value[0] if isinstance(value, (list, tuple)) and value else value
        if not currency_id or self.env is None or not isinstance(currency_id, int):
            return None
        if currency_id not in self.currencies:
            self.currencies[currency_id] = self.env["res.currency"].browse(currency_id)
        return self.currencies[currency_id]

def to_local(value: dt.datetime, ctx: FormatContext) -> dt.datetime:
    """A stored (naive UTC) datetime in the user's timezone, naive."""
    return value.replace(tzinfo=dt.UTC).astimezone(ctx.zone()).replace(tzinfo=None)


def to_utc(value: dt.datetime, ctx: FormatContext) -> dt.datetime:
    """A naive datetime typed in the user's timezone, as stored (naive UTC)."""
    return value.replace(tzinfo=ctx.zone()).astimezone(dt.UTC).replace(tzinfo=None)


def display(desc: dict, value: Any, ctx: FormatContext, row: dict | None = None) -> str:
    """The text of a value (read() form) for a list cell or a read-only field."""
    kind = desc.get("type")
    if kind == "boolean":
        return translate(ctx.env, _("Yes") if value else _("No"))
    if value is False or value is None:
        return ""
    if kind == "many2one":
        return value[1] if isinstance(value, (list, tuple)) else str(value)
    if kind == "selection":
        return str(dict(desc.get("selection") or []).get(value, value))
    if kind == "integer":
        return i18n.format_number(value, ctx.lang, 0)
    if kind == "float":
        digits = desc.get("digits")
        return i18n.format_number(value, ctx.lang, digits[1] if isinstance(
            digits, (list, tuple)) and len(digits) == 2 else 2)
    if kind == "monetary":
        currency = ctx.currency((row or {}).get(desc.get("currency_field") or "currency_id"))
        return i18n.format_amount(value, currency, ctx.lang) if currency \
            else i18n.format_number(value, ctx.lang, 2)
    if kind == "date":
        return i18n.format_date(value, ctx.lang)
    if kind == "datetime":
        return i18n.format_datetime(value, ctx.lang, ctx.tz)
    if kind in ("one2many", "many2many"):
        return translate(ctx.env, _("%(count)s records", count=len(value))) if value else ""
    if kind == "binary":
        return translate(ctx.env, _("(file)"))
    return str(value)


def condition_value(desc: dict | None, value: Any) -> Any:
    """A read() value as view conditions compare it: ids for relations, ISO dates."""
    if isinstance(value, tuple):
        return value[0]
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def input_value(desc: dict, value: Any, ctx: FormatContext) -> str:
    """The text an <input> starts with (browsers' own formats for dates)."""
    if value is False or value is None:
        return ""
    kind = desc.get("type")
    if kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if kind == "datetime":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return to_local(value, ctx).strftime("%Y-%m-%dT%H:%M")
    if kind == "many2one":
        return value[1] if isinstance(value, (list, tuple)) else ""
    if kind in ("float", "monetary"):
        digits = desc.get("digits")
        places = digits[1] if isinstance(digits, (list, tuple)) and len(digits) == 2 else 2
        return i18n.format_number(value, ctx.lang, places, grouping=False)
    if kind == "integer":
        return str(value)
    return str(value)


"""Reading what a person typed into a form field back into an ORM value.

    parsed = parse_field(env, desc, form, "amount", fmt)
    parsed.value      # 1234.5 (write() form), or None when it did not parse
    parsed.shown      # what the form shows again (read() form)
    parsed.error      # "Enter a number" / None

Inputs are named after the field; a many2one posts its id in ``<name>``
and the text in ``<name>__display`` (a name typed without picking is
looked up with ``name_search``, as the user); a boolean posts a hidden
``0`` before its checkbox; numbers take the user's grouping separators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from core.http.web.formats import FormatContext, to_utc
from core.http.web.i18n import _
from core.i18n.format import parse_number
from core.orm.environment import Environment

#: marks a field that was on the form even when no value of it was posted
PRESENT = "__present"


@dataclass
class Parsed:
    value: Any = None
    shown: Any = False
    raw: str | None = None
    error: str | None = None


def _number(text: str, integer: bool, lang: str) -> Any:
    value = parse_number(text, lang)
    if integer:
        if value != int(value):
            raise ValueError(text)
        return int(value)
    return value


def parse_text(env: Environment, desc: dict, text: str, fmt: FormatContext,
               display_text: str | None = None) -> Parsed:
    """A single posted value of a field of type ``desc['type']``."""
    kind = desc["type"]
    text = text if text is not None else ""
    stripped = text.strip()
    if kind in ("char", "text", "html"):
        value = text if kind != "char" else stripped
        return Parsed(value or False, value or False)
    if kind == "boolean":
        value = stripped in ("1", "on", "true", "True")
        return Parsed(value, value)
    if not stripped and kind != "many2one":
        return Parsed(False, False)
    try:
        if kind in ("integer", "float", "monetary"):
            value = _number(stripped, kind == "integer", fmt.lang)
            return Parsed(value, value)
        if kind == "date":
            value = dt.date.fromisoformat(stripped)
            return Parsed(value, value)
        if kind == "datetime":
            local = dt.datetime.fromisoformat(stripped)
            return Parsed(to_utc(local, fmt), to_utc(local, fmt))
    except ValueError:
        message = {"integer": _("Enter a whole number."), "date": _("Enter a date."),
                   "datetime": _("Enter a date and a time.")}.get(kind, _("Enter a number."))
        return Parsed(None, False, text, message)
    if kind == "selection":
        keys = {str(k): k for k, _label in desc.get("selection") or []}
        if stripped not in keys:
            return Parsed(None, False, text, _("Choose one of the options."))
        return Parsed(keys[stripped], keys[stripped])
    if kind == "many2one":
        return _many2one(env, desc, stripped, display_text)
    return Parsed(text, text)


def _many2one(env: Environment, desc: dict, id_text: str, display_text: str | None
              ) -> Parsed:
    comodel = env[desc["relation"]]
    typed = (display_text or "").strip()
    if id_text.isdigit():
        record = comodel.browse(int(id_text)).exists()
        if record and (display_text is None or typed == record.display_name):
            return Parsed(record.id, (record.id, record.display_name))
    if not typed:
        return Parsed(False, False)
    found = comodel.name_search(typed, limit=2)
    exact = [item for item in found if item[1].lower() == typed.lower()]
    if len(found) == 1 or len(exact) == 1:
        record_id, name = (exact or found)[0]
        return Parsed(record_id, (record_id, name))
    message = _("No record matches %(text)s.", text=typed) if not found else \
        _("Several records match %(text)s; pick one from the list.", text=typed)
    return Parsed(None, False, typed, message)


def parse_field(env: Environment, desc: dict, form: MultiDict, name: str,
                fmt: FormatContext) -> Parsed:
    """The value posted for field ``name`` (the last one of a boolean's pair)."""
    values = form.getlist(name)
    text = values[-1] if values else ""
    display_text = form.get(f"{name}__display") if desc["type"] == "many2one" else None
    return parse_text(env, desc, text, fmt, display_text)


def is_empty(value: Any, kind: str) -> bool:
    if kind == "boolean":
        return False
    if kind in ("integer", "float", "monetary"):
        return value is None or value is False
    return value in (None, False, "", [], ())


def unchanged(value: Any, stored: Any, kind: str) -> bool:
    """Whether a parsed value is what the record holds (``stored`` as ``read``
    gives it). A form posts every field; writing one that did not change would
    still recompute what depends on it (a typed price, from the price list)."""
    if kind == "many2one":
        stored = stored[0] if isinstance(stored, (list, tuple)) and stored else False
        return (value or False) == stored
    if kind == "many2many":
        ids = value[0][2] if value and len(value) == 1 and value[0][0] == 6 else None
        return ids is not None and set(ids) == set(stored or [])
    if kind in ("one2many", "binary"):
        return False
    if is_empty(value, kind) and is_empty(stored, kind):
        return True
    if kind in ("integer", "float", "monetary"):
        return not is_empty(value, kind) and not is_empty(stored, kind) \
            and float(value) == float(stored)
    return value == stored

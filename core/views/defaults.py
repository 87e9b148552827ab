"""Views generated for models that have none of a type.

    arch = default_arch(env, "res.partner", "list")
    # <list string="Contact"><field name="name"/><field name="email"/>...</list>

The generated archs use the stored fields the user may read, without the
magic columns and computed or related fields:

- form: a sheet with the name (``_rec_name``) first, the other simple
  fields in two columns, text/HTML and x2many fields in notebook pages;
- list: the name and up to six other simple fields;
- search: the name and other char fields, an *Archived* filter when the
  model has ``active``, group-by filters on many2one and selection fields;
- kanban: a card with the name and up to three other simple fields;
- calendar: the first date or datetime field (a ViewError without one);
- graph and pivot: the first many2one or selection field as row; the
  measure is the record count (a view without a measure counts records).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml.builder import E

from core.security import access
from core.views.arch import ViewError, normalise_type

if TYPE_CHECKING:
    from core.orm.environment import Environment

MAGIC = frozenset({"id", "create_uid", "create_date", "write_uid", "write_date",
                   "display_name"})
SIMPLE = ("char", "many2one", "selection", "date", "datetime", "monetary", "float",
          "integer", "boolean")
LONG = ("text", "html")
X2MANY = ("one2many", "many2many")
LIST_FIELDS = 6
KANBAN_FIELDS = 3
SEARCH_FIELDS = 5


def default_arch(env: Environment, model: str, view_type: str) -> etree._Element:
    """A usable arch of ``view_type`` for ``model`` (see the module docstring)."""
    view_type = normalise_type(view_type)
    if model not in env.registry:
        raise ViewError(f"Unknown model {model!r}")
    records = env[model]
    fields = visible_fields(env, model)
    builder = _BUILDERS[view_type]
    return builder(records, fields)


def visible_fields(env: Environment, model: str) -> dict[str, Any]:
    """The stored fields of ``model`` the user may read, in declaration order."""
    records = env[model]
    check = access.enabled(env)
    return {name: field for name, field in records._fields.items()
            if field.store and name not in MAGIC and not field.compute and not field.related
            and not (check and not access.field_allowed(records, field))}


def _name(records: Any, fields: dict[str, Any]) -> str | None:
    rec_name = records._rec_name
    return rec_name if rec_name in fields else None


def _title(records: Any) -> str:
    return records._description or records._name


def _simple(records: Any, fields: dict[str, Any], skip: str | None) -> list[str]:
    return [name for name, field in fields.items()
            if field.type in SIMPLE and name != skip and name != "active"]


def _form(records: Any, fields: dict[str, Any]) -> etree._Element:
    name = _name(records, fields)
    sheet = E.sheet()
    if name:
        sheet.append(E.div(E.h1(E.field(name=name)), {"class": "oe_title"}))
    simple = _simple(records, fields, name)
    if simple:
        half = (len(simple) + 1) // 2
        sheet.append(E.group(E.group(*[E.field(name=n) for n in simple[:half]]),
                             E.group(*[E.field(name=n) for n in simple[half:]]),
                             name="main"))
    pages = [E.page(E.field(name=field_name), string=field.string or field_name,
                    name=field_name)
             for field_name, field in fields.items() if field.type in LONG + X2MANY]
    if pages:
        sheet.append(E.notebook(*pages))
    return E.form(sheet, string=_title(records))


def _list(records: Any, fields: dict[str, Any]) -> etree._Element:
    name = _name(records, fields)
    names = ([name] if name else []) + _simple(records, fields, name)[:LIST_FIELDS]
    return E.list(*[E.field(name=n) for n in names], string=_title(records))


def _search(records: Any, fields: dict[str, Any]) -> etree._Element:
    name = _name(records, fields)
    chars = [n for n, field in fields.items() if field.type == "char" and n != name]
    search = E.search(*[E.field(name=n) for n in ([name] if name else []) + chars
                        [:SEARCH_FIELDS]], string=_title(records))
    if "active" in fields and fields["active"].type == "boolean":
        search.append(E.separator())
        search.append(E.filter(name="inactive", string="Archived",
                               domain="[('active', '=', False)]"))
    groupable = [n for n, field in fields.items()
                 if field.type in ("many2one", "selection") and field.column_backed]
    if groupable:
        search.append(E.group(*[
            E.filter(name=f"groupby_{n}", string=fields[n].string or n,
                     context=f"{{'group_by': '{n}'}}") for n in groupable],
            expand="0", string="Group By"))
    return search


def _kanban(records: Any, fields: dict[str, Any]) -> etree._Element:
    name = _name(records, fields)
    body = E.div({"class": "oe_kanban_global_click"})
    if name:
        body.append(E.strong(E.field(name=name)))
    for other in _simple(records, fields, name)[:KANBAN_FIELDS]:
        body.append(E.div(E.field(name=other)))
    return E.kanban(E.templates(E.t(body, {"t-name": "kanban-box"})), string=_title(records))


def _calendar(records: Any, fields: dict[str, Any]) -> etree._Element:
    dates = [n for n, field in fields.items() if field.type in ("date", "datetime")]
    if not dates:
        raise ViewError(f"Model {records._name!r} has no date or datetime field for a "
                        "calendar view")
    name = _name(records, fields)
    calendar = E.calendar(date_start=dates[0], string=_title(records), mode="month")
    if name:
        calendar.append(E.field(name=name))
    return calendar


def _rows(records: Any, fields: dict[str, Any], tag: str) -> etree._Element:
    view = etree.Element(tag, string=_title(records))
    rows = [n for n, field in fields.items()
            if field.type in ("many2one", "selection") and field.column_backed]
    if rows:
        view.append(E.field(name=rows[0], type="row"))
    return view


_BUILDERS = {
    "form": _form, "list": _list, "search": _search, "kanban": _kanban,
    "calendar": _calendar,
    "graph": lambda records, fields: _rows(records, fields, "graph"),
    "pivot": lambda records, fields: _rows(records, fields, "pivot"),
}

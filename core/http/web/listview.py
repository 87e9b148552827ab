"""The list view: columns from the arch, sorting, paging, totals, groups, inline edits.

    renderer = ListRenderer(action_page)    # registered for view_type "list"
    renderer.render()                       # the page: web/list.html
    # ?fragment=group&gdomain=[...]&level=1 : the rows (or sub-groups) of one group

A page reads its records in a fixed number of queries whatever their
count: one search, one read per table (``read``), one count, one
``read_group`` for the totals, one read per many2many column for the tag
names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from core.http.web.conditions import Condition, compile_condition, condition_fields
from core.http.web.formats import FormatContext, condition_value, display, input_value
from core.http.web.i18n import _
from core.http.web.renderers import SELECTION_ACTIONS, ViewRenderer, register_view_type
from core.orm import domain as dom
from core.orm.html_sanitizer import sanitize

DECORATIONS = ("danger", "warning", "success", "info", "muted", "bf", "it", "primary")
EDITABLE_TYPES = ("char", "text", "integer", "float", "monetary", "date", "datetime",
                  "selection", "boolean", "many2one")


@dataclass
class Column:
    name: str
    string: str
    desc: dict
    widget: str | None
    optional: str | None
    sortable: bool
    aggregate: str | None
    invisible: Condition | None
    readonly: Condition | None
    required: Condition | None

    @property
    def type(self) -> str:
        return self.desc["type"]

    @property
    def cell_class(self) -> str:
        hidden = " o-optional-hidden" if self.optional == "hide" else ""
        return f"o-cell o-type-{self.type}{hidden}"

    def meta(self) -> dict:
        """What the inline editor of static/web.js needs of the column."""
        meta = {"name": self.name, "type": self.type, "string": self.string,
                "widget": self.widget, "editable": self.type in EDITABLE_TYPES
                and not self.desc.get("readonly"),
                "readonly": self.readonly.to_json() if self.readonly else False,
                "required": self.required.to_json() if self.required else
                bool(self.desc.get("required"))}
        if self.type == "selection":
            meta["selection"] = self.desc.get("selection") or []
        if self.type == "many2one":
            meta["relation"] = self.desc.get("relation")
        return meta


@dataclass
class Row:
    id: int
    cells: list[dict]
    classes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    html: Markup = field(default_factory=Markup)


class ListRenderer(ViewRenderer):
    view_type = "list"
    icon = "☰"
    template = "web/list.html"

    def __init__(self, action: Any):
        super().__init__(action)
        self.view = action.view("list")
        self.arch = self.view.arch
        self.fields = self.view.fields
        self.columns = self._columns()
        self.fmt = FormatContext.of(action.env)
        self.decorations = {name: compile_condition(self.arch.get(f"decoration-{name}"))
                            for name in DECORATIONS if self.arch.get(f"decoration-{name}")}

    # -- columns -----------------------------------------------------------------
    def _columns(self) -> list[Column]:
        columns = []
        for node in self.arch.iterchildren("field"):
            name = node.get("name")
            desc = self.fields.get(name)
            if desc is None:
                continue
            hidden = compile_condition(node.get("column_invisible"))
            if hidden is not None and hidden.evaluate(self.action.model.env.context):
                continue
            if node.get("widget") == "handle":
                continue
            aggregate = "sum" if node.get("sum") else ("avg" if node.get("avg") else None)
            columns.append(Column(
                name=name, string=node.get("string") or desc.get("string") or name, desc=desc,
                widget=node.get("widget"), optional=node.get("optional"),
                sortable=bool(desc.get("sortable")), aggregate=aggregate,
                invisible=compile_condition(node.get("invisible")),
                readonly=compile_condition(node.get("readonly")),
                required=compile_condition(node.get("required"))))
        return columns

    def _read_fields(self) -> list[str]:
        names = {c.name for c in self.columns}
        names |= condition_fields(*self.decorations.values(),
                                  *(c.invisible for c in self.columns),
                                  *(c.readonly for c in self.columns),
                                  *(c.required for c in self.columns))
        for column in self.columns:
            if column.type == "monetary":
                names.add(column.desc.get("currency_field") or "currency_id")
        model_fields = self.action.fields
        return sorted(name for name in names if name in model_fields)

    # -- order -------------------------------------------------------------------
    def order(self) -> str | None:
        order = self.action.search.order or self.arch.get("default_order")
        if not order:
            return None
        parts = []
        for part in order.split(","):
            name = part.strip().split(" ")[0]
            desc = self.action.fields.get(name)
            if desc and desc.get("sortable"):
                parts.append(part.strip())
        return ", ".join(parts) or None

    def sort_links(self) -> dict[str, tuple[str, str | None]]:
        """{column: (url, 'asc'|'desc'|None)}: clicking sorts by it, again reverses."""
        current = (self.action.search.state.order or "").split(",")[0].strip().split(" ")
        links = {}
        for column in self.columns:
            if not column.sortable:
                continue
            direction = None
            if current[0] == column.name:
                direction = current[1] if len(current) > 1 else "asc"
            new = f"{column.name} desc" if direction == "asc" else column.name
            links[column.name] = (self.action.list_url(order=new, page=1), direction)
        return links

    # -- rows ----------------------------------------------------------------------
    def rows(self, records: Any) -> list[Row]:
        """Rows of ``records`` (already searched), in one read and one tag lookup."""
        names = self._read_fields()
        data = records.read(names) if records else []
        tags = self._tag_names(data)
        rows = []
        for values in data:
            cond_values = {n: condition_value(self.action.fields.get(n), values.get(n))
                           for n in names}
            cond_values["id"] = values["id"]
            row = Row(id=values["id"], cells=[],
                      values=self._raw(values) if self.arch.get("editable") else {})
            for name, condition in self.decorations.items():
                if condition.evaluate(cond_values):
                    row.classes.append(f"text-{name}")
            for column in self.columns:
                hidden = column.invisible is not None and column.invisible.evaluate(
                    cond_values)
                row.cells.append(self._cell(column, values, tags, hidden))
            row.html = self._cells_html(row)
            rows.append(row)
        return rows

    def _cells_html(self, row: Row) -> Markup:
        """The <td>s of a row, escaped here: the hot loop of a list page."""
        url = self.action.record_url(row.id)
        parts = []
        for index, cell in enumerate(row.cells):
            if index == 0:
                parts.append(Markup('<td class="%s o-first" data-name="%s"><a class="o-open" '
                                    'href="%s">%s</a></td>') % (
                    cell["cls"], cell["name"], url, cell["html"] or "—"))
            else:
                parts.append(Markup('<td class="%s" data-name="%s">%s</td>') % (
                    cell["cls"], cell["name"], cell["html"]))
        return Markup("").join(parts)

    def _raw(self, values: dict) -> dict:
        raw = {}
        for column in self.columns:
            value = values.get(column.name)
            if column.type == "many2one":
                raw[column.name] = list(value) if value else False
            elif column.type in EDITABLE_TYPES:
                raw[column.name] = input_value(column.desc, value, self.fmt) \
                    if column.type not in ("boolean", "selection") else value
        return raw

    def _tag_names(self, data: list[dict]) -> dict[str, dict[int, str]]:
        names: dict[str, dict[int, str]] = {}
        for column in self.columns:
            if column.type != "many2many":
                continue
            ids = sorted({i for values in data for i in values.get(column.name) or []})
            comodel = self.action.env[column.desc["relation"]]
            names[column.name] = {r.id: r.display_name for r in comodel.browse(ids)} \
                if ids else {}
        return names

    def _cell(self, column: Column, values: dict, tags: dict, hidden: bool) -> dict:
        """A cell: its text, and ``html`` (escaped here, once) for the template."""
        value = values.get(column.name)
        cell = {"name": column.name, "type": column.type, "widget": column.widget,
                "hidden": hidden, "text": "", "tags": [], "value": value,
                "cls": column.cell_class}
        if hidden:
            cell["html"] = Markup()
            return cell
        if column.type == "many2many":
            cell["tags"] = [tags[column.name].get(i, "") for i in value or []]
            cell["html"] = Markup("").join(Markup('<span class="o-tag">%s</span>') % tag
                                           for tag in cell["tags"])
        elif column.type == "boolean":
            cell["checked"] = bool(value)
            cell["html"] = Markup('<input type="checkbox" disabled%s aria-label="%s">') % (
                Markup(" checked") if value else Markup(), column.string)
        else:
            cell["text"] = display(column.desc, value, self.fmt, values)
            if column.widget == "priority" and value:
                cell["html"] = Markup('<span class="o-stars">%s</span>') % ("★" * int(value))
            elif column.widget == "badge" and cell["text"]:
                cell["html"] = Markup('<span class="o-badge">%s</span>') % cell["text"]
            else:
                cell["html"] = escape(cell["text"])
        return cell

    # -- totals and groups -----------------------------------------------------------
    def _aggregate_specs(self) -> list[str]:
        return [f"{c.name}:{c.aggregate}" for c in self.columns
                if c.aggregate and c.type in ("integer", "float", "monetary")
                and c.desc.get("store", True)]

    def totals(self, domain: list) -> dict[str, str] | None:
        specs = self._aggregate_specs()
        if not specs:
            return None
        result = self.action.model.read_group(domain, specs, [], lazy=False)
        row = result[0] if result else {}
        return {c.name: display(c.desc, row.get(c.name) or 0, self.fmt)
                for c in self.columns if f"{c.name}:{c.aggregate}" in specs}

    def groups(self, domain: list, level: int) -> list[dict]:
        groupby = self.action.search.groupby
        spec = groupby[level]
        name = spec.split(":")[0]
        desc = self.action.fields[name]
        result = self.action.model.read_group(domain, self._aggregate_specs(), [spec],
                                              lazy=True)
        groups = []
        for group in result:
            value = group.get(spec, group.get(name))
            if value is False or value is None:
                label = _("None")
            elif desc["type"] in ("many2one",) and isinstance(value, (list, tuple)):
                label = value[1]
            elif desc["type"] in ("selection", "boolean"):
                label = display(desc, value, self.fmt)
            else:
                label = str(value)
            count = group.get(f"{spec}_count", group.get(f"{name}_count",
                                                      group.get("__count", 0)))
            groups.append({
                "label": label, "count": count, "level": level,
                "domain": json.dumps(group.get("__domain", domain), default=str),
                "totals": {c.name: display(c.desc, group.get(c.name) or 0, self.fmt)
                           for c in self.columns if c.aggregate and c.name in group}})
        return groups

    # -- pages -----------------------------------------------------------------------
    def values(self) -> dict:
        action = self.action
        search = action.search
        domain = search.domain
        limit = int(self.arch.get("limit") or action.spec.limit)
        values = {"columns": self.columns, "sort_links": self.sort_links(),
                  "editable": self.arch.get("editable"),
                  "columns_meta": json.dumps([c.meta() for c in self.columns]),
                  "can_delete": action.can("unlink") and self.arch.get("delete") != "0",
                  "can_write": action.can("write") and self.arch.get("edit") != "0",
                  "has_active": "active" in action.fields,
                  "selection_actions": SELECTION_ACTIONS, "model_name": action.spec.model,
                  "view_id": self.view.id, "totals": self.totals(domain),
                  "record_url": action.record_url,
                  "empty_help": Markup(sanitize(action.spec.help)) if action.spec.help else None}
        if search.groupby:
            values.update(groups=self.groups(domain, 0), rows=None, pager=None)
            return values
        state = search.state
        offset = (state.page - 1) * limit
        records = action.model.search(domain, offset=offset, limit=limit, order=self.order())
        count = len(records) + offset if len(records) < limit and (records or not offset) \
            else action.model.search_count(domain)
        values.update(rows=self.rows(records), groups=None,
                      pager=self._pager(offset, len(records), count, limit))
        return values

    def _pager(self, offset: int, shown: int, count: int, limit: int) -> dict:
        page = self.action.search.state.page
        last = max((count - 1) // limit + 1, 1)
        return {"first": offset + 1 if shown else 0, "last": offset + shown, "count": count,
                "prev": self.action.list_url(page=page - 1) if page > 1 else None,
                "next": self.action.list_url(page=page + 1) if page < last else None}

    def render(self) -> Response:
        return self.action.page.render(self.template, **self.action.frame(),
                                       **self.values())

    def fragment(self) -> Response | None:
        args = self.action.page.request.args
        if args.get("fragment") != "group":
            return None
        try:
            domain = json.loads(args.get("gdomain") or "[]")
            level = int(args.get("level") or 0)
        except ValueError:
            raise BadRequest(_("Malformed group")) from None
        if not isinstance(domain, list):
            raise BadRequest(_("Malformed group"))
        # the group's domain comes back from the page: it never widens the action's
        domain = dom.AND([self.action.spec.domain or [],
                          [tuple(d) if isinstance(d, list) else d for d in domain]])
        values = {"columns": self.columns, "record_url": self.action.record_url,
                  "editable": self.arch.get("editable"), "level": level}
        if level < len(self.action.search.groupby):
            values["groups"] = self.groups(domain, level)
        else:
            records = self.action.model.search(domain, limit=self.action.spec.limit,
                                               order=self.order())
            values["rows"] = self.rows(records)
        return self.action.page.fragment("web/list_rows.html", **values)


register_view_type(ListRenderer)

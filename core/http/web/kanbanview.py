"""The kanban view: cards in columns, counts and sums, folded columns, quick create.

    renderer = KanbanRenderer(action_page)   # registered for view_type "kanban"
    renderer.render()                        # web/kanban.html
    # ?fragment=kanban_cards&column=<key>&offset=40 : the next cards of one column
    # ?kanban_more=<key> (repeated): 40 more cards of that column, without the script
    # ?kanban_unfold=<key>: open a folded column

Columns come from the search's first group-by, else the arch's
``default_group_by``. A many2one shows the groups that hold records, and
every record of the target model (in its order) when the field has
``group_expand``; a target with a ``fold`` field folds those columns. A
selection shows every value; on a workflow's state field the states'
``folded`` flags fold columns. Each column shows its count and the sums
of ``<progressbar sum_field>`` and of ``<field sum="label">``.

Queries do not grow with the records: one ``read_group`` for the counts
and sums, one for the progress bars, one search of the target model for
empty columns, one search per open column (``KANBAN_LIMIT`` cards), one
``read`` for all the cards, one per many2many and image field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from core.http.web.actions import register_view_params
from core.http.web.formats import FormatContext, display
from core.http.web.i18n import _, translate
from core.http.web.kanbancard import CardContext, CardTemplate
from core.http.web.renderers import ViewRenderer, register_view_type
from core.modules.safe_eval import literal_eval_with_refs
from core.orm import domain as dom
from core.workflow.engine import workflow_of

KANBAN_LIMIT = 40
DRAGGABLE_TYPES = ("many2one", "selection")
PROGRESS_COLORS = ("success", "warning", "danger", "info", "muted")

register_view_params("kanban_more", "kanban_unfold")


@dataclass
class Column:
    key: str                      # json of the group's value: '3', '"draft"', 'false'
    value: Any                    # the raw value (id, selection key, False, a date range)
    label: str
    count: int = 0
    folded: bool = False
    leaves: list = field(default_factory=list)     # the group's domain
    sums: list[tuple[str, str]] = field(default_factory=list)
    progress: list[dict] = field(default_factory=list)
    cards: list[dict] = field(default_factory=list)
    limit: int = KANBAN_LIMIT
    more_url: str | None = None
    unfold_url: str | None = None


class KanbanRenderer(ViewRenderer):
    view_type = "kanban"
    icon = "▥"
    template = "web/kanban.html"

    def __init__(self, action: Any):
        super().__init__(action)
        self.view = action.view("kanban")
        self.arch = self.view.arch
        self.fields = action.fields
        self.card = CardTemplate.of(self.arch)
        self.fmt = FormatContext.of(action.env)

    # -- the group-by --------------------------------------------------------------------
    @property
    def groupby(self) -> str | None:
        """The column spec: the search's first group-by, else ``default_group_by``."""
        if self.action.search.groupby:
            return self.action.search.groupby[0]
        name = self.arch.get("default_group_by")
        desc = self.fields.get(name or "")
        return name if desc and desc.get("groupable", True) else None

    @property
    def group_field(self) -> str | None:
        return self.groupby.split(":")[0] if self.groupby else None

    def draggable(self) -> bool:
        """Whether cards may move between columns (a write, or a workflow transition)."""
        name = self.group_field
        if not name or ":" in (self.groupby or "") or self.arch.get("records_draggable") in (
                "0", "false", "False") or not self.action.can("write"):
            return False
        desc = self.fields[name]
        if desc["type"] not in DRAGGABLE_TYPES:
            return False
        return not desc.get("readonly") or self._is_state_field(name)

    def quick_create(self) -> bool:
        name = self.group_field
        return bool(name and self.arch.get("quick_create") not in ("0", "false", "False")
                    and self.action.can("create") and self.arch.get("create") not in (
                        "0", "false", "False")
                    and self.fields[name]["type"] in DRAGGABLE_TYPES
                    and not self.fields[name].get("readonly")
                    and not self._is_state_field(name) and self._rec_name() is not None)

    def _is_state_field(self, name: str) -> bool:
        flow = workflow_of(self.action.model)
        return flow is not None and flow.state_field == name

    def _rec_name(self) -> str | None:
        model = self.action.model
        name = model._rec_name or "name"
        return name if name in self.fields and self.fields[name]["type"] in ("char", "text") \
            else None

    # -- sums and progress bars -------------------------------------------------------------
    def _sum_fields(self) -> list[tuple[str, str]]:
        """(field, label) of the column sums: the progress bar's, then <field sum>."""
        found: list[tuple[str, str]] = []
        bar = self.arch.find("progressbar")
        candidates = [(bar.get("sum_field"), None)] if bar is not None else []
        candidates += [(node.get("name"), node.get("sum"))
                       for node in self.arch.iterchildren("field") if node.get("sum")]
        for name, label in candidates:
            desc = self.fields.get(name or "")
            if desc and desc["type"] in ("integer", "float", "monetary") \
                    and desc.get("store", True) and name not in dict(found):
                found.append((name, label or desc["string"]))
        return found

    def _progress_spec(self) -> tuple[str, dict] | None:
        bar = self.arch.find("progressbar")
        name = bar.get("field") if bar is not None else None
        if not name or name not in self.fields or not self.fields[name].get("store", True):
            return None
        try:
            colors = literal_eval_with_refs(bar.get("colors") or "{}", _no_ref)
        except ValueError:
            colors = {}
        return name, colors if isinstance(colors, dict) else {}

    def _progress(self, domain: list, columns: dict[str, Column]) -> None:
        spec = self._progress_spec()
        if spec is None or not columns:
            return
        name, colors = spec
        desc = self.fields[name]
        result = self.action.model.read_group(domain, [], [self.groupby, name], lazy=False)
        for group in result:
            column = columns.get(_key(self._group_value(group)))
            if column is None or not group["__count"]:
                continue
            value = group.get(name)
            color = colors.get(value if not isinstance(value, tuple) else value[0], "muted")
            column.progress.append({
                "label": display(desc, value, self.fmt) or translate(self.action.env, _("None")),
                "count": group["__count"],
                "color": color if color in PROGRESS_COLORS else "muted",
                "percent": round(100.0 * group["__count"] / max(column.count, 1), 2)})

    # -- columns ----------------------------------------------------------------------------
    def _group_value(self, group: dict) -> Any:
        value = group.get(self.groupby)
        if isinstance(value, tuple):
            return value[0]
        if ":" in self.groupby:
            ranges = (group.get("__range") or {}).get(self.groupby)
            return ranges["from"] if ranges else False
        return value

    def _group_label(self, group: dict) -> str:
        value = group.get(self.groupby)
        if value is False or value is None:
            return translate(self.action.env, _("None"))
        if isinstance(value, tuple):
            return value[1]
        if ":" in self.groupby:
            return str(value)
        return display(self.fields[self.group_field], value, self.fmt)

    def _leaves(self, value: Any, group: dict | None) -> list:
        name = self.group_field
        if ":" in self.groupby and value is not False:
            ranges = group["__range"][self.groupby]
            return [(name, ">=", ranges["from"]), (name, "<", ranges["to"])]
        return [(name, "=", value)]

    def columns(self, domain: list) -> list[Column]:
        """Every column with its count and sums (cards not loaded yet)."""
        sums = self._sum_fields()
        result = self.action.model.read_group(domain, [f"{n}:sum" for n, _label in sums],
                                              [self.groupby], lazy=True)
        count_key = f"{self.group_field}_count"
        found: dict[str, Column] = {}
        for group in result:
            value = self._group_value(group)
            column = Column(key=_key(value), value=value, label=self._group_label(group),
                            count=group.get(count_key, group.get("__count", 0)),
                            leaves=self._leaves(value, group))
            column.sums = [(label, display(self.fields[n], group.get(n) or 0, self.fmt))
                           for n, label in sums]
            found[column.key] = column
        ordered = self._expanded(found, sums)
        self._progress(domain, {c.key: c for c in ordered})
        return ordered

    def _expanded(self, found: dict[str, Column], sums: list) -> list[Column]:
        """The columns in order (the records without a value first), with the empty ones
        the field expands to, folded or not."""
        empty = [found.pop("false")] if "false" in found else []
        if ":" in self.groupby:
            return empty + list(found.values())
        desc = self.fields[self.group_field]
        options: list[tuple[Any, str, bool]] = []
        if desc["type"] == "selection":
            flow = workflow_of(self.action.model)
            folded = {s.name for s in flow.states if s.folded} \
                if flow is not None and flow.state_field == self.group_field else set()
            options = [(key, label, key in folded) for key, label in desc["selection"]]
        elif desc["type"] == "many2one":
            options = self._comodel_columns(desc, found)
        if not options:
            return empty + list(found.values())
        columns = empty
        for value, label, folded in options:
            key = _key(value)
            column = found.get(key) or Column(
                key=key, value=value, label=label, leaves=self._leaves(value, None),
                sums=[(lab, display(self.fields[n], 0, self.fmt)) for n, lab in sums])
            column.folded = folded
            columns.append(column)
        shown = {c.key for c in columns}
        return columns + [c for k, c in found.items() if k not in shown]

    def _comodel_columns(self, desc: dict, found: dict[str, Column]) -> list:
        model = self.action.model
        comodel = self.action.env[desc["relation"]]
        expand = getattr(model._fields[self.group_field], "group_expand", None)
        has_fold = "fold" in comodel._fields
        if not comodel.check_access_rights("read", raise_exception=False):
            return []
        if expand:
            records = comodel.search([])
        elif has_fold:      # only the groups with records, in the target's order
            records = comodel.search([("id", "in", [c.value for c in found.values()
                                                    if c.value])])
        else:
            return []
        names = ["display_name", "fold"] if has_fold else ["display_name"]
        return [(row["id"], row["display_name"], bool(row.get("fold")))
                for row in records.read(names)]

    # -- cards ------------------------------------------------------------------------------
    def _read_fields(self) -> list[str]:
        names = self.card.fields() | {"display_name"}
        if self.group_field:
            names.add(self.group_field)
        for name in list(names):
            desc = self.fields.get(name)
            if desc and desc["type"] == "monetary":
                names.add(desc.get("currency_field") or "currency_id")
        return sorted(n for n in names if n in self.fields and self.fields[n]["type"] != "binary")

    def order(self) -> str | None:
        order = self.action.search.order or self.arch.get("default_order")
        if not order:
            return None
        parts = [p.strip() for p in order.split(",")
                 if self.fields.get(p.strip().split(" ")[0], {}).get("sortable")]
        return ", ".join(parts) or None

    def cards(self, records: Any) -> list[dict]:
        """The cards of ``records`` in one read (and one query per tag or image field)."""
        if not records:
            return []
        data = records.read(self._read_fields())
        ctx = CardContext(model=self.action.spec.model, fields=self.fields, fmt=self.fmt,
                          record_url=self.action.record_url)
        card_fields = self.card.fields()
        for name in card_fields:
            desc = self.fields.get(name)
            if desc and desc["type"] == "many2many":
                ids = sorted({i for row in data for i in row.get(name) or []})
                comodel = self.action.env[desc["relation"]]
                ctx.tags[name] = {r["id"]: r["display_name"]
                                  for r in comodel.browse(ids).read(["display_name"])} \
                    if ids else {}
            elif desc and desc["type"] == "binary":
                ctx.images[name] = set(records.search(
                    [("id", "in", records.ids), (name, "!=", False)]).ids)
        return [{"id": row["id"], "url": self.action.record_url(row["id"]),
                 "name": row.get("display_name") or "", "html": self.card.render(row, ctx)}
                for row in data]

    def load_cards(self, domain: list, columns: list[Column]) -> None:
        """Fill the open columns' cards: one search each, one read for all."""
        more = [v for k, v in self.action.search.state.params if k == "kanban_more"]
        unfold = {v for k, v in self.action.search.state.params if k == "kanban_unfold"}
        searched = []
        for column in columns:
            if column.key in unfold:
                column.folded = False
            column.unfold_url = self._url(kanban_unfold=column.key)
            if column.folded or not column.count:
                continue
            column.limit = KANBAN_LIMIT * (1 + more.count(column.key))
            ids = self.action.model.search(dom.AND([domain, column.leaves]),
                                           limit=column.limit, order=self.order()).ids
            searched.append((column, ids))
            if column.count > column.limit:
                column.more_url = self._url(kanban_more=column.key, add=True)
        all_ids = [i for _column, ids in searched for i in ids]
        by_id = {card["id"]: card for card in self.cards(self.action.model.browse(all_ids))}
        for column, ids in searched:
            column.cards = [by_id[i] for i in ids if i in by_id]

    def _url(self, add: bool = False, **param: str) -> str:
        (name, value), = param.items()
        state = self.action.search.state
        params = tuple(p for p in state.params if add or p[0] != name) + ((name, value),)
        return self.action.list_url(params=params)

    # -- pages ---------------------------------------------------------------------------------
    def values(self) -> dict:
        action = self.action
        domain = action.search.domain
        values = {"draggable": self.draggable(), "quick_create": self.quick_create(),
                  "group_field": self.group_field, "model_name": action.spec.model,
                  "columns": None, "cards": None, "pager": None,
                  "record_url": action.record_url}
        if self.groupby:
            columns = self.columns(domain)
            self.load_cards(domain, columns)
            values["columns"] = columns
            return values
        limit = int(self.arch.get("limit") or KANBAN_LIMIT)
        page = action.search.state.page
        offset = (page - 1) * limit
        records = action.model.search(domain, offset=offset, limit=limit, order=self.order())
        count = action.model.search_count(domain) if len(records) == limit or offset \
            else len(records)
        values["cards"] = self.cards(records)
        values["pager"] = {
            "first": offset + 1 if records else 0, "last": offset + len(records), "count": count,
            "prev": action.list_url(page=page - 1) if page > 1 else None,
            "next": action.list_url(page=page + 1) if offset + limit < count else None}
        return values

    def render(self) -> Response:
        return self.action.page.render(self.template, **self.action.frame(), **self.values())

    def fragment(self) -> Response | None:
        args = self.action.page.request.args
        if args.get("fragment") != "kanban_cards" or not self.groupby:
            return None
        try:
            offset = max(int(args.get("offset") or 0), 0)
        except ValueError:
            raise BadRequest(_("Malformed offset")) from None
        domain = self.action.search.domain
        column = next((c for c in self.columns(domain) if c.key == args.get("column")), None)
        if column is None:
            raise BadRequest(_("Unknown column"))
        records = self.action.model.search(dom.AND([domain, column.leaves]), offset=offset,
                                           limit=KANBAN_LIMIT, order=self.order())
        return self.action.page.fragment("web/kanban_cards.html", cards=self.cards(records),
                                         draggable=self.draggable())


def _key(value: Any) -> str:
    return json.dumps(value if value is not None else False)


def _no_ref(xmlid: str) -> int:
    raise ValueError("ref() is not allowed in progress bar colors")


register_view_type(KanbanRenderer)

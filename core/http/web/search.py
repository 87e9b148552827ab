"""The search bar: a search view's fields, filters and group-bys, and the facets chosen.

    search = SearchModel(env, spec, view, state)   # view: the search view of get_view
    search.domain        # the action's domain AND the facets' domains
    search.groupby       # ['country_id', 'create_date:month']
    search.facets        # [Facet(label="Country", values=["Belgium"], remove=...)]

As Odoo: the filters of one group (between ``<separator/>``s) are OR-ed,
different groups are AND-ed; the values typed for one field are OR-ed,
different fields AND-ed; a field's ``filter_domain`` receives the text
as ``self``, else the domain is ``[(field, operator or 'ilike', text)]``.
Domains written in views are read by the record-rule evaluator (``uid``,
``user``, ``company_id``, ``company_ids``, ``time.strftime``), never
``eval``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from core.http.web.actions import ActionSpec, ListState, eval_text
from core.http.web.i18n import _
from core.orm import domain as dom
from core.orm.environment import Environment
from core.security.rule_eval import eval_rule_domain

_NUMERIC = ("integer", "float", "monetary")
_TEXTUAL = ("char", "text", "html", "many2one", "many2many", "one2many", "selection")


@dataclass
class SearchField:
    name: str
    string: str
    type: str
    filter_domain: str | None = None
    operator: str | None = None


@dataclass
class SearchFilter:
    name: str
    string: str
    domain: str | None
    groupby: list[str] = field(default_factory=list)
    group: int = 0


@dataclass
class Facet:
    kind: str          # 'filter', 'field', 'groupby', 'favorite'
    label: str
    values: list[str]
    remove_query: str


class SearchModel:
    def __init__(self, env: Environment, spec: ActionSpec, view: Any, state: ListState,
                 fields: dict):
        self.env = env
        self.spec = spec
        self.fields = fields          # fields_get of the model (readable fields)
        self.search_fields: list[SearchField] = []
        self.filters: list[SearchFilter] = []
        self.groupbys: list[SearchFilter] = []
        if view is not None:
            self._parse(view.arch)
        self.favorites = self._favorites()
        self.state = self._with_defaults(self._first_field(state))
        self.facets: list[Facet] = []
        #: the facets' domain (what a favourite keeps); ``domain`` adds the action's
        self.own_domain = self._domain()
        self.domain = dom.AND([list(spec.domain), self.own_domain]) if spec.domain \
            else self.own_domain
        self.groupby = self._groupby()
        self.order = self.state.order or self._favorite_sort()

    # -- the search view -------------------------------------------------------
    def _parse(self, arch: Any) -> None:
        group = 0
        for node in arch.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag == "separator":
                group += 1
            elif node.tag == "group":
                group += 1
            elif node.tag == "field" and node.get("name") in self.fields \
                    and node.get("invisible") not in ("1", "True"):
                desc = self.fields[node.get("name")]
                self.search_fields.append(SearchField(
                    node.get("name"), node.get("string") or desc["string"], desc["type"],
                    node.get("filter_domain"), node.get("operator")))
            elif node.tag == "filter" and node.get("name"):
                self._add_filter(node, group)

    def _add_filter(self, node: Any, group: int) -> None:
        context = eval_text(self.env, node.get("context"), {}) if node.get("context") else {}
        groupby = context.get("group_by") if isinstance(context, dict) else None
        if isinstance(groupby, str):
            groupby = [groupby]
        item = SearchFilter(node.get("name"), node.get("string") or node.get("name"),
                            node.get("domain"), list(groupby or []), group)
        if item.groupby:
            if all(g.split(":")[0] in self.fields for g in item.groupby):
                self.groupbys.append(item)
        elif node.get("invisible") not in ("1", "True"):
            self.filters.append(item)

    def groupable_fields(self) -> list[tuple[str, str]]:
        return sorted(((name, desc["string"]) for name, desc in self.fields.items()
                       if desc.get("groupable") and desc["type"] not in ("one2many",)),
                      key=lambda item: item[1].lower())

    # -- defaults and favourites -------------------------------------------------
    def _favorites(self) -> list[dict]:
        if "ir.filters" not in self.env:
            return []
        return self.env["ir.filters"].get_filters(self.spec.model, self.spec.id)

    def _first_field(self, state: ListState) -> ListState:
        """Text typed without choosing a field searches the first search field."""
        if not any(name == "" for name, _text in state.q):
            return state
        options = self.field_options()
        first = options[0]["name"] if options else None
        terms = tuple((name or first, text) for name, text in state.q if name or first)
        return replace(state, q=terms)

    def _with_defaults(self, state: ListState) -> ListState:
        """The state with the action's ``search_default_*`` and the default
        favourite applied, unless the user chose the facets already."""
        if state.searched:
            return state
        filters, terms, groupby = [], [], []
        known = {f.name: f for f in self.filters + self.groupbys}
        fields = {f.name for f in self.search_fields}
        for key, value in self.spec.context.items():
            if not key.startswith("search_default_") or not value:
                continue
            name = key[len("search_default_"):]
            if name in known:
                (groupby if known[name].groupby else filters).append(name)
            elif name in fields and isinstance(value, (str, int)) \
                    and not isinstance(value, bool):
                terms.append((name, str(value)))
        groupby = [g for name in groupby for g in known[name].groupby]
        default = next((f for f in self.favorites if f["is_default"]), None)
        return replace(state, filters=tuple(filters), q=tuple(terms), groupby=tuple(groupby),
                       fav=default["id"] if default else None, searched=True)

    def _favorite(self) -> dict | None:
        return next((f for f in self.favorites if f["id"] == self.state.fav), None)

    def _favorite_sort(self) -> str | None:
        fav = self._favorite()
        if not fav:
            return None
        try:
            sort = json.loads(fav["sort"] or "[]")
        except ValueError:
            return None
        return ", ".join(s for s in sort if isinstance(s, str)) or None

    # -- domain ------------------------------------------------------------------
    def _domain(self) -> list:
        parts: list = []
        state = self.state
        namespace = {"uid": self.env.uid, "user": self.env.user,
                     "company_id": self.env.company.id, "company_ids": self.env.companies.ids}
        by_group: dict[int, list[SearchFilter]] = {}
        for item in self.filters:
            if item.name in state.filters:
                by_group.setdefault(item.group, []).append(item)
        for items in by_group.values():
            parts.append(dom.OR([eval_rule_domain(i.domain or "[]", namespace) or
                                 [(1, "=", 1)] for i in items]))
            names = {i.name for i in items}
            self.facets.append(Facet("filter", _("Filter"), [i.string for i in items],
                                     state.query(filters=tuple(
                                         f for f in state.filters if f not in names),
                                         page=1)))
        parts += self._field_domains(namespace)
        if state.domain:
            parts.append(_url_domain(state.domain))
            self.facets.append(Facet("filter", _("Filter"), [state.domain_label or _("Custom")],
                                     state.query(domain=None, domain_label=None, page=1)))
        fav = self._favorite()
        if fav:
            parts.append(list(eval_text(self.env, fav["domain"], [])) or [(1, "=", 1)])
            self.facets.append(Facet("favorite", _("Favorite"), [fav["name"]],
                                     state.query(fav=None, page=1)))
        return dom.AND(parts) if parts else []

    def _field_domains(self, namespace: dict) -> list:
        state = self.state
        parts = []
        by_field: dict[str, list[str]] = {}
        for name, text in state.q:
            by_field.setdefault(name, []).append(text)
        known = {f.name: f for f in self.search_fields}
        for name, texts in by_field.items():
            item = known.get(name)
            if item is None and name in self.fields:
                desc = self.fields[name]
                item = SearchField(name, desc["string"], desc["type"])
            if item is None:
                continue
            domains = [d for d in (self._term_domain(item, t, namespace) for t in texts)
                       if d is not None]
            parts.append(dom.OR(domains) if domains else [(0, "=", 1)])
            self.facets.append(Facet("field", item.string, texts, state.query(
                q=tuple(t for t in state.q if t[0] != name), page=1)))
        return parts

    def _term_domain(self, item: SearchField, text: str, namespace: dict) -> list | None:
        if item.filter_domain:
            return eval_rule_domain(item.filter_domain, {**namespace, "self": text})
        if item.type in _NUMERIC:
            try:
                number = float(text.replace(",", "")) if item.type != "integer" \
                    else int(text.replace(",", ""))
            except ValueError:
                return None
            return [(item.name, item.operator or "=", number)]
        if item.type == "selection":
            options = self.fields[item.name].get("selection") or []
            keys = [key for key, label in options
                    if text.lower() in str(label).lower() or text.lower() == str(key).lower()]
            return [(item.name, "in", keys)]
        if item.type == "boolean":
            return [(item.name, "=", text.lower() in ("1", "true", "yes", _("yes").lower()))]
        if item.type in _TEXTUAL:
            return [(item.name, item.operator or "ilike", text)]
        return [(item.name, item.operator or "=", text)]

    # -- group by ----------------------------------------------------------------
    def _groupby(self) -> list[str]:
        state = self.state
        groupby = list(state.groupby)
        fav = self._favorite()
        if fav and not groupby:
            context = eval_text(self.env, fav["context"], {})
            favorite_groupby = context.get("group_by") if isinstance(context, dict) else None
            if isinstance(favorite_groupby, str):
                favorite_groupby = [favorite_groupby]
            groupby = [g for g in favorite_groupby or [] if isinstance(g, str)]
        groupby = [g for g in groupby if g.split(":")[0] in self.fields
                   and self.fields[g.split(":")[0]].get("groupable")]
        if groupby:
            labels = []
            for spec in groupby:
                name, _sep, granularity = spec.partition(":")
                label = self.fields[name]["string"]
                labels.append(f"{label}: {granularity}" if granularity else label)
            self.facets.append(Facet("groupby", _("Group By"), labels,
                                     state.query(groupby=(), page=1)))
        return groupby

    # -- links of the search bar ---------------------------------------------------
    def toggle_filter(self, name: str) -> str:
        filters = self.state.filters
        filters = tuple(f for f in filters if f != name) if name in filters \
            else (*filters, name)
        return self.state.query(filters=filters, page=1)

    def toggle_groupby(self, specs: list[str]) -> str:
        groupby = self.state.groupby
        if all(spec in groupby for spec in specs):
            groupby = tuple(g for g in groupby if g not in specs)
        else:
            groupby = (*groupby, *(s for s in specs if s not in groupby))
        return self.state.query(groupby=groupby, page=1)

    def apply_favorite(self, fav_id: int) -> str:
        fav_id = None if self.state.fav == fav_id else fav_id
        return self.state.query(fav=fav_id, filters=(), q=(), groupby=(), page=1)

    def field_options(self) -> list[dict]:
        """The search fields for the script's "Search <field> for: ..." menu."""
        return [{"name": f.name, "string": f.string} for f in self.search_fields] or (
            [{"name": "display_name", "string": _("Name")}]
            if "display_name" in self.fields else [])


def _url_domain(text: str) -> list:
    """The ``?domain=`` of a page (JSON), checked to be a list of leaves and
    operators; the ORM checks the fields and operators when it searches."""
    from werkzeug.exceptions import BadRequest

    try:
        value = json.loads(text)
    except ValueError:
        raise BadRequest(_("The page's domain is not valid JSON.")) from None
    if not isinstance(value, list) or not all(
            item in ("&", "|", "!") or (isinstance(item, list) and len(item) == 3
                                        and isinstance(item[0], (str, int)))
            for item in value):
        raise BadRequest(_("The page's domain is not a list of conditions."))
    return [tuple(item) if isinstance(item, list) else item for item in value] \
        or [(1, "=", 1)]

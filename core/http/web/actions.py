"""Window actions as the web client opens them, and the URL state of a page.

    spec = load_action(env, 12)            # ir.actions.act_window 12, as the user
    spec.model, spec.domain, spec.view_modes   # 'res.partner', [...], ['list', 'form']
    spec = model_action(env, "res.partner")    # /web/model/res.partner: no action
    state = ListState.from_args(request.args)  # ?view_type=list&page=2&order=name+desc
    spec.url(state.query(page=3))              # '/web/action/12?page=3&...'

An action's ``domain`` and ``context`` are text; they are read with the
literal evaluator of ``core.modules.safe_eval`` (``ref('x.y')`` allowed),
falling back to the record-rule evaluator for the few names Odoo's
actions use (``uid``, ``user``, ``company_id``, ``company_ids``); nothing
is ever passed to Python's ``eval``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.datastructures import MultiDict

from core.exceptions import AccessError, MissingError, UserError
from core.http.web.i18n import _
from core.modules.safe_eval import literal_eval_with_refs
from core.orm.environment import Environment
from core.security import access
from core.security.rule_eval import eval_rule_domain

#: view types that show many records (the others show one: form)
VIEW_ALIASES = {"tree": "list"}
DEFAULT_LIMIT = 80
#: query parameters a view renderer keeps in the page's state (``register_view_params``)
VIEW_PARAMS: set[str] = set()
_ORDER = re.compile(r"^([a-z_][a-z0-9_]*)(?: (asc|desc))?$")


@dataclass
class ActionSpec:
    """What a page needs of a window action (or of a bare model)."""

    id: int | None
    name: str
    model: str
    domain: list = field(default_factory=list)
    context: dict = field(default_factory=dict)
    view_modes: list[str] = field(default_factory=lambda: ["list", "form"])
    view_ids: dict[str, int] = field(default_factory=dict)
    search_view_id: int | None = None
    limit: int = DEFAULT_LIMIT
    help: str = ""

    @property
    def base_url(self) -> str:
        return f"/web/action/{self.id}" if self.id else f"/web/model/{quote(self.model)}"

    def url(self, query: str = "", record: int | str | None = None) -> str:
        path = self.base_url if record is None else f"{self.base_url}/{record}"
        return f"{path}?{query}" if query else path

    @property
    def multi_views(self) -> list[str]:
        return [mode for mode in self.view_modes if mode != "form"] or ["list"]


def register_view_params(*names: str) -> None:
    """Keep the query parameters ``names`` in ``ListState.params`` (e.g. the calendar's
    ``date``): they survive searches, paging and view switches."""
    VIEW_PARAMS.update(names)


def _namespace(env: Environment) -> dict[str, Any]:
    return {"uid": env.uid, "user": env.user, "company_id": env.company.id,
            "company_ids": env.companies.ids}


def eval_text(env: Environment, text: str | None, default: Any) -> Any:
    """A domain or context stored as text, evaluated without ``eval``."""
    if not text or not text.strip():
        return default
    try:
        return literal_eval_with_refs(text, lambda xmlid: env.ref(xmlid).id)
    except ValueError:
        pass
    try:
        if text.strip().startswith("{"):
            return eval_rule_domain(f"[{text}]", _namespace(env))[0]
        return eval_rule_domain(text, _namespace(env))
    except ValueError as exc:
        raise UserError(_("The action's expression %(text)s cannot be read: %(error)s",
                          text=text, error=str(exc))) from None


def load_action(env: Environment, action_id: int) -> ActionSpec:
    """The window action ``action_id`` as the user may open it (AccessError if not)."""
    action = env["ir.actions.act_window"].browse(action_id).exists()
    if not action:
        raise MissingError(_("This action does not exist (any more)."))
    if action.groups_id and access.enabled(env) and not (
            access.group_ids(env) & set(action.groups_id.ids)):
        raise AccessError(_("You may not open the action %(name)s.", name=action.name))
    if action.res_model not in env:
        raise MissingError(_("The model %(model)s is not installed.", model=action.res_model))
    modes, view_ids = [], {}
    for view_id, mode in action.views or []:
        mode = VIEW_ALIASES.get(mode, mode)
        if mode not in modes:
            modes.append(mode)
            if view_id:
                view_ids[mode] = view_id
    domain = eval_text(env, action.domain, [])
    context = eval_text(env, action.context, {})
    return ActionSpec(
        id=action.id, name=action.name, model=action.res_model,
        domain=list(domain) if isinstance(domain, (list, tuple)) else [],
        context=context if isinstance(context, dict) else {},
        view_modes=modes or ["list", "form"], view_ids=view_ids,
        search_view_id=action.search_view_id.id or None,
        limit=action.limit or DEFAULT_LIMIT, help=action.help or "")


def model_action(env: Environment, model: str) -> ActionSpec:
    """A plain list and form of ``model`` (``/web/model/<model>``)."""
    if model not in env:
        raise MissingError(_("The model %(model)s does not exist.", model=model))
    access.check_rights(env[model], "read")
    return ActionSpec(id=None, name=env[model]._description or model, model=model)


@dataclass(frozen=True)
class ListState:
    """The bookmarkable state of a multi-record page, read from and written to
    the query string: ``view_type``, ``page``, ``order``, ``filter`` (repeated:
    search-view filter names), ``q`` (repeated: ``field:text``), ``groupby``
    (repeated), ``fav`` (a saved favourite), ``menu`` (the app shown) and
    ``domain`` (JSON, with ``domain_label``: a smart button's records)."""

    view_type: str | None = None
    page: int = 1
    order: str | None = None
    filters: tuple[str, ...] = ()
    q: tuple[tuple[str, str], ...] = ()
    groupby: tuple[str, ...] = ()
    fav: int | None = None
    menu: int | None = None
    #: set when the search facets were chosen by the user (else the action's defaults apply)
    searched: bool = False
    #: the registered view parameters present: ((name, value), ...)
    params: tuple[tuple[str, str], ...] = ()
    #: a domain as JSON (``?domain=``), AND-ed with the rest: where a button's window
    #: action with a ``domain`` leads (smart buttons); ``domain_label`` names its facet
    domain: str | None = None
    domain_label: str | None = None

    @classmethod
    def from_args(cls, args: MultiDict) -> ListState:
        terms = []
        for item in args.getlist("q"):
            name, sep, text = item.partition(":")
            if sep and text.strip():
                terms.append((name, text.strip()))
        typed = (args.get("q_text") or "").strip()
        if typed:       # the search box without the script: the first search field
            terms.append((args.get("q_field") or "", typed))
        order = args.get("order") or None
        if order and not all(_ORDER.match(part.strip()) for part in order.split(",")):
            order = None
        return cls(
            view_type=args.get("view_type") or None,
            page=max(_int(args.get("page"), 1), 1), order=order,
            filters=tuple(dict.fromkeys(f for f in args.getlist("filter") if f)),
            q=tuple(terms),
            groupby=tuple(dict.fromkeys(g for g in args.getlist("groupby") if g)),
            fav=_int(args.get("fav"), None), menu=_int(args.get("menu"), None),
            params=tuple((k, v) for k in sorted(VIEW_PARAMS) for v in args.getlist(k) if v),
            domain=args.get("domain") or None, domain_label=args.get("domain_label") or None,
            searched=args.get("s") == "1" or bool(terms or args.getlist("filter")
                                                   or args.getlist("groupby") or
                                                   args.get("fav") or args.get("domain")))

    def pairs(self) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        if self.menu:
            items.append(("menu", str(self.menu)))
        if self.view_type:
            items.append(("view_type", self.view_type))
        if self.searched:
            items.append(("s", "1"))
        items += [("filter", name) for name in self.filters]
        items += [("q", f"{name}:{text}") for name, text in self.q]
        items += [("groupby", name) for name in self.groupby]
        if self.fav:
            items.append(("fav", str(self.fav)))
        if self.domain:
            items.append(("domain", self.domain))
            if self.domain_label:
                items.append(("domain_label", self.domain_label))
        items += list(self.params)
        if self.order:
            items.append(("order", self.order))
        if self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def query(self, **changes: Any) -> str:
        """The query string of this state with ``changes`` applied."""
        state = replace(self, **changes) if changes else self
        return urlencode(state.pairs())

    def hidden_fields(self, **changes: Any) -> list[tuple[str, str]]:
        state = replace(self, **changes) if changes else self
        return state.pairs()


def _int(value: Any, default: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default

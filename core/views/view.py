"""``get_view``: the view a user's client renders, combined, filtered and described.

    view = get_view(env, "res.partner", "form")             # the default form view
    view = get_view(env, "res.partner", "list", view_id="base.view_partner_tree")
    view.arch      # lxml Element: a fresh copy, the caller may change it
    view.fields    # {name: fields_get() description} of the fields it uses
    view.subviews  # {"child_ids": {"list": View, "form": View}}

Steps: find the view (``view_id``: an id or an external id; else the
model's default: its primary view of the type with the lowest priority);
combine it with the views that inherit from it, leaving out extensions
whose ``groups_id`` the user is not in (cached per registry, see
``core.views.store``); remove what the user may not see
(``core.views.postprocess``); run ``ARCH_POSTPROCESSORS`` (translation
...) on a copy. Without a view of the type, ``default_arch`` generates
one (``View.id`` is then None).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lxml import etree

from core.security import access
from core.views import postprocess
from core.views.arch import ViewError, normalise_type
from core.views.combine import build, plan
from core.views.defaults import default_arch
from core.views.store import ViewRecord, shared_cache, view_index

if TYPE_CHECKING:
    from core.orm.environment import Environment

#: called on every combined arch get_view hands out: (arch, env, model name);
#: they change the arch in place (core.i18n appends its translation here)
ARCH_POSTPROCESSORS: list[Callable[[etree._Element, Environment, str], None]] = []
#: ``list_view_ref`` / ``tree_view_ref`` / ``form_view_ref`` in an x2many's context
_VIEW_REF = re.compile(r"""(['"])(?P<type>\w+)_view_ref\1\s*:\s*(['"])(?P<ref>[.\w]+)\3""")


class View:
    """A view ready to render: see the module docstring."""

    __slots__ = ("env", "id", "model", "type", "arch", "fields", "inline", "_subviews")

    def __init__(self, env: Environment, view_id: int | None, model: str, view_type: str,
                 arch: etree._Element, fields: dict[str, dict], inline: bool = False):
        self.env = env
        self.id = view_id
        self.model = model
        self.type = view_type
        self.arch = arch
        self.fields = fields
        #: whether the view is written inside its parent's <field> (id is then None)
        self.inline = inline
        self._subviews: dict[str, dict[str, View]] | None = None

    def __repr__(self) -> str:
        return f"<View {self.model} {self.type} id={self.id}>"

    @property
    def subviews(self) -> dict[str, dict[str, View]]:
        """{x2many field: {"list": View, "form": View}}: the field's inline
        views, else the relation's views (``*_view_ref`` in the field's
        context, else its default views); computed on first use."""
        if self._subviews is None:
            self._subviews = _subviews(self)
        return self._subviews

    def arch_string(self) -> str:
        return etree.tostring(self.arch, encoding="unicode")


def get_view(env: Environment, model: str, view_type: str = "form",
             view_id: int | str | None = None) -> View:
    """The view of ``model`` a user sees (see the module docstring)."""
    if model not in env.registry:
        raise ViewError(f"Unknown model {model!r}")
    view_type = normalise_type(view_type)
    access.check_rights(env[model], "read")
    record = _find(env, model, view_type, view_id)
    if record is None:
        arch, names = _default(env, model, view_type)
    else:
        arch, names = _filtered(env, record)
    arch = copy.deepcopy(arch)
    for postprocessor in ARCH_POSTPROCESSORS:
        postprocessor(arch, env, model)
    fields = env[model].fields_get(names) if names else {}
    return View(env, record.id if record else None, model, view_type, arch, fields)


def resolve_view_id(env: Environment, view_id: int | str) -> int:
    """The id of a view given by id or external id."""
    if isinstance(view_id, str) and not view_id.isdigit():
        found = env["ir.model.data"]._xmlid_lookup(*_split(view_id))
        if not found or found[0] != "ir.ui.view":
            raise ViewError(f"No view has the external id {view_id!r}")
        return found[1]
    return int(view_id)


def _split(xmlid: str) -> tuple[str, str]:
    module, _, name = xmlid.partition(".")
    if not name:
        raise ViewError(f"External id {xmlid!r} must be of the form module.name")
    return module, name


def _find(env: Environment, model: str, view_type: str,
          view_id: int | str | None) -> ViewRecord | None:
    index = view_index(env)
    if view_id in (None, False, 0):
        return index.default_view(model, view_type)
    resolved = resolve_view_id(env, view_id)
    record = index.by_id.get(resolved)
    if record is None:
        raise ViewError(f"View {view_id!r} does not exist or is archived")
    record = index.root_of(record.id)
    if record.model != model:
        raise ViewError(f"View {view_id!r} is a view of {record.model!r}, not {model!r}")
    if record.type != view_type:
        raise ViewError(f"View {view_id!r} is a {record.type} view, not a {view_type} view")
    return record


def _allowed(env: Environment) -> Callable[[ViewRecord], bool]:
    mine = postprocess.user_groups(env)
    if mine is None:
        return lambda record: True
    return lambda record: not record.group_ids or bool(record.group_ids & mine)


def _filtered(env: Environment, record: ViewRecord) -> tuple[etree._Element, list[str]]:
    """The combined arch filtered for the user, and the fields it needs; cached."""
    cache = shared_cache(env)
    generation = cache.generation if cache is not None else 0
    steps = plan(view_index(env), record, _allowed(env))
    applied = tuple(step.id for step in steps)
    groups = postprocess.user_groups(env)
    key = (record.id, applied, groups)
    if cache is not None and key in cache.filtered:
        return cache.filtered[key]
    combined = cache.combined.get(applied) if cache is not None else None
    if combined is None:
        combined = build(env, steps)
        if cache is not None:
            cache.put(cache.combined, applied, combined, generation)
    arch = copy.deepcopy(combined)
    postprocess.filter_for_user(env, arch, record.model)
    result = (arch, postprocess.field_names(env, arch, record.model))
    if cache is not None:
        cache.put(cache.filtered, key, result, generation)
    return result


def _default(env: Environment, model: str, view_type: str) -> tuple[etree._Element, list[str]]:
    cache = shared_cache(env)
    generation = cache.generation if cache is not None else 0
    key = (model, view_type, postprocess.user_groups(env))
    if cache is not None and key in cache.defaults:
        return cache.defaults[key]
    arch = default_arch(env, model, view_type)
    result = (arch, postprocess.field_names(env, arch, model))
    if cache is not None:
        cache.put(cache.defaults, key, result, generation)
    return result


def _subviews(view: View) -> dict[str, dict[str, View]]:
    env = view.env
    result: dict[str, dict[str, View]] = {}
    for element in postprocess.x2many_fields(env, view.arch, view.model):
        name = element.get("name")
        comodel = postprocess.comodel_of(env, view.model, name)
        if not comodel or not access.check_rights(env[comodel], "read", raise_exception=False):
            continue
        views: dict[str, View] = {}
        for inline in postprocess.inline_subviews(element):
            sub_type = "list" if inline.tag == "tree" else inline.tag
            arch = copy.deepcopy(inline)
            names = postprocess.field_names(env, arch, comodel)
            fields = env[comodel].fields_get(names) if names else {}
            views[sub_type] = View(env, None, comodel, sub_type, arch, fields, inline=True)
        refs = _view_refs(element.get("context") or "")
        for sub_type in ("list", "form"):
            if sub_type not in views:
                views[sub_type] = get_view(env, comodel, sub_type, refs.get(sub_type))
        result[name] = views
    return result


def _view_refs(context: str) -> dict[str, Any]:
    refs = {}
    for match in _VIEW_REF.finditer(context):
        kind = "list" if match.group("type") == "tree" else match.group("type")
        refs[kind] = match.group("ref")
    return refs

"""What one user may see of a combined arch, and the fields it needs.

    filter_for_user(env, arch, "res.partner")     # in place
    names = field_names(env, arch, "res.partner") # {"name", "email", "state", ...}

Filtering removes the elements whose ``groups="module.xmlid,..."`` the
user is not in (``!module.xmlid`` excludes the members of a group), the
``<field>`` elements of fields the user may not read (field ``groups``,
see ``core.security.access``) and the ``<label for>`` of those fields,
and drops the ``groups`` attributes. Inside an x2many field's inline
``<list>``/``<form>``/``<kanban>``, fields belong to the relation's model.
Superuser environments see everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lxml import etree

from core.security import access
from core.views.conditions import CONDITION_ATTRIBUTES, ConditionError, parse_condition

if TYPE_CHECKING:
    from core.orm.environment import Environment

SUBVIEW_TAGS = ("list", "tree", "form", "kanban")
#: root attributes that name fields of the model, per view type
FIELD_ATTRIBUTES = {
    "calendar": ("date_start", "date_stop", "date_delay", "all_day", "color"),
    "kanban": ("default_group_by",),
    "list": ("default_group_by",),
}


def inline_subviews(field: etree._Element) -> list[etree._Element]:
    """The inline views of a ``<field>`` element (its list/form/kanban children)."""
    return [child for child in field if isinstance(child.tag, str)
            and child.tag in SUBVIEW_TAGS]


def iter_view(root: etree._Element) -> Iterator[etree._Element]:
    """The elements of a view, without the content of inline subviews."""
    stack = [root]
    while stack:
        element = stack.pop()
        yield element
        if element.tag == "field" and element is not root and inline_subviews(element):
            continue
        stack.extend(reversed([child for child in element if isinstance(child.tag, str)]))


def comodel_of(env: Environment, model_name: str, field_name: str | None) -> str | None:
    model = env.registry.models.get(model_name)
    field = model._fields.get(field_name) if model is not None and field_name else None
    return getattr(field, "comodel_name", None) if field is not None else None


def user_groups(env: Environment) -> frozenset[int] | None:
    """The user's group ids (with implied ones), or None: sees everything."""
    return access.group_ids(env) if access.enabled(env) else None


def groups_allow(env: Environment, groups: str) -> bool:
    """Odoo's ``groups`` attribute: in one of the groups (if any is listed
    without ``!``) and in none of those listed with ``!``."""
    mine = user_groups(env)
    if mine is None:
        return True
    wanted, positive = False, False
    for item in (part.strip() for part in groups.split(",")):
        if not item:
            continue
        negated = item.startswith("!")
        group = env.ref(item.lstrip("!"), raise_if_not_found=False)
        member = group is not None and group.id in mine
        if negated and member:
            return False
        if not negated:
            positive = True
            wanted = wanted or member
    return wanted or not positive


def filter_for_user(env: Environment, root: etree._Element, model_name: str) -> None:
    """Remove what the user may not see (see the module docstring), in place."""
    _filter(env, root, model_name, enabled=access.enabled(env))


def _filter(env: Environment, root: etree._Element, model_name: str, enabled: bool) -> None:
    model = env.registry.models.get(model_name)
    removed_fields: set[str] = set()
    for element in list(iter_view(root)):
        if element is not root and _detached(element, root):
            continue
        groups = element.attrib.pop("groups", None)
        if enabled and groups and not groups_allow(env, groups):
            _remove(element)
            continue
        if element.tag != "field" or model is None:
            continue
        name = element.get("name")
        field = model._fields.get(name)
        if enabled and field is not None and not access.field_allowed(env[model_name], field):
            removed_fields.add(name)
            _remove(element)
            continue
        comodel = comodel_of(env, model_name, name)
        for sub in inline_subviews(element):
            if comodel:
                _filter(env, sub, comodel, enabled)
    if removed_fields:
        for label in list(root.iter("label")):
            if label.get("for") in removed_fields:
                _remove(label)


def _detached(element: etree._Element, root: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is root:
            return False
    return True


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def field_names(env: Environment, root: etree._Element, model_name: str) -> list[str]:
    """The fields of ``model_name`` the view needs: those its ``<field>``
    elements name (not inside inline subviews), those its conditions read
    and those its root attributes name (calendar dates, group-by field)."""
    model = env.registry.models.get(model_name)
    known = model._fields if model is not None else {}
    names: dict[str, None] = {}
    view_type = "list" if root.tag == "tree" else root.tag
    for attribute in FIELD_ATTRIBUTES.get(view_type, ()):
        if root.get(attribute):
            names[root.get(attribute)] = None
    for element in iter_view(root):
        if element.tag == "field" and element.get("name"):
            names[element.get("name")] = None
        for attribute in CONDITION_ATTRIBUTES:
            text = element.get(attribute)
            if text:
                for name in _condition_fields(text):
                    names[name] = None
        if element.tag == "progressbar" and element.get("field"):
            names[element.get("field")] = None
        if element.tag == "filter" and element.get("date"):
            names[element.get("date")] = None
    return [name for name in names if name in known]


def _condition_fields(text: str) -> set[str]:
    try:
        return parse_condition(text).fields()
    except ConditionError:
        return set()


def x2many_fields(env: Environment, root: etree._Element, model_name: str) -> list[Any]:
    """The top-level ``<field>`` elements of x2many fields, in document order."""
    model = env.registry.models.get(model_name)
    if model is None:
        return []
    found = []
    for element in iter_view(root):
        if element.tag != "field" or element is root:
            continue
        field = model._fields.get(element.get("name"))
        if field is not None and field.type in ("one2many", "many2many"):
            found.append(element)
    return found

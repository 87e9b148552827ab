"""Checking views when a module installs or upgrades.

    validate_module_views(env, loader)   # after the module's data files loaded
    check_view(env, index, record)       # one view, combined with all its extensions

After a module's data is loaded, every view it created or changed is
combined with every view that inherits from it (the combined arch of each
affected primary view, without group filtering) and checked:

- elements and attributes are those of the view type (``core.views.grammar``);
- every ``<field name>`` is a field of the model (of the relation's model
  inside an x2many's inline ``<list>``/``<form>``/``<kanban>``), and so are
  the fields named by ``<label for>``, calendar dates, group-by and
  progress-bar attributes;
- ``invisible``, ``readonly``, ``required``, ``column_invisible`` and
  ``decoration-*`` are conditions (``core.views.conditions``) on existing
  fields; ``options`` is a literal dict; ``domain``, ``filter_domain`` and
  ``context`` hold literals, field names and ``parent.<field>`` only;
- ``<button type="object">`` names a public method of the model and
  ``type="action"`` an action (external id, ``%(xmlid)d`` or id);
- ``groups`` names existing groups; links never use ``javascript:``.

Each error names the view's external id, the data file and line (from the
loader's ``sources``: the line of the element, counted from where the
arch starts in the file) and the element's line within the arch. One
ViewError lists every error of the view; the module operation then rolls
back.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from core.views import grammar, qweb
from core.views.arch import ORIGIN, ViewError
from core.views.combine import Sources, build, label, plan
from core.views.conditions import CONDITION_ATTRIBUTES, ConditionError, parse_condition
from core.views.postprocess import SUBVIEW_TAGS, comodel_of
from core.views.store import ViewIndex, ViewRecord, view_index

if TYPE_CHECKING:
    from core.modules.data import DataLoader
    from core.orm.environment import Environment

MAX_ERRORS = 20
EXPRESSION_ATTRIBUTES = ("domain", "filter_domain", "context")
_ACTION_REF = re.compile(r"^%\((?P<xmlid>[\w.]+)\)d$")
_DATE_TYPES = ("date", "datetime")


def validate_module_views(env: Environment, loader: DataLoader) -> None:
    """Check the views ``loader`` created or updated (see the module docstring)."""
    sources: dict[int, tuple] = {}
    for (model, record_id), (path, line, lines) in loader.sources.items():
        if model == "ir.ui.view":
            sources[record_id] = (path, line, lines.get("arch", line))
    if not sources:
        return
    index = view_index(env)
    roots: dict[int, ViewRecord] = {}
    for view_id in sources:
        if view_id in index.by_id:
            root = index.root_of(view_id)
            for record in [root, *_primary_descendants(index, root.id)]:
                roots[record.id] = record
    for view_id in sorted(roots):
        check_view(env, index, roots[view_id], sources)


def _primary_descendants(index: ViewIndex, view_id: int) -> list[ViewRecord]:
    found, stack = [], [view_id]
    while stack:
        for child in index.children.get(stack.pop(), ()):
            if child.mode == "primary":
                found.append(child)
            stack.append(child.id)
    return found


def check_view(env: Environment, index: ViewIndex, record: ViewRecord,
               sources: Sources | None = None) -> None:
    """Combine ``record`` with all its extensions and check it; ViewError if wrong."""
    steps = plan(index, record, lambda view: True)
    arch = build(env, steps, sources, annotate=True)
    checker = _Checker(env, index, sources or {})
    checker.view(arch, record.model, record.type)
    if checker.errors:
        more = len(checker.errors) - MAX_ERRORS
        text = "\n".join(checker.errors[:MAX_ERRORS])
        if more > 0:
            text += f"\n... and {more} more"
        raise ViewError(text)


class _Checker:
    def __init__(self, env: Environment, index: ViewIndex, sources: Sources):
        self.env = env
        self.index = index
        self.sources = sources
        self.errors: list[str] = []

    def error(self, element: etree._Element, message: str) -> None:
        origin = element.get(ORIGIN)
        record = self.index.by_id.get(int(origin)) if origin else None
        line = element.sourceline
        where = label(self.env, record, self.sources, line) if record else "a view"
        self.errors.append(f"View {where}: line {line} of its arch: <{element.tag}>: {message}")

    # -- structure ---------------------------------------------------------------
    def view(self, root: etree._Element, model: str, view_type: str) -> None:
        if root.tag != view_type:
            self.error(root, f"a {view_type} view's root element is <{view_type}>")
            return
        self.element(root, model, view_type)

    def element(self, element: etree._Element, model: str, view_type: str) -> None:
        tag = element.tag
        if tag not in grammar.tags(view_type):
            self.error(element, f"unknown element in a {view_type} view")
            return
        self.attributes(element, model, view_type)
        if tag == "field":
            self.field(element, model, view_type)
            return
        for child in element:
            if isinstance(child.tag, str):
                self.element(child, model, view_type)

    def attributes(self, element: etree._Element, model: str, view_type: str) -> None:
        for name, value in element.attrib.items():
            if name == ORIGIN:
                continue
            if not grammar.is_allowed_attribute(view_type, element.tag, name):
                hint = " (Odoo 17 replaced it by invisible/readonly/required conditions)" \
                    if name in ("attrs", "states") else ""
                self.error(element, f"unknown attribute {name!r}{hint}")
                continue
            self.value(element, model, view_type, name, value)

    def value(self, element: etree._Element, model: str, view_type: str, name: str,
              value: str) -> None:
        enum = grammar.ENUMS.get((view_type, element.tag, name))
        if enum and value not in enum:
            self.error(element, f"{name}={value!r}: use one of {', '.join(enum)}")
        elif name in grammar.BOOLEANS and value not in grammar.BOOLEAN_VALUES:
            self.error(element, f"{name}={value!r} is not a boolean (use 0/1)")
        elif name in CONDITION_ATTRIBUTES or name.startswith("decoration-"):
            self.condition(element, model, name, value)
        elif view_type == "kanban" and name in qweb.QWEB_CONDITIONS + qweb.QWEB_VALUES:
            self.qweb(element, model, name, value)
        elif name == "options":
            self.options(element, value)
        elif name in EXPRESSION_ATTRIBUTES:
            self.expression(element, model, name, value)
        elif name == "groups":
            self.groups(element, value)
        elif name == "href" and value.strip().lower().startswith("javascript:"):
            self.error(element, "javascript: links are not allowed")
        elif (view_type, name) in grammar.FIELD_NAME_ATTRIBUTES and element.getparent() is None:
            self.field_name(element, model, value, name)
        elif (element.tag, name) in (("progressbar", "field"), ("progressbar", "sum_field"),
                                     ("filter", "date"), ("label", "for")):
            self.field_name(element, model, value, name)
        if element.tag in ("button", "a") and name == "type":
            self.button(element, model, value)

    # -- fields ------------------------------------------------------------------------
    def field_name(self, element: etree._Element, model: str, name: str,
                   attribute: str) -> Any:
        field = self.env.registry[model]._fields.get(name) if model in self.env.registry \
            else None
        if field is None:
            self.error(element, f"{attribute}={name!r}: model {model} has no field {name!r}")
        elif attribute in ("date_start", "date_stop") and field.type not in _DATE_TYPES:
            self.error(element, f"{attribute}={name!r} is a {field.type} field, not a date or "
                                "datetime field")
        return field

    def field(self, element: etree._Element, model: str, view_type: str) -> None:
        name = element.get("name")
        if not name:
            self.error(element, "a <field> needs a name")
            return
        field = self.field_name(element, model, name, "name")
        comodel = comodel_of(self.env, model, name) if field is not None else None
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in SUBVIEW_TAGS and field is not None \
                    and field.type in ("one2many", "many2many"):
                self.view(child, comodel, "list" if child.tag == "tree" else child.tag)
            else:
                self.error(child, "a <field> holds only the inline <list>, <form> or "
                                  "<kanban> of an x2many field")

    def condition(self, element: etree._Element, model: str, name: str, value: str) -> None:
        try:
            condition = parse_condition(value)
        except ConditionError as exc:
            self.error(element, f"{name}: {exc}")
            return
        known = self.env.registry[model]._fields if model in self.env.registry else {}
        for field in sorted(condition.fields() - set(known)):
            self.error(element, f"{name}={value!r}: model {model} has no field {field!r}")

    def qweb(self, element: etree._Element, model: str, name: str, value: str) -> None:
        """A card's t-if/t-elif (a condition) or t-esc/t-out (a field's value)."""
        try:
            if name in qweb.QWEB_VALUES:
                fields = {qweb.value_reference(value)[0]}
            else:
                fields = qweb.parse_qweb_condition(value).fields()
        except ConditionError as exc:
            self.error(element, f"{name}: {exc}")
            return
        known = self.env.registry[model]._fields if model in self.env.registry else {}
        for field in sorted(fields - set(known)):
            self.error(element, f"{name}={value!r}: model {model} has no field {field!r}")

    def options(self, element: etree._Element, value: str) -> None:
        try:
            tree = ast.parse(value.strip(), mode="eval")
        except SyntaxError as exc:
            self.error(element, f"options={value!r}: {exc.msg}")
            return
        if not isinstance(tree.body, ast.Dict):
            self.error(element, f"options={value!r} is not a dictionary")
            return
        for node in ast.walk(tree.body):
            if not isinstance(node, _LITERAL_NODES) and not (
                    isinstance(node, ast.Name) and node.id in _LITERAL_NAMES):
                self.error(element, f"options={value!r}: only literals are allowed "
                                    f"({type(node).__name__})")
                return

    def expression(self, element: etree._Element, model: str, name: str, value: str) -> None:
        try:
            tree = ast.parse(value.strip(), mode="eval")
        except SyntaxError as exc:
            self.error(element, f"{name}={value!r}: {exc.msg}")
            return
        for node in ast.walk(tree.body):
            problem = _expression_problem(node)
            if problem:
                self.error(element, f"{name}={value!r}: {problem}")
                return

    def groups(self, element: etree._Element, value: str) -> None:
        for item in (part.strip().lstrip("!") for part in value.split(",")):
            if not item:
                continue
            found = self.env.ref(item, raise_if_not_found=False) if "." in item else None
            if found is None or found._name != "res.groups":
                self.error(element, f"groups: {item!r} is not the external id of a group")

    # -- buttons -----------------------------------------------------------------------
    def button(self, element: etree._Element, model: str, kind: str) -> None:
        name = element.get("name") or ""
        if kind == "object":
            cls = type(self.env[model]) if model in self.env.registry else None
            method = getattr(cls, name, None) if cls is not None and name else None
            if not name or name.startswith("_") or not callable(method):
                self.error(element, f"name={name!r}: model {model} has no public method "
                                    f"{name!r}")
        elif kind == "action":
            if not self.action_exists(name):
                self.error(element, f"name={name!r}: no action has this external id or id")
        elif element.tag == "button":
            self.error(element, f"type={kind!r}: a button's type is object or action")

    def action_exists(self, name: str) -> bool:
        match = _ACTION_REF.match(name)
        reference = match.group("xmlid") if match else name
        if reference.isdigit():
            return any(self.env[model].sudo().browse(int(reference)).exists()
                       for model in self.env.registry.models
                       if model.startswith("ir.actions.")
                       and not self.env.registry[model]._abstract)
        found = self.env.ref(reference, raise_if_not_found=False) if "." in reference else None
        return found is not None and found._name.startswith("ir.actions.")


#: what an ``options`` dict may hold (JSON's true/false/null are accepted too)
_LITERAL_NODES = (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.Constant, ast.Load,
                  ast.UnaryOp, ast.USub, ast.UAdd)
_LITERAL_NAMES = frozenset({"true", "false", "null"})


def _expression_problem(node: ast.AST) -> str | None:
    """What is refused in a domain/context expression: calls, attribute access
    other than ``parent.<field>``, subscripts, dunder names, lambdas."""
    if isinstance(node, ast.Call):
        return "function calls are not allowed"
    if isinstance(node, ast.Attribute):
        if not (isinstance(node.value, ast.Name) and node.value.id == "parent"
                and not node.attr.startswith("_")):
            return "attribute access other than parent.<field> is not allowed"
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        return f"the name {node.id!r} is not allowed"
    if isinstance(node, (ast.Subscript, ast.Lambda, ast.comprehension, ast.NamedExpr,
                         ast.Starred, ast.JoinedStr, ast.Await, ast.Yield)):
        return f"{type(node).__name__} is not allowed"
    return None

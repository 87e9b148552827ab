"""The form view: an arch turned into a tree of nodes that web/form.html draws.

    form = FormRenderer(action_page, record_id=7)     # or None for a new record
    form.render()                                      # the page
    form.render(submitted=FormInput(...), error="...") # after a refused save: the
                                                       # user's input, the messages

Layout elements (``sheet``, ``group``, ``notebook``/``page``,
``separator``, ``label``, ``div`` and plain HTML elements) keep their
shape; each ``<field>`` becomes a ``FieldNode`` with its value, its
widget and its ``invisible``/``readonly``/``required`` state evaluated on
the server, and the conditions as JSON for the page's script
(static/web.js re-evaluates them after each change). Header buttons
are the arch's ``type="object"`` buttons plus the workflow's buttons
the user may press now (``workflow_buttons()``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from core.http.web.attachments import attachment_panel
from core.http.web.chatter import chatter_panel, is_chatter
from core.http.web.conditions import Condition, compile_condition, condition_fields
from core.http.web.formats import FormatContext, condition_value, display, input_value
from core.http.web.i18n import _
from core.http.web.renderers import ViewRenderer, register_view_type
from core.orm.html_sanitizer import sanitize

CONDITIONS = ("invisible", "readonly", "required")
LAYOUT_TAGS = ("sheet", "group", "notebook", "page", "separator", "label", "div", "header",
               "footer", "newline", "h1", "h2", "h3", "h4", "span", "p", "strong", "br", "hr",
               "small", "em", "b", "i", "a", "button", "widget", "field")


@dataclass
class FieldNode:
    name: str
    desc: dict
    widget: str | None
    label: str
    value: Any
    text: str = ""
    input: str = ""
    readonly: bool = False
    required: bool = False
    invisible: bool = False
    conditions: dict = field(default_factory=dict)
    error: str | None = None
    nolabel: bool = False
    placeholder: str = ""
    tags: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    onchange: bool = False
    html: str = ""
    options: dict = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.desc["type"]


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    text: str = ""
    tail: str = ""
    invisible: bool = False
    conditions: dict = field(default_factory=dict)
    #: last: the name would hide dataclasses.field in the class body
    field: FieldNode | None = None


@dataclass
class FormInput:
    """A submitted form: what to write, what to show again, what was wrong."""

    vals: dict = field(default_factory=dict)
    #: read()-form values to show (the user's input where it parsed)
    shown: dict = field(default_factory=dict)
    #: text typed into fields that did not parse, shown back as typed
    raw: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    #: one2many lines as typed: {field: [{"id": int|None, "values": {...}, "raw": {...}}]}
    lines: dict = field(default_factory=dict)


class FormRenderer(ViewRenderer):
    view_type = "form"
    multi_record = False
    icon = "▤"
    template = "web/form.html"

    def __init__(self, action: Any, record_id: int | None = None):
        super().__init__(action)
        self.view = action.view("form")
        self.arch = self.view.arch
        self.fields = self.view.fields
        self.record_id = record_id
        self.fmt = FormatContext.of(action.env)
        self.record = action.model.browse(record_id) if record_id else action.model.browse()
        self.onchange_fields = self._onchange_fields()
        #: whether the user may save this form (else every field is shown read-only)
        self.editable = (action.can("write") and self.arch.get("edit") != "0") if record_id \
            else (action.can("create") and self.arch.get("create") != "0")

    # -- values ------------------------------------------------------------------
    def field_names(self) -> list[str]:
        names = {n.get("name") for n in self._iter_fields(self.arch)}
        for node in self.arch.iter():
            if isinstance(node.tag, str):
                names |= condition_fields(*(compile_condition(node.get(a))
                                            for a in CONDITIONS))
        names |= {"display_name"}
        if "active" in self.action.fields:
            names.add("active")
        return sorted(n for n in names if n in self.action.fields)

    def _iter_fields(self, root: Any) -> list[Any]:
        """The <field> elements of the form, not those of inline subviews."""
        found, stack = [], [root]
        while stack:
            node = stack.pop()
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "field":
                    found.append(child)
                elif not is_chatter(child):     # the chatter draws its own fields
                    stack.append(child)
        return found

    def load_values(self) -> dict:
        names = self.field_names()
        if self.record:
            return self.record.read(names)[0]
        defaults = self.action.model.default_get(names)
        values = {name: False for name in names}
        for name, value in defaults.items():
            values[name] = self._default_as_read(name, value)
        values["id"] = False
        return values

    def _default_as_read(self, name: str, value: Any) -> Any:
        desc = self.action.fields.get(name, {})
        if desc.get("type") == "many2one" and isinstance(value, int) and value:
            record = self.action.env[desc["relation"]].browse(value).exists()
            return (record.id, record.display_name) if record else False
        if desc.get("type") in ("one2many", "many2many"):
            ids = []
            for command in value or []:
                if isinstance(command, (list, tuple)) and command and command[0] == 6:
                    ids = list(command[2])
                elif isinstance(command, (list, tuple)) and command and command[0] == 4:
                    ids.append(command[1])
                elif isinstance(command, int):
                    ids.append(command)
            return ids
        return value

    def _onchange_fields(self) -> set[str]:
        """Fields whose change asks the server for an onchange: those with
        @api.onchange methods and those computed fields depend on."""
        model = self.action.model
        names = set(getattr(model, "_onchange_methods", {}) or {})
        for name in self.fields:
            field_obj = model._fields.get(name)
            if field_obj is not None and field_obj.compute and not field_obj.store:
                names |= {dep.split(".")[0] for dep in (field_obj.depends or ())}
        return names

    # -- the node tree --------------------------------------------------------------
    def build(self, values: dict, submitted: FormInput | None) -> tuple[Node, list]:
        cond_values = {n: condition_value(self.action.fields.get(n), v)
                       for n, v in values.items()}
        cond_values["id"] = values.get("id") or False
        context = _BuildContext(values, cond_values, submitted or FormInput())
        self._tags(context)
        header = self.arch.find("header")
        root = self._node(self.arch, context)
        return root, self._buttons(header, context)

    def statusbars(self, values: dict, submitted: FormInput | None) -> list[FieldNode]:
        """The status bar fields of the header (``widget="statusbar"``)."""
        header = self.arch.find("header")
        if header is None:
            return []
        cond_values = {n: condition_value(self.action.fields.get(n), v)
                       for n, v in values.items()}
        context = _BuildContext(values, cond_values, submitted or FormInput())
        return [self._field(element, {a: compile_condition(element.get(a))
                                      for a in CONDITIONS}, context)
                for element in header.iter("field")
                if element.get("widget") == "statusbar" and element.get("name") in self.fields]

    def _node(self, element: Any, context: _BuildContext) -> Node:
        attrs = {k: v for k, v in element.attrib.items() if k not in CONDITIONS}
        node = Node(tag=element.tag, attrs=attrs, text=(element.text or "").strip(),
                    tail=(element.tail or "").strip())
        conds = {a: compile_condition(element.get(a)) for a in CONDITIONS}
        if conds["invisible"] is not None:
            node.invisible = conds["invisible"].evaluate(context.cond_values)
            if not isinstance(conds["invisible"].to_json(), bool):
                node.conditions["invisible"] = conds["invisible"].to_json()
        if element.tag == "field":
            node.field = self._field(element, conds, context)
            node.invisible = node.field.invisible
            return node
        if element.tag == "header":
            return node
        if element.tag == "label" and not element.get("string") and element.get("for"):
            desc = self.fields.get(element.get("for")) or {}
            node.attrs["string"] = desc.get("string") or element.get("for")
        for child in element:
            if isinstance(child.tag, str) and child.tag in LAYOUT_TAGS and not is_chatter(child):
                node.children.append(self._node(child, context))
        return node

    def _field(self, element: Any, conds: dict[str, Condition | None],
               context: _BuildContext) -> FieldNode:
        name = element.get("name")
        desc = self.fields.get(name) or self.action.fields.get(name) or {
            "type": "char", "string": name}
        value = context.values.get(name, False)
        node = FieldNode(name=name, desc=desc, widget=element.get("widget"),
                         label=element.get("string") or desc.get("string") or name,
                         value=value, nolabel=element.get("nolabel") in ("1", "True"),
                         placeholder=element.get("placeholder") or "",
                         onchange=name in self.onchange_fields)
        for attr in CONDITIONS:
            condition = conds[attr]
            if condition is not None:
                setattr(node, attr, condition.evaluate(context.cond_values))
                if not isinstance(condition.to_json(), bool):     # constants never change
                    node.conditions[attr] = condition.to_json()
        # an attribute of the view wins over the field's own
        if conds["readonly"] is None:
            node.readonly = bool(desc.get("readonly"))
        if not self.editable:
            node.readonly = True
            node.conditions.pop("readonly", None)
        if conds["required"] is None:
            node.required = bool(desc.get("required"))
        node.error = context.submitted.errors.get(name)
        self._fill(node, context)
        return node

    def _fill(self, node: FieldNode, context: _BuildContext) -> None:
        kind = node.type
        value = node.value
        raw = context.submitted.raw
        node.text = display(node.desc, value, self.fmt, context.values)
        node.input = raw[node.name] if node.name in raw else input_value(node.desc, value,
                                                                         self.fmt)
        if kind == "html":
            node.html = sanitize(value or "") if value else ""
        elif kind == "many2many":
            node.tags = [(i, context.tag_names.get((node.desc["relation"], i), str(i)))
                         for i in value or []]
        elif kind == "one2many":
            self._one2many(node, context)
        elif kind == "selection" and node.widget == "statusbar":
            node.options["states"] = self._statusbar_states(node, context)
        elif kind == "many2one":
            node.options["model"] = node.desc.get("relation")
            node.options["id"] = value[0] if isinstance(value, (list, tuple)) else ""
        if kind == "many2one" and node.widget == "statusbar":
            node.options["states"] = self._statusbar_states(node, context)

    def _statusbar_states(self, node: FieldNode, context: _BuildContext) -> list[dict]:
        states = self.action.model.workflow_states() if hasattr(
            self.action.model, "workflow_states") else []
        current = condition_value(node.desc, node.value)
        visible = [s.strip() for s in (self._attr(node.name, "statusbar_visible") or "")
                   .split(",") if s.strip()]
        if states:
            items = [{"value": s["value"], "name": s["name"], "string": s["string"],
                      "folded": s["folded"]} for s in states]
        else:
            items = [{"value": k, "name": k, "string": label, "folded": False}
                     for k, label in node.desc.get("selection") or []]
        result = []
        for item in items:
            active = item["value"] == current
            if visible and item["name"] not in visible and not active:
                continue
            if item["folded"] and not active:
                continue
            result.append({**item, "active": active})
        return result

    def _attr(self, name: str, attr: str) -> str | None:
        for element in self._iter_fields(self.arch):
            if element.get("name") == name and element.get(attr):
                return element.get(attr)
        return None

    # -- x2many ---------------------------------------------------------------------
    def _tags(self, context: _BuildContext) -> None:
        """Display names of every many2many value shown, one read per comodel."""
        wanted: dict[str, set[int]] = {}
        for name, desc in self.fields.items():
            if desc.get("type") == "many2many":
                wanted.setdefault(desc["relation"], set()).update(
                    context.values.get(name) or [])
        for model, ids in wanted.items():
            for record in self.action.env[model].browse(sorted(ids)).exists():
                context.tag_names[(model, record.id)] = record.display_name

    def _one2many(self, node: FieldNode, context: _BuildContext) -> None:
        from core.http.web.x2many import line_columns, read_lines

        sub = (self.view.subviews or {}).get(node.name, {})
        node.columns = line_columns(self.action.env, node.desc, sub.get("list"))
        typed = context.submitted.lines.get(node.name)
        node.lines = typed if typed is not None else read_lines(
            self.action.env, node.desc, node.columns, node.value or [], self.fmt)
        node.options["editable"] = not node.readonly

    # -- header buttons ---------------------------------------------------------------
    def _buttons(self, header: Any, context: _BuildContext) -> list[dict]:
        if not self.record:
            return []
        allowed = {b["trigger"]: b for b in self.record.workflow_buttons()} \
            if hasattr(self.record, "workflow_buttons") else {}
        triggers = self._workflow_triggers()
        buttons, seen = [], set()
        for element in header.iter("button") if header is not None else ():
            name = element.get("name") or ""
            if element.get("type") != "object" or not name or name.startswith("_"):
                continue
            condition = compile_condition(element.get("invisible"))
            if condition is not None and condition.evaluate(context.cond_values):
                continue
            if name in triggers and name not in allowed:
                continue
            seen.add(name)
            buttons.append({"name": name, "string": element.get("string") or name,
                            "primary": "oe_highlight" in (element.get("class") or "")
                            or "btn-primary" in (element.get("class") or ""),
                            "confirm": element.get("confirm")})
        for trigger, button in allowed.items():
            if trigger not in seen:
                buttons.append({"name": trigger, "string": button["string"] or trigger,
                                "primary": True, "confirm": None})
        return buttons

    def _workflow_triggers(self) -> set[str]:
        from core.workflow import engine

        flow = engine.workflow_of(self.action.model)
        return {t.trigger for t in flow.transitions} if flow is not None else set()

    def allowed_buttons(self) -> set[str]:
        """The method names a POST of this form may call (never ``_``-prefixed): the
        header's buttons and the visible object buttons of the sheet (smart buttons)."""
        if not self.record:
            return set()
        values = self.load_values()
        root, buttons = self.build(values, None)
        return {b["name"] for b in buttons} | _visible_buttons(root)

    # -- pages ------------------------------------------------------------------------
    def render(self, submitted: FormInput | None = None, error: str | None = None,
               warning: str | None = None, status: int = 200) -> Response:
        action = self.action
        values = self.load_values()
        if submitted is not None:
            values.update(submitted.shown)
        root, buttons = self.build(values, submitted)
        title = values.get("display_name") or (_("New") if not self.record else "")
        frame = action.frame()
        frame["breadcrumbs"] = action.breadcrumbs() + [(title, None)]
        return action.page.render(
            self.template, status=status, **frame, root=root, buttons=buttons,
            statusbars=self.statusbars(values, submitted),
            record_id=self.record_id, values=values, record_title=title,
            error=error, warning=warning, pager=self.pager(),
            form_url=action.record_url(self.record_id or "new"),
            model_name=action.spec.model, can_write=action.can("write"),
            editable=self.editable,
            can_delete=action.can("unlink") and self.arch.get("delete") != "0",
            can_copy=action.can("create") and self.arch.get("duplicate") != "0",
            has_active="active" in action.fields, record_active=values.get("active", True),
            onchange=json.dumps(sorted(self.onchange_fields & set(self.fields))),
            attachments=attachment_panel(action, self.record),
            chatter=chatter_panel(action, self.record))

    def pager(self) -> dict | None:
        """'3 / 45' within the list's search, with the previous and next records."""
        if not self.record:
            return None
        action = self.action
        from core.http.web.listview import ListRenderer

        order = ListRenderer(action).order()
        ids = action.model.search(action.search.domain, order=order).ids
        if self.record.id not in ids:
            return None
        index = ids.index(self.record.id)
        return {"index": index + 1, "count": len(ids),
                "prev": action.record_url(ids[index - 1]) if len(ids) > 1 else None,
                "next": action.record_url(ids[(index + 1) % len(ids)])
                if len(ids) > 1 else None}


@dataclass
class _BuildContext:
    values: dict
    cond_values: dict
    submitted: FormInput
    tag_names: dict = field(default_factory=dict)


register_view_type(FormRenderer)


def _visible_buttons(node: Node) -> set[str]:
    """Object buttons of the node tree that are shown (no invisible ancestor)."""
    if node.invisible:
        return set()
    if node.tag == "button":
        name = node.attrs.get("name") or ""
        return {name} if node.attrs.get("type") == "object" and name \
            and not name.startswith("_") else set()
    found: set[str] = set()
    for child in node.children:
        found |= _visible_buttons(child)
    return found

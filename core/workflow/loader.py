"""The ``<workflow>`` element of data files.

    <workflow id="expense_flow" model="oa.expense" state_field="state">
      <state name="draft" string="Draft" initial="1"/>
      <state name="manager" string="Manager approval"/>
      <state name="approved" string="Approved" final="1" folded="1"/>
      <state name="rejected" string="Rejected" final="1" folded="1"/>
      <transition from="draft" to="manager" trigger="action_submit" string="Submit"/>
      <transition from="manager" to="approved" trigger="action_approve"
                  approval="field" approval_field="manager_id"/>
      <transition from="manager" to="rejected" trigger="action_reject"
                  required="reject_reason" groups="oa.group_manager"/>
      <on_enter state="approved" method="_on_approved"/>
      <on_enter state="approved" message="Expense approved."/>
    </workflow>

Everything is checked when the file loads (states of the field's
selection, one initial state, transitions between declared states,
groups and templates that exist, conditions that compile, methods the
model has); an error names the file and the line of the element at
fault. On upgrade, a workflow that drops a state still used by records
is refused: map those records in a pre-migration script first.
See docs/workflows.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from core.exceptions import UserError
from core.modules.data import TAG_HANDLERS, DataLoader, _flag
from core.modules.safe_eval import literal_eval_with_refs
from core.workflow import engine

_ATTRIBUTES = {
    "workflow": {"id", "model", "state_field", "name"},
    "state": {"name", "string", "initial", "final", "folded", "sequence"},
    "transition": {"from", "to", "trigger", "string", "groups", "condition", "required",
                   "approval", "approval_group", "approval_field", "approvals", "sequence"},
    "on_enter": {"state", "method", "message", "activity", "user_field", "delay",
                 "template"},
}


def load_workflow(loader: DataLoader, element: Any, noupdate: bool) -> None:
    env = loader.env
    model_name = element.get("model")
    if not model_name or model_name not in env:
        raise ValueError(f"<workflow> needs the model attribute of an existing model, "
                         f"not {model_name!r}")
    unknown = set(element.attrib) - _ATTRIBUTES["workflow"]
    if unknown:
        raise ValueError(f"unknown attribute(s) {sorted(unknown)} on <workflow>")
    if not element.get("id"):
        raise ValueError("<workflow> needs an id (its external id, kept across upgrades)")
    model = env[model_name]
    state_field = element.get("state_field") or "state"
    field = model._fields.get(state_field)
    if field is None or field.type not in ("selection", "many2one"):
        raise ValueError(f"state_field {state_field!r} must be a selection or many2one field "
                         f"of {model_name}")
    for child in element:
        if isinstance(child.tag, str) and (child.tag not in _ATTRIBUTES
                                           or child.tag == "workflow"):
            raise loader.fail(child.sourceline, f"unknown element <{child.tag}> in <workflow>")
        if isinstance(child.tag, str):
            unknown = set(child.attrib) - _ATTRIBUTES[child.tag]
            if unknown:
                raise loader.fail(child.sourceline, f"unknown attribute(s) {sorted(unknown)} "
                                                    f"on <{child.tag}>")

    def canon(name: str | None) -> str | None:
        """many2one states are external ids: always written module.name"""
        if field.type != "many2one" or not name or name == "*":
            return name
        return ".".join(loader.split_xmlid(name))

    states, names, initial = [], [], None
    for child in element.iterchildren("state"):
        state = _state(loader, model, field, child, canon)
        if state["name"] in names:
            raise loader.fail(child.sourceline, f"state {state['name']!r} is declared twice")
        if state["initial"]:
            if initial is not None:
                raise loader.fail(child.sourceline, f"a second initial state "
                                                    f"({state['name']!r} after {initial!r}): "
                                                    "a workflow has exactly one")
            initial = state["name"]
        states.append(state)
        names.append(state["name"])
    if initial is None:
        raise ValueError("a workflow needs exactly one initial state (initial=\"1\")")
    _check_one_workflow(loader, model_name, element.get("id"))
    transitions = [_transition(loader, model, names, child, index, canon)
                   for index, child in enumerate(element.iterchildren("transition"))]
    actions = [_action(loader, model, names, child, index, canon)
               for index, child in enumerate(element.iterchildren("on_enter"))]
    if loader.mode == "update":
        _check_stranded(loader, model, state_field, field, names, element)
    values = {"name": element.get("name") or element.get("id") or model_name,
              "model": model_name, "state_field": state_field,
              "state_ids": [(5,)] + [(0, 0, s) for s in states],
              "transition_ids": [(5,)] + [(0, 0, t) for t in transitions],
              "action_ids": [(5,)] + [(0, 0, a) for a in actions]}
    loader.upsert("ir.workflow", element.get("id"), values, noupdate)
    engine.invalidate(env)


def _state(loader: DataLoader, model: Any, field: Any, element: Any, canon: Any) -> dict:
    name = canon(element.get("name"))
    if not name:
        raise loader.fail(element.sourceline, "<state> needs a name")
    if field.type == "selection":
        keys = [key for key, _label in field.get_values(model.env)]
        if name not in keys:
            raise loader.fail(element.sourceline, f"state {name!r} is not a value of "
                                                  f"{model._name}.{field.name} ({keys})")
    else:
        try:
            loader.ref(name)
        except ValueError as exc:
            raise loader.fail(element.sourceline, f"state {name!r}: {exc}") from None
    return {"name": name, "string": element.get("string") or name,
            "initial": _flag(element.get("initial")), "final": _flag(element.get("final")),
            "folded": _flag(element.get("folded")),
            "sequence": int(element.get("sequence") or 10)}


def _transition(loader: DataLoader, model: Any, states: list[str], element: Any,
                index: int, canon: Any) -> dict:
    from core.orm.models import BaseModel

    line = element.sourceline
    sources = [canon(x.strip()) for x in (element.get("from") or "").split(",") if x.strip()]
    target = canon(element.get("to"))
    trigger = element.get("trigger") or ""
    if not sources or not target:
        raise loader.fail(line, "<transition> needs from and to")
    for state in [*sources, target]:
        if state != "*" and state not in states:
            raise loader.fail(line, f"state {state!r} is not declared in this workflow")
    if not engine.valid_trigger(trigger):
        raise loader.fail(line, f"trigger {trigger!r} must be a public method name")
    if trigger in model._fields or hasattr(BaseModel, trigger):
        raise loader.fail(line, f"trigger {trigger!r} is taken by a field or a method of "
                                "every model; choose another name (e.g. action_...)")
    values: dict[str, Any] = {"from_states": ",".join(sources), "to_state": target,
                              "trigger": trigger, "string": element.get("string") or False,
                              "sequence": int(element.get("sequence") or index)}
    if element.get("groups"):
        try:
            values["group_ids"] = [(6, 0, [loader.ref(x.strip()) for x in
                                           element.get("groups").split(",") if x.strip()])]
        except ValueError as exc:
            raise loader.fail(line, f"groups: {exc}") from None
    if element.get("condition"):
        try:
            condition = literal_eval_with_refs(element.get("condition"), loader.ref)
            engine.check_condition(model, condition)
        except (ValueError, UserError) as exc:
            raise loader.fail(line, f"condition: {exc}") from None
        values["condition"] = repr(condition)
    required = [x.strip() for x in (element.get("required") or "").split(",") if x.strip()]
    for name in required:
        if name not in model._fields:
            raise loader.fail(line, f"required field {name!r} is not a field of {model._name}")
    values["required_fields"] = ",".join(required) or False
    approval = element.get("approval") or "none"
    if approval not in ("none", "group", "field"):
        raise loader.fail(line, "approval must be 'group' or 'field'")
    values["approval"] = approval
    count = element.get("approvals") or "1"
    if not count.isdigit() or int(count) < 1:
        raise loader.fail(line, f"approvals must be a number of approvers, not {count!r}")
    if int(count) > 1 and approval != "group":
        raise loader.fail(line, "approvals=\"N\" needs approval=\"group\" (N members of "
                                "a group)")
    if approval == "none" and (element.get("approval_group") or element.get("approval_field")):
        raise loader.fail(line, "approval_group and approval_field need approval=\"group\" "
                                "or approval=\"field\"")
    values["approval_count"] = int(count)
    if approval == "group":
        if element.get("approval_group"):
            try:
                values["approval_group_id"] = loader.ref(element.get("approval_group"))
            except ValueError as exc:
                raise loader.fail(line, f"approval_group: {exc}") from None
        elif not element.get("groups"):
            raise loader.fail(line, "approval=\"group\" needs approval_group (or groups: "
                                    "the members of the transition's groups approve)")
    if approval == "field":
        name = element.get("approval_field") or ""
        target_field = model._fields.get(name)
        if target_field is None or getattr(target_field, "comodel_name", None) != "res.users":
            raise loader.fail(line, f"approval_field {name!r} must be a many2one to res.users")
        values["approval_field"] = name
    return values


def _action(loader: DataLoader, model: Any, states: list[str], element: Any,
            index: int, canon: Any) -> dict:
    from core.orm.models import BaseModel

    line = element.sourceline
    state = canon(element.get("state"))
    if state not in states:
        raise loader.fail(line, f"on_enter state {state!r} is not declared in this workflow")
    values: dict[str, Any] = {"state": state, "sequence": index}
    kinds = [k for k in ("method", "message", "activity", "template") if element.get(k)]
    if len(kinds) > 1:
        raise loader.fail(line, f"<on_enter> does one thing, not {' and '.join(kinds)}: "
                                "write one <on_enter> per action")
    if element.get("method"):
        method = element.get("method")
        if not callable(getattr(type(model), method, None)):
            raise loader.fail(line, f"{model._name} has no method {method!r}")
        values.update(kind="method", method=method)
    elif element.get("message"):
        values.update(kind="message", message=element.get("message"))
    elif element.get("activity"):
        if type(model)._workflow_activity is BaseModel._workflow_activity:
            raise loader.fail(line, f"activities need {model._name} to be a mail.activity.mixin "
                                    "(install the mail addon)")
        user_field = element.get("user_field") or False
        if user_field and getattr(model._fields.get(user_field), "comodel_name", None) \
                != "res.users":
            raise loader.fail(line, f"user_field {user_field!r} must be a many2one to res.users")
        values.update(kind="activity", summary=element.get("activity"), user_field=user_field,
                      delay_days=int(element.get("delay") or 0))
    elif element.get("template"):
        if type(model)._workflow_template is BaseModel._workflow_template:
            raise loader.fail(line, f"templates need {model._name} to be a mail.thread "
                                    "(install the mail addon)")
        try:
            loader.ref(element.get("template"))
        except ValueError as exc:
            raise loader.fail(line, f"template: {exc}") from None
        values.update(kind="template", template=element.get("template"))
    else:
        raise loader.fail(line, "<on_enter> needs method, message, activity or template")
    return values


def _check_one_workflow(loader: DataLoader, model_name: str, xmlid: str) -> None:
    """A model has one workflow: another one (of another external id) is refused."""
    others = loader.env["ir.workflow"].sudo().search([("model", "=", model_name),
                                                      ("active", "=", True)])
    module, name = loader.split_xmlid(xmlid)
    found = loader.env["ir.model.data"]._xmlid_lookup(module, name)
    if found:
        others = others.filtered(lambda w: w.id != found[1])
    if others:
        raise ValueError(f"{model_name} has a workflow already ({others[0].name}); a model has "
                         "one workflow: extend it with the same id instead")


def _check_stranded(loader: DataLoader, model: Any, state_field: str, field: Any,
                    names: list[str], element: Any) -> None:
    used = model.sudo().with_context(active_test=False).read_group(
        [], [state_field], [state_field], lazy=False)
    kept = set(names) if field.type == "selection" else {loader.ref(n) for n in names}
    for group in used:
        value = group[state_field]
        if isinstance(value, tuple):
            value = value[0]
        if value and value not in kept:
            raise loader.fail(element.sourceline, (
                f"the workflow of {model._name} no longer has the state {value!r}, but "
                f"{group['__count']} record(s) are in it; move them to a state that stays "
                "in a pre-migration script (migrations/<version>/pre-*.py) of the module"))


def scan_triggers(files: list[Path]) -> dict[str, set[str]]:
    """{model: trigger names} declared by the <workflow> elements of XML files
    (read when the registry is built, so that trigger methods exist)."""
    result: dict[str, set[str]] = {}
    for path in files:
        if path.suffix != ".xml" or not path.is_file():
            continue
        try:
            for _event, element in etree.iterparse(str(path), tag="workflow",
                                                   resolve_entities=False, no_network=True):
                model = element.get("model")
                if model:
                    result.setdefault(model, set()).update(engine.trigger_names(element))
        except etree.XMLSyntaxError:
            continue  # reported with its line when the file is loaded
    return result


TAG_HANDLERS["workflow"] = load_workflow

"""The workflow engine: which transitions a user may take, and taking them.

    expense.action_submit()                          # generated trigger method
    expense.workflow_trigger("action_reject", values={"reject_reason": "Too high"})
    buttons(expense)      # [{"trigger": "action_approve", "string": "Approve", ...}]
    states(env["oa.expense"])                         # for the status bar

For a trigger, the transitions leaving the record's state are tried in
their order; the first whose groups include the user and whose
condition (a domain) holds is taken. A transition may require approval
by a group, by the user named in a field of the record, or by N distinct
members of a group: each approver's call records an approval, and the
transition fires with the last one needed. The state field is written
only by the engine (or under ``sudo()``); every transition is written to
``ir.workflow.history``; on-enter actions run after the state changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.exceptions import AccessError, UserError
from core.orm import domain as dom
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel

_logger = logging.getLogger("troika.workflow")


@dataclass
class State:
    name: str
    string: str
    initial: bool = False
    final: bool = False
    folded: bool = False


@dataclass
class Transition:
    id: int
    sources: tuple[str, ...]
    target: str
    trigger: str
    string: str
    group_ids: frozenset[int]
    condition: list | None
    required: tuple[str, ...]
    approval: str
    approval_group_id: int | None
    approval_field: str | None
    approval_count: int

    def leaves(self, state: str | None) -> bool:
        return "*" in self.sources or state in self.sources


@dataclass
class Action:
    state: str
    kind: str
    method: str | None
    message: str | None
    user_field: str | None
    summary: str | None
    delay_days: int
    template: str | None


@dataclass
class Workflow:
    id: int
    model: str
    state_field: str
    states: list[State]
    transitions: list[Transition]
    actions: list[Action] = field(default_factory=list)
    #: many2one state fields: state name (an external id) <-> record id
    ids_by_name: dict[str, int] | None = None

    @property
    def initial(self) -> State | None:
        return next((s for s in self.states if s.initial), None)

    def state_of(self, record: BaseModel) -> str | None:
        value = record[self.state_field]
        if self.ids_by_name is None:
            return value or None
        wanted = value.id if value else None
        return next((name for name, id_ in self.ids_by_name.items() if id_ == wanted), None)

    def value_of(self, state: str) -> Any:
        return self.ids_by_name[state] if self.ids_by_name is not None else state

    def label(self, state: str | None) -> str:
        found = next((s for s in self.states if s.name == state), None)
        return found.string if found else (state or "")


def workflow_of(model: BaseModel) -> Workflow | None:
    """The active workflow of the model, read once per transaction."""
    env = model.env
    if "ir.workflow" not in env.registry:
        return None
    memo = env.transaction.memo.setdefault("workflows", {})
    key = (model._name, env.lang)
    if key not in memo:
        memo[key] = _load(model) if _has_workflow(model) else None
    return memo[key]


def _has_workflow(model: BaseModel) -> bool:
    """Whether the model has an active workflow, kept for the process like the
    security lookups (a change of workflows drops it: ``access.SECURITY_MODELS``):
    most models have none, and every form asks."""
    table = model.env.registry["ir.workflow"]._table_obj

    def query() -> bool:
        return model.env.transaction.execute(
            sa.select(table.c.id).where(table.c.model == model._name,
                                        table.c.active == sa.true()).limit(1)).first() \
            is not None
    return access.cached(model.env, ("has_workflow", model._name), query)


def _load(model: BaseModel) -> Workflow | None:
    env = model.env
    record = env["ir.workflow"].sudo().search([("model", "=", model._name),
                                               ("active", "=", True)], limit=1)
    if not record:
        return None
    states = [State(s.name, s.string or s.name, s.initial, s.final, s.folded)
              for s in record.state_ids]
    transitions = []
    for t in record.transition_ids:
        condition = dom_literal(t.condition) if t.condition else None
        transitions.append(Transition(
            t.id, tuple(x.strip() for x in t.from_states.split(",") if x.strip()),
            t.to_state, t.trigger, t.string or t.trigger, frozenset(t.group_ids.ids),
            condition, tuple(x.strip() for x in (t.required_fields or "").split(",")
                             if x.strip()),
            t.approval, t.approval_group_id.id or None, t.approval_field or None,
            max(t.approval_count or 1, 1)))
    actions = [Action(a.state, a.kind, a.method or None, a.message or None,
                      a.user_field or None, a.summary or None, a.delay_days or 0,
                      a.template or None) for a in record.action_ids]
    ids_by_name = None
    state_field = model._fields[record.state_field]
    if state_field.type == "many2one":
        ids_by_name = {}
        for state in states:
            target = env.ref(state.name, raise_if_not_found=False)
            if target is not None:
                ids_by_name[state.name] = target.id
    return Workflow(record.id, model._name, record.state_field, states, transitions, actions,
                    ids_by_name)


def dom_literal(text: str) -> list:
    from core.modules.safe_eval import literal_eval_with_refs

    def no_ref(xmlid: str) -> int:
        raise ValueError("ref() is resolved when the workflow is loaded")

    return literal_eval_with_refs(text, no_ref)


def invalidate(env: Any) -> None:
    env.transaction.memo.pop("workflows", None)


# ---------------------------------------------------------------------------
# guarding the state field
# ---------------------------------------------------------------------------
def guard_write(model: BaseModel, vals: dict) -> None:
    """Refuse a direct write of the state field (allowed under sudo())."""
    if model.env.su:
        return
    flow = workflow_of(model)
    if flow is not None and flow.state_field in vals:
        raise AccessError(
            f"The field '{model._fields[flow.state_field].string}' of "
            f"{model._description} moves only through its workflow's actions "
            f"({', '.join(sorted({t.trigger for t in flow.transitions}))}).")


def prepare_create(model: BaseModel, vals_list: list[dict]) -> list[dict]:
    """New records start in the initial state; only sudo() may start elsewhere."""
    flow = workflow_of(model)
    if flow is None or flow.initial is None:
        return vals_list
    initial = flow.value_of(flow.initial.name)
    result = []
    for vals in vals_list:
        given = vals.get(flow.state_field)
        if given in (None, False):
            vals = {**vals, flow.state_field: initial}
        elif not model.env.su and _as_value(given) != initial:
            raise AccessError(
                f"A new {model._description} starts in the state "
                f"'{flow.initial.string}'; it cannot be created in another state.")
        result.append(vals)
    return result


def prepare_copy(records: BaseModel, vals_list: list[dict],
                 default: dict | None) -> list[dict]:
    """A copy starts in the initial state, unless ``default`` names the state."""
    flow = workflow_of(records)
    if flow is None or (default and flow.state_field in default):
        return vals_list
    return [{k: v for k, v in vals.items() if k != flow.state_field} for vals in vals_list]


def _as_value(value: Any) -> Any:
    return value.id if hasattr(value, "_ids") else value


# ---------------------------------------------------------------------------
# transitions
# ---------------------------------------------------------------------------
def trigger(records: BaseModel, name: str, values: dict | None = None,
            comment: str | None = None) -> bool:
    """Run the trigger ``name`` on each record; True once all have moved or
    recorded an approval."""
    flow = workflow_of(records)
    if flow is None:
        raise UserError(f"{records._description} has no workflow; {name} is not an action.")
    if not any(t.trigger == name for t in flow.transitions):
        raise UserError(f"'{name}' is not an action of the workflow of "
                        f"{records._description}.")
    # taking a transition changes the record: the user must be allowed to write it
    if access.enabled(records.env):
        access.check_rights(records, "write")
        access.check_rules(records, "write")
    # all or nothing: a refused record leaves no value, approval or move behind
    with records.env.transaction.atomic():
        if values:
            records.write(values)
        for record in records:
            _trigger_one(flow, record, name, comment)
    return True


def _user_groups(record: BaseModel) -> frozenset[int] | None:
    """The user's groups, or None for the superuser (who may do everything)."""
    env = record.env
    if env.su or env.uid in (None, 1) or "res.users" not in env.registry:
        return None
    return access.group_ids(env)


def _candidates(flow: Workflow, record: BaseModel, name: str) -> tuple[Transition | None, str]:
    """The transition to take, or None and why none can be taken."""
    state = flow.state_of(record)
    leaving = [t for t in flow.transitions if t.trigger == name and t.leaves(state)]
    if not leaving:
        return None, "state"
    groups = _user_groups(record)
    allowed = [t for t in leaving if groups is None or not t.group_ids or t.group_ids & groups]
    if not allowed:
        return None, "groups"
    privileged = record.sudo()
    for transition in allowed:
        if transition.condition is None or privileged.filtered_domain(transition.condition):
            return transition, ""
    return None, "condition"


def _trigger_one(flow: Workflow, record: BaseModel, name: str, comment: str | None) -> None:
    transition, reason = _candidates(flow, record, name)
    state = flow.state_of(record)
    label = flow.label(state)
    if transition is None:
        if reason == "state":
            raise UserError(f"{record.display_name}: '{name}' is not possible in the state "
                            f"'{label}'.")
        if reason == "groups":
            raise AccessError(f"{record.display_name}: you are not allowed to do '{name}' "
                              f"in the state '{label}'.")
        raise UserError(f"{record.display_name}: the conditions of '{name}' are not met in "
                        f"the state '{label}'.")
    missing = [f for f in transition.required if not record.sudo()[f]]
    if missing:
        names = ", ".join(record._fields[f].string for f in missing)
        raise UserError(f"{record.display_name}: '{transition.string}' needs a value for "
                        f"{names}.")
    approvers = _approve(flow, record, transition, state)
    if approvers is None:
        return
    _move(flow, record, transition, state, comment, approvers)


def _approval_refusal(record: BaseModel, transition: Transition) -> str | None:
    """Why the user may not approve ``transition`` on ``record`` (None: may)."""
    if transition.approval == "none":
        return None
    groups = _user_groups(record)
    if groups is None:
        return None
    if transition.approval == "field":
        approver = record.sudo()[transition.approval_field]
        if approver.id != record.env.uid:
            who = approver.display_name or "nobody yet"
            return (f"{record.display_name}: only the approver named on the record ({who}) "
                    f"may do '{transition.string}'.")
        return None
    approving = ({transition.approval_group_id} if transition.approval_group_id
                 else transition.group_ids)
    if approving and not approving & groups:
        return (f"{record.display_name}: only members of the approving group may do "
                f"'{transition.string}'.")
    return None


def _pending_approvals(record: BaseModel, transition: Transition,
                       state: str | None) -> BaseModel:
    """The approvals given so far for this transition from the record's state.

    Approvals are keyed by trigger and target rather than by the transition
    record, which an upgrade of the addon re-creates."""
    return record.env["ir.workflow.approval"].sudo().search([
        ("model", "=", record._name), ("res_id", "=", record.id),
        ("from_state", "=", state or ""), ("trigger", "=", transition.trigger),
        ("to_state", "=", transition.target), ("consumed", "=", False)])


def _approve(flow: Workflow, record: BaseModel, transition: Transition,
             state: str | None) -> list[int] | None:
    """Record the user's approval; the approvers once enough, else None."""
    if transition.approval == "none":
        return []
    refusal = _approval_refusal(record, transition)
    if refusal:
        raise AccessError(refusal)
    uid = record.env.uid
    pending = _pending_approvals(record, transition, state)
    users = set(pending.mapped("user_id").ids)
    if uid in users:
        missing = transition.approval_count - len(users)
        raise UserError(f"{record.display_name}: you approved '{transition.string}' already; "
                        f"waiting for {missing} more approval(s).")
    pending |= pending.create({"transition_id": transition.id, "model": record._name,
                               "res_id": record.id, "from_state": state or "",
                               "trigger": transition.trigger, "to_state": transition.target,
                               "user_id": uid})
    users.add(uid)
    if len(users) < transition.approval_count:
        return None
    return sorted(users)


def _move(flow: Workflow, record: BaseModel, transition: Transition, state: str | None,
          comment: str | None, approvers: list[int]) -> None:
    env = record.env
    record.sudo().write({flow.state_field: flow.value_of(transition.target)})
    # the approvals collected in the state it leaves are used up, whichever
    # transition fired: coming back to that state later starts afresh
    env["ir.workflow.approval"].sudo().search([
        ("model", "=", record._name), ("res_id", "=", record.id),
        ("consumed", "=", False)]).write({"consumed": True})
    notes = [comment] if comment else []
    for action in flow.actions:
        if action.state == transition.target:
            note = _run_action(record, action)
            if note:
                notes.append(note)
    env["ir.workflow.history"].sudo().create({
        "workflow_id": flow.id, "model": record._name, "res_id": record.id,
        "from_state": state or False, "to_state": transition.target,
        "trigger": transition.trigger, "user_id": env.uid,
        "comment": "\n".join(notes) or False,
        "approver_ids": [(6, 0, approvers)]})


def _run_action(record: BaseModel, action: Action) -> str | None:
    if action.kind == "method":
        getattr(record, action.method)()
        return None
    if action.kind == "message":
        return record._workflow_message(action.message or "")
    if action.kind == "activity":
        user = (record.sudo()[action.user_field] if action.user_field else None) \
            or record.env.user
        deadline = dt.date.today() + dt.timedelta(days=action.delay_days)
        record._workflow_activity(action.summary or "", user, deadline)
        return None
    record._workflow_template(action.template)
    return None


# ---------------------------------------------------------------------------
# what the form shows
# ---------------------------------------------------------------------------
def buttons(record: BaseModel) -> list[dict]:
    """The triggers this user may use on this record now, once per trigger."""
    record.ensure_one()
    flow = workflow_of(record)
    if flow is None:
        return []
    if access.enabled(record.env):
        if not access.check_rights(record, "write", raise_exception=False):
            return []
        try:
            access.check_rules(record, "write")
        except AccessError:
            return []
    result, seen = [], set()
    for transition in flow.transitions:
        if transition.trigger in seen:
            continue
        chosen, _reason = _candidates(flow, record, transition.trigger)
        if chosen is None or _approval_refusal(record, chosen):
            continue
        seen.add(transition.trigger)
        button = {"trigger": chosen.trigger, "string": chosen.string,
                  "to": chosen.target, "to_string": flow.label(chosen.target),
                  "required": list(chosen.required), "approval": chosen.approval}
        if chosen.approval != "none":
            given = _pending_approvals(record, chosen, flow.state_of(record))
            if record.env.uid in given.mapped("user_id").ids:
                continue    # approved already: waiting for the others
            button.update(approvals_needed=chosen.approval_count,
                          approved_by=given.mapped("user_id").ids)
        result.append(button)
    return result


def states(model: BaseModel) -> list[dict]:
    """The workflow's states in order: name, label, initial, final, folded, and the
    value of the state field (the name, or the record id of a many2one state)."""
    flow = workflow_of(model)
    if flow is None:
        return []
    return [{"name": s.name, "string": s.string, "initial": s.initial, "final": s.final,
             "folded": s.folded,
             "value": s.name if flow.ids_by_name is None else flow.ids_by_name.get(s.name)}
            for s in flow.states]


def valid_trigger(name: str | None) -> bool:
    return bool(name) and name.isidentifier() and not name.startswith("_")


def trigger_names(flow_element: Any) -> set[str]:
    """The trigger names of a <workflow> element (invalid ones are reported
    when the file loads, and get no generated method)."""
    return {t.get("trigger") for t in flow_element.iterchildren("transition")
            if valid_trigger(t.get("trigger"))}


def check_condition(model: BaseModel, condition: list) -> None:
    """Compile a condition once to report unknown fields at load time."""
    model.sudo()._where(dom.parse(condition))

"""Endpoints of the kanban and calendar views: moving cards and events, quick create.

    POST /web/json/kanban_move   {"action_id": 12, "model": "twv.task", "id": 7,
                                  "field": "stage_id", "value": 3}
         -> {"id": 7, "field": "stage_id", "value": 3, "moved": true, "message": null}
    POST /web/json/calendar_move {"action_id": 12, "model": "twv.task", "id": 7,
                                  "view_id": 41, "start": "2026-11-05T09:30"}
         -> {"id": 7, "start": "2026-11-05 01:30:00", "stop": "2026-11-05 02:30:00"}
    POST /web/action/12/kanban_quick_create?<page state>   csrf_token, column, name
         -> 303 back to the board

JSON calls carry the session's CSRF token in ``X-CSRF-Token`` (checked by
the controller before anything runs) and run as the user. Moving a card
writes the column's field, or, when that field is the state field of the
model's workflow, takes the transition that leads there (the engine's
refusal comes back as the error). A refused move or reschedule (a
constraint, a rule, a workflow) answers 4xx with ``{"error": {"message"}}``
and leaves nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.http.web.actions import ListState, load_action, model_action
from core.http.web.controller import JsonError, Page
from core.http.web.i18n import _, translate
from core.http.web.renderers import ActionPage, register_route
from core.workflow import engine as workflow

_SCOPES = ("/web/action/<int:action_id>", "/web/model/<string:model>")


def _action(page: Page, payload: dict, state: ListState | None = None) -> ActionPage:
    action_id = payload.get("action_id")
    if isinstance(action_id, int) and not isinstance(action_id, bool) and action_id:
        spec = load_action(page.env, action_id)
        if spec.model != payload.get("model", spec.model):
            raise JsonError(_("The model does not match the action."))
    else:
        model = payload.get("model")
        if not isinstance(model, str) or not model:
            raise JsonError(_("model must be a text."))
        spec = model_action(page.env, model)
    return ActionPage(page, spec, state or ListState())


def _record(action: ActionPage, payload: dict) -> Any:
    record_id = payload.get("id")
    if not isinstance(record_id, int) or isinstance(record_id, bool):
        raise JsonError(_("id must be a number."))
    record = action.model.browse(record_id).exists()
    if not record:
        raise JsonError(_("This record does not exist (any more)."), 404, "missing")
    return record


# -- kanban ----------------------------------------------------------------------------
def kanban_move(page: Page, payload: dict) -> dict:
    """Move a card to another column: a write, or the workflow transition leading there."""
    from core.http.web.kanbanview import DRAGGABLE_TYPES, KanbanRenderer

    action = _action(page, payload)
    renderer = KanbanRenderer(action)
    name = payload.get("field")
    desc = action.fields.get(name) if isinstance(name, str) else None
    if desc is None or desc["type"] not in DRAGGABLE_TYPES or \
            renderer.arch.get("records_draggable") in ("0", "false", "False"):
        raise JsonError(_("Cards cannot move by this field."), 403)
    record = _record(action, payload)
    value = _column_value(action, desc, payload.get("value"))
    flow = workflow.workflow_of(action.model)
    with page.env.transaction.atomic(savepoint=True):
        if flow is not None and flow.state_field == name:
            moved, message = _transition(flow, record, value)
        else:
            if desc.get("readonly"):
                raise JsonError(_("%(field)s cannot be changed.", field=desc["string"]), 403)
            record.write({name: value})
            moved, message = True, None
    current = record.read([name])[0][name]
    current = current[0] if isinstance(current, tuple) else current
    return {"id": record.id, "field": name, "value": current, "moved": moved,
            "message": message}


def _column_value(action: ActionPage, desc: dict, value: Any) -> Any:
    if value is None or value is False:
        return False
    if desc["type"] == "many2one":
        if not isinstance(value, int) or isinstance(value, bool):
            raise JsonError(_("The column's value must be a record id."))
        if not action.env[desc["relation"]].browse(value).exists():
            raise JsonError(_("This column does not exist (any more)."), 404, "missing")
        return value
    if value not in {key for key, _label in desc.get("selection") or []}:
        raise JsonError(_("This column does not exist (any more)."), 404, "missing")
    return value


def _transition(flow: Any, record: Any, target: Any) -> tuple[bool, str | None]:
    """Take the workflow transition from the record's state to ``target``."""
    state = flow.state_of(record)
    wanted = next((s.name for s in flow.states if flow.value_of(s.name) == target), None)
    if wanted is None or wanted == state:
        return wanted == state, None
    triggers = list(dict.fromkeys(t.trigger for t in flow.transitions
                                  if t.leaves(state) and t.target == wanted))
    if not triggers:
        raise JsonError(_("%(record)s cannot go from %(source)s to %(target)s: no action of "
                          "its workflow leads there.", record=record.display_name,
                          source=flow.label(state), target=flow.label(wanted)), 422, "UserError")
    offered = {b["trigger"]: b for b in workflow.buttons(record)}
    trigger = next((t for t in triggers if t in offered and offered[t]["to"] == wanted),
                   None)
    if trigger is None:
        other = next((offered[t] for t in triggers if t in offered), None)
        if other is not None:
            raise JsonError(_("%(record)s: %(action)s leads to %(other)s now, not to "
                              "%(target)s.", record=record.display_name,
                              action=other["string"], other=other["to_string"],
                              target=flow.label(wanted)), 422, "UserError")
        trigger = triggers[0]       # the engine says why it refuses
    record.workflow_trigger(trigger)
    record.invalidate_recordset()
    if flow.state_of(record) != wanted:
        return False, translate(record.env, _("Your approval was recorded; the card moves "
                                              "once the others approve."))
    return True, None


def kanban_quick_create(page: Page, action_id: int | None = None,
                        model: str | None = None) -> Response:
    """The quick create form of a column (a plain POST): a record named ``name``."""
    from core.http.web.kanbanview import KanbanRenderer

    spec = load_action(page.env, action_id) if action_id else model_action(page.env, model)
    action = ActionPage(page, spec, ListState.from_args(page.request.args))
    renderer = KanbanRenderer(action)
    if not renderer.quick_create():
        raise Forbidden(_("Records cannot be quickly created here."))
    form = page.request.form
    name = (form.get("name") or "").strip()
    try:
        value = json.loads(form.get("column") or "false")
    except ValueError:
        raise BadRequest(_("Unknown column")) from None
    if not name:
        raise BadRequest(_("Give it a name."))
    desc = action.fields[renderer.group_field]
    try:
        value = _column_value(action, desc, value)
    except JsonError as exc:
        raise BadRequest(str(exc)) from None
    action.model.create({renderer._rec_name(): name, renderer.group_field: value})
    return redirect(action.list_url(view_type="kanban"), 303)


# -- calendar ------------------------------------------------------------------------------
def calendar_move(page: Page, payload: dict) -> dict:
    """Reschedule an event: ``start`` (a day, or a day and time in the user's timezone)."""
    from core.http.web.calendarview import CalendarRenderer

    action = _action(page, payload)
    renderer = CalendarRenderer(action)
    if not renderer.editable():
        raise JsonError(_("Events of this calendar cannot be moved."), 403)
    record = _record(action, payload)
    start = payload.get("start")
    if not isinstance(start, str):
        raise JsonError(_("start must be a text."))
    try:
        target = dt.datetime.fromisoformat(start) if "T" in start else \
            dt.date.fromisoformat(start)
    except ValueError:
        raise JsonError(_("start must be a date (YYYY-MM-DD) or a date and time.")) from None
    with page.env.transaction.atomic(savepoint=True):
        values = renderer.reschedule(record, target)
    return {"id": record.id, **{k: str(v) if v else v for k, v in values.items()}}


register_route("/web/json/kanban_move", "kanban_move", kanban_move)
register_route("/web/json/calendar_move", "calendar_move", calendar_move)
for _scope in _SCOPES:
    register_route(f"{_scope}/kanban_quick_create", "kanban_quick_create",
                   kanban_quick_create, kind="page")

"""Automated actions: when records are created, changed or reach a date, do something.

    env["base.automation"].create({
        "name": "Follow up quotes 3 days after sending",
        "model": "sale.order", "trigger": "on_time",
        "date_field": "date_sent", "delay": 3,
        "filter_domain": "[('state', '=', 'sent')]",
        "action": "activity", "activity_summary": "Call the customer",
        "activity_user_field": "user_id",
    })

Triggers: ``on_create``, ``on_write`` (optionally only when one of
``trigger_field_names`` changes), ``on_create_or_write``, ``on_time``
(``date_field`` + ``delay`` days has passed, checked by a scheduled
job). Actions: call a method, write values, schedule an activity, send
an e-mail template. ``filter_domain`` (a domain literal, never evaluated
as Python) selects the records.
"""

from __future__ import annotations

import datetime as dt

from core import api, fields, models
from core.exceptions import ValidationError

TRIGGERS = [("on_create", "On creation"), ("on_write", "On update"),
            ("on_create_or_write", "On creation and update"),
            ("on_time", "Based on a date field")]
ACTIONS = [("method", "Call a method"), ("write", "Update the record"),
           ("activity", "Schedule an activity"), ("template", "Send an e-mail template")]


class BaseAutomation(models.Model):
    _name = "base.automation"
    _description = "Automated Action"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    model = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    trigger = fields.Selection(TRIGGERS, required=True, default="on_create_or_write")
    trigger_field_names = fields.Char(help="Comma-separated fields: on update, run only "
                                           "when one of them changed")
    filter_domain = fields.Char(help="A domain the records must satisfy")
    action = fields.Selection(ACTIONS, required=True, default="method")
    method = fields.Char()
    values = fields.Json(help="For 'Update the record': the values to write")
    activity_summary = fields.Char(translate=True)
    activity_user_field = fields.Char()
    activity_delay = fields.Integer(help="Days until the activity is due")
    template = fields.Char(help="External id of the e-mail template")
    date_field = fields.Char()
    delay = fields.Integer(help="Days after (or before, if negative) the date field")
    last_run = fields.Datetime(readonly=True)

    @api.constrains("model", "trigger", "date_field", "action", "method", "filter_domain",
                    "values", "trigger_field_names")
    def _check_definition(self) -> None:
        from core.workflow.automation import parse_filter

        for rule in self:
            if rule.model not in self.env:
                raise ValidationError(f"Automated action {rule.name}: unknown model "
                                      f"{rule.model!r}.")
            model = self.env[rule.model]
            if rule.trigger == "on_time" and getattr(
                    model._fields.get(rule.date_field or ""), "type", None) not in (
                    "date", "datetime"):
                raise ValidationError(f"Automated action {rule.name}: a time trigger needs "
                                      "a date or datetime field.")
            if rule.action == "method" and not callable(
                    getattr(type(model), rule.method or "", None)):
                raise ValidationError(f"Automated action {rule.name}: {rule.model} has no "
                                      f"method {rule.method!r}.")
            if rule.action == "write" and not isinstance(rule.values, dict):
                raise ValidationError(f"Automated action {rule.name}: 'Update the record' "
                                      "needs the values to write (a JSON object).")
            hook = {"activity": "_workflow_activity",
                    "template": "_workflow_template"}.get(rule.action)
            if hook and getattr(type(model), hook) is getattr(models.BaseModel, hook):
                raise ValidationError(f"Automated action {rule.name}: {rule.model} cannot "
                                      f"hold activities nor send templates (the mail addon "
                                      "provides them).")
            unknown = [name.strip() for name in (rule.trigger_field_names or "").split(",")
                       if name.strip() and name.strip() not in model._fields]
            if unknown:
                raise ValidationError(f"Automated action {rule.name}: {rule.model} has no "
                                      f"field {', '.join(unknown)}.")
            parse_filter(model, rule.filter_domain)

    @api.model_create_multi
    def create(self, vals_list):
        from core.workflow.automation import invalidate

        invalidate(self.env)
        return super().create(vals_list)

    def write(self, vals):
        from core.workflow.automation import invalidate

        invalidate(self.env)
        return super().write(vals)

    def unlink(self):
        from core.workflow.automation import invalidate

        invalidate(self.env)
        return super().unlink()

    @api.model
    def _run_time_triggers(self) -> int:
        """Run the date-based actions that came due since their last run."""
        from core.workflow.automation import run_time_triggers

        return run_time_triggers(self.sudo(), fields.Datetime.now())

    def _window_start(self, now: dt.datetime) -> dt.datetime:
        return self.last_run or (now - dt.timedelta(days=1))

"""Scheduled jobs: a model method called at an interval by the job runner.

    <record id="ir_cron_vacuum" model="ir.cron">
        <field name="name">Vacuum wizards</field>
        <field name="model">ir.attachment</field>
        <field name="method">_gc_file_store</field>
        <field name="interval_number">1</field>
        <field name="interval_type">days</field>
    </record>

The runner (``python server.py cron``, and a thread of ``serve``) claims
due jobs with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
that several workers never run one job twice (core.workflow.jobs).
"""

from __future__ import annotations

import datetime as dt

from core import api, fields, models
from core.exceptions import ValidationError

INTERVALS = [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days"),
             ("weeks", "Weeks"), ("months", "Months")]


def add_interval(moment: dt.datetime, number: int, unit: str) -> dt.datetime:
    if unit == "months":
        month = moment.month - 1 + number
        year = moment.year + month // 12
        month = month % 12 + 1
        day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0)
                                else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
        return moment.replace(year=year, month=month, day=day)
    return moment + dt.timedelta(**{unit: number})


class IrCron(models.Model):
    _name = "ir.cron"
    _description = "Scheduled Action"
    _order = "priority, name"

    name = fields.Char(required=True, translate=True)
    model = fields.Char(required=True, help="The model whose method is called")
    method = fields.Char(required=True, help="A method of the model, called without records")
    args = fields.Json(help="Positional arguments (a JSON list)")
    user_id = fields.Many2one("res.users", "Run as", default=lambda self: self.env.uid,
                              ondelete="set null")
    active = fields.Boolean(default=True)
    interval_number = fields.Integer(default=1, required=True)
    interval_type = fields.Selection(INTERVALS, default="hours", required=True)
    nextcall = fields.Datetime("Next Run", required=True,
                               default=lambda self: fields.Datetime.now())
    lastcall = fields.Datetime("Last Run", readonly=True)
    priority = fields.Integer(default=5)
    failure_count = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)

    @api.constrains("interval_number", "model", "method")
    def _check_job(self) -> None:
        for cron in self:
            if cron.interval_number <= 0:
                raise ValidationError(f"Scheduled action {cron.name}: the interval must be "
                                      "positive.")
            if cron.model not in self.env:
                raise ValidationError(f"Scheduled action {cron.name}: unknown model "
                                      f"{cron.model!r}.")
            if not callable(getattr(type(self.env[cron.model]), cron.method, None)):
                raise ValidationError(f"Scheduled action {cron.name}: {cron.model} has no "
                                      f"method {cron.method!r}.")

    def _next_call(self, now: dt.datetime) -> dt.datetime:
        """The first time after ``now`` on the job's schedule."""
        moment = self.nextcall or now
        while moment <= now:
            moment = add_interval(moment, self.interval_number, self.interval_type)
        return moment

    def method_direct_trigger(self) -> bool:
        """Run the jobs now (the "Run manually" button)."""
        for cron in self:
            model = self.env[cron.model].with_user(cron.user_id.id or self.env.uid)
            getattr(model, cron.method)(*(cron.args or []))
        return True

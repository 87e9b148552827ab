"""Activity types: to-do, call, meeting, e-mail, upload a document — and
those addons add (``res_model``), with their default delay and chaining.

    call = env.ref("mail.mail_activity_data_call")
    call.write({"chaining_type": "trigger",
                "triggered_next_type_id": env.ref("mail.mail_activity_data_email").id})
    # marking a call done now plans the e-mail by itself

``chaining_type``: ``suggest`` offers ``suggested_next_type_ids`` when the
activity is done; ``trigger`` schedules ``triggered_next_type_id`` at once,
``delay_count`` ``delay_unit`` after the done date (or the previous
deadline, ``delay_from``).
"""

from __future__ import annotations

import datetime as dt
import re

from core import api, fields, models
from core.exceptions import ValidationError


def add_delay(start: dt.date, count: int, unit: str) -> dt.date:
    """``start`` plus ``count`` days, weeks or months (clamped month ends)."""
    if unit == "weeks":
        return start + dt.timedelta(weeks=count)
    if unit == "months":
        month = start.month - 1 + count
        year, month = start.year + month // 12, month % 12 + 1
        for day in (start.day, 30, 29, 28):
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return start + dt.timedelta(days=count)


class MailActivityType(models.Model):
    _name = "mail.activity.type"
    _description = "Activity Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    summary = fields.Char("Default Summary", translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    delay_count = fields.Integer("Schedule", default=0,
                                 help="How long after the reference date it is due")
    delay_unit = fields.Selection([("days", "days"), ("weeks", "weeks"),
                                   ("months", "months")], "Delay units", required=True,
                                  default="days")
    delay_label = fields.Char(compute="_compute_delay_label")
    delay_from = fields.Selection([("current_date", "after completion date"),
                                   ("previous_activity", "after previous activity deadline")],
                                  "Delay Type", required=True, default="previous_activity")
    icon = fields.Char(help="A Font Awesome icon name, e.g. fa-phone")
    decoration_type = fields.Selection([("warning", "Alert"), ("danger", "Error")],
                                       "Decoration Type")
    res_model = fields.Char("Model", help="The model it is offered on; empty: every model")
    category = fields.Selection([("default", "None"), ("upload_file", "Upload Document"),
                                 ("phonecall", "Phonecall"), ("meeting", "Meeting")],
                                "Action", default="default",
                                help="What the activity asks for when it is marked done")
    chaining_type = fields.Selection([("suggest", "Suggest Next Activity"),
                                      ("trigger", "Trigger Next Activity")],
                                     "Chaining Type", required=True, default="suggest")
    triggered_next_type_id = fields.Many2one("mail.activity.type", "Trigger",
                                             ondelete="restrict",
                                             help="Scheduled when this one is done")
    suggested_next_type_ids = fields.Many2many(
        "mail.activity.type", "mail_activity_rel", "activity_id", "recommended_id",
        "Suggest", help="Offered when this one is done")
    previous_type_ids = fields.Many2many(
        "mail.activity.type", "mail_activity_rel", "recommended_id", "activity_id",
        "Preceding Activities")
    default_user_id = fields.Many2one("res.users", "Default User", ondelete="set null")
    default_note = fields.Html("Default Note", translate=True)
    mail_template_ids = fields.Many2many("mail.template", string="Email templates")

    @api.depends("delay_count", "delay_unit")
    def _compute_delay_label(self) -> None:
        for activity_type in self:
            activity_type.delay_label = f"{activity_type.delay_count} {activity_type.delay_unit}"

    @api.constrains("res_model")
    def _check_res_model(self) -> None:
        for activity_type in self:
            model = activity_type.res_model
            if model and (not re.fullmatch(r"[a-z0-9_.]+", model) or model not in self.env):
                raise ValidationError(f"Activity type {activity_type.name}: unknown model "
                                      f"{model!r}.")

    @api.constrains("triggered_next_type_id", "chaining_type")
    def _check_chain(self) -> None:
        for activity_type in self:
            if activity_type.chaining_type == "trigger" and \
                    activity_type.triggered_next_type_id == activity_type:
                raise ValidationError(f"Activity type {activity_type.name} cannot trigger "
                                      "itself.")

    def _deadline(self, reference: dt.date) -> dt.date:
        self.ensure_one()
        return add_delay(reference, self.delay_count or 0, self.delay_unit or "days")

"""Tasks with stages (some folded), a workflow on ``state``, dates and amounts."""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError


class TwvStage(models.Model):
    _name = "twv.stage"
    _description = "Task Stage"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean("Folded in kanban")


class TwvTag(models.Model):
    _name = "twv.tag"
    _description = "Task Tag"
    _order = "name"

    name = fields.Char(required=True)


class TwvTask(models.Model):
    _name = "twv.task"
    _description = "Task"
    _order = "sequence, id"

    name = fields.Char("Title", required=True)
    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one("twv.stage", "Stage", group_expand=True, ondelete="restrict")
    state = fields.Selection([("draft", "New"), ("progress", "In progress"), ("done", "Done"),
                              ("cancel", "Cancelled")], "Status", default="draft")
    priority = fields.Selection([("0", "Normal"), ("1", "Important"), ("2", "Urgent"),
                                 ("3", "Critical")], default="0")
    deadline = fields.Date()
    start = fields.Datetime()
    stop = fields.Datetime()
    allday = fields.Boolean("All day")
    hours = fields.Float("Planned hours")
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", "Currency")
    user_id = fields.Many2one("res.users", "Assigned to")
    tag_ids = fields.Many2many("twv.tag", string="Tags")
    description = fields.Text()

    @api.constrains("start", "deadline")
    def _check_start_deadline(self) -> None:
        for task in self:
            if task.start and task.deadline and task.start.date() > task.deadline:
                raise ValidationError("A task cannot start after its deadline.")

"""Stages of marketing campaigns (New, Scheduled, Designed, Sent).

    env["utm.stage"].search([], limit=1)      # the stage a new campaign starts in
"""

from __future__ import annotations

from core import fields, models


class UtmStage(models.Model):
    _name = "utm.stage"
    _description = "Campaign Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=1)

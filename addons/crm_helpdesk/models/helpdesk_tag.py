"""Ticket tags.

    env["helpdesk.tag"].create({"name": "Shipping damage", "color": 2})
"""

from __future__ import annotations

from core import fields, models


class HelpdeskTag(models.Model):
    _name = "helpdesk.tag"
    _description = "Helpdesk Tags"
    _order = "name"

    name = fields.Char("Tag Name", required=True, translate=True)
    color = fields.Integer("Color")

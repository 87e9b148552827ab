"""Tags of marketing campaigns ("Fair 2026", "Key account push").

    env["utm.tag"].create({"name": "Trade fair", "color": 3})
"""

from __future__ import annotations

from core import fields, models


class UtmTag(models.Model):
    _name = "utm.tag"
    _description = "Campaign Tag"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer("Color Index")

    _sql_constraints = [("name_uniq", "unique(name)", "Tag name already exists!")]

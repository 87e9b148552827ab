"""Mediums: the kind of channel a contact came through (e-mail, website, trade show).

    email = env.ref("utm.utm_medium_email")
    lead.medium_id = email
"""

from __future__ import annotations

from core import fields, models


class UtmMedium(models.Model):
    _name = "utm.medium"
    _description = "UTM Medium"
    _order = "name, id"

    name = fields.Char("Medium Name", required=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("unique_name", "unique(name)", "The name must be unique")]

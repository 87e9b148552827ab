"""Companies get a default working-hours calendar.

    env.company.resource_calendar_id       # resource.resource_calendar_std by default
"""

from __future__ import annotations

from core import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    resource_calendar_id = fields.Many2one(
        "resource.calendar", "Default Working Hours", ondelete="restrict",
        default=lambda self: self.env.ref("resource.resource_calendar_std",
                                          raise_if_not_found=False))

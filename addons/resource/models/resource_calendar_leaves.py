"""Time off of a calendar: public holidays, company closures.

    env["resource.calendar.leaves"].create({
        "name": "Lunar New Year", "calendar_id": calendar.id,
        "date_from": datetime(2027, 2, 5, 16, 0),      # UTC: 00:00 in Taipei
        "date_to": datetime(2027, 2, 10, 16, 0)})

A leave without a calendar closes every calendar (of its company, when it has one).
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError


class ResourceCalendarLeaves(models.Model):
    _name = "resource.calendar.leaves"
    _description = "Resource Time Off Detail"
    _order = "date_from, id"

    name = fields.Char("Reason", required=True)
    company_id = fields.Many2one("res.company", "Company",
                                 default=lambda self: self.env.company)
    calendar_id = fields.Many2one("resource.calendar", "Working Hours", index=True,
                                  ondelete="cascade")
    date_from = fields.Datetime("Start Date", required=True, index=True)
    date_to = fields.Datetime("End Date", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self) -> None:
        for leave in self:
            if leave.date_to <= leave.date_from:
                raise ValidationError(f"{leave.name}: the time off must end after it starts.")

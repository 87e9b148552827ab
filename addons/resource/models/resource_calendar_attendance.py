"""The working hours of one weekday of a calendar.

    env["resource.calendar.attendance"].create({
        "calendar_id": calendar.id, "name": "Monday Morning", "dayofweek": "0",
        "hour_from": 8.0, "hour_to": 12.0})        # 08:00-12:00 in the calendar's zone

``date_from``/``date_to`` limit a line to a period (summer hours).
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError

WEEKDAYS = [("0", "Monday"), ("1", "Tuesday"), ("2", "Wednesday"), ("3", "Thursday"),
            ("4", "Friday"), ("5", "Saturday"), ("6", "Sunday")]


class ResourceCalendarAttendance(models.Model):
    _name = "resource.calendar.attendance"
    _description = "Work Detail"
    _order = "dayofweek, sequence, hour_from, id"

    name = fields.Char(required=True)
    calendar_id = fields.Many2one("resource.calendar", "Resource's Calendar", required=True,
                                  ondelete="cascade", index=True)
    dayofweek = fields.Selection(WEEKDAYS, "Day of Week", required=True, index=True,
                                 default="0")
    hour_from = fields.Float("Work from", required=True, index=True,
                             help="Start of the working time, in hours (8.5 is 08:30)")
    hour_to = fields.Float("Work to", required=True,
                           help="End of the working time, in hours (24 is midnight)")
    day_period = fields.Selection([("morning", "Morning"), ("lunch", "Break"),
                                   ("afternoon", "Afternoon")], required=True,
                                  default="morning")
    date_from = fields.Date("Starting Date")
    date_to = fields.Date("End Date")
    sequence = fields.Integer(default=10)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self) -> None:
        for line in self:
            if not 0 <= line.hour_from < line.hour_to <= 24:
                raise ValidationError(
                    f"{line.name}: the working time runs from a time of the day to a later "
                    f"one (0 to 24), not from {line.hour_from} to {line.hour_to}.")

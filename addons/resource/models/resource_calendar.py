"""Working-hours calendars: when people work, in their time zone.

    calendar = env.ref("resource.resource_calendar_std")     # Mon-Fri 08-12, 13-17
    calendar.tz = "Asia/Taipei"
    start = datetime(2026, 11, 27, 8, 0)                      # naive: UTC (16:00 Friday local)
    calendar.plan_hours(4, start)                             # -> Monday 11:00 local, in UTC
    calendar.get_work_hours_count(start, datetime(2026, 11, 30, 2, 0))   # 3.0

Attendance lines give the hours of each weekday (``hour_from``/``hour_to``
as floats in the calendar's time zone: 8.5 is 08:30); ``global_leave_ids``
(and leaves of no calendar, which every calendar shares) remove public
holidays. Times follow Troika's convention: a naive datetime is UTC; an
aware one is converted, and the answer comes back aware in the same zone
(as Odoo's ``plan_hours``). Daylight saving time is respected: 09:00 local
is 09:00 on the wall clock on both sides of a change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from addons.base.models.res_partner import _tz_get
from core import api, fields, models
from core.exceptions import ValidationError

Interval = tuple[dt.datetime, dt.datetime]
#: how far plan_hours looks ahead, in days, before it gives up (a calendar
#: without attendances, or holidays covering everything)
PLAN_HORIZON_DAYS = 1500
_WINDOW_DAYS = 28


def to_naive_utc(value: dt.datetime) -> dt.datetime:
    """A naive UTC datetime from a naive (UTC) or aware one."""
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _revert(value: dt.datetime, like: dt.datetime) -> dt.datetime:
    """``value`` (naive UTC) in the form of ``like``: naive, or aware in its zone."""
    if like.tzinfo is None:
        return value
    return value.replace(tzinfo=dt.UTC).astimezone(like.tzinfo)


def subtract(intervals: Iterable[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """``intervals`` without the parts covered by ``holes`` (both sorted or not)."""
    holes = sorted(holes)
    result: list[Interval] = []
    for start, stop in sorted(intervals):
        pieces = [(start, stop)]
        for hole_start, hole_stop in holes:
            if hole_stop <= start or hole_start >= stop:
                continue
            next_pieces = []
            for piece_start, piece_stop in pieces:
                if hole_start > piece_start:
                    next_pieces.append((piece_start, min(hole_start, piece_stop)))
                if hole_stop < piece_stop:
                    next_pieces.append((max(hole_stop, piece_start), piece_stop))
            pieces = [p for p in next_pieces if p[0] < p[1]]
        result.extend(pieces)
    return result


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted intervals, overlapping or touching ones joined."""
    result: list[Interval] = []
    for start, stop in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], stop))
        else:
            result.append((start, stop))
    return result


def _hours(intervals: Iterable[Interval]) -> float:
    return sum((stop - start).total_seconds() for start, stop in intervals) / 3600.0


class ResourceCalendar(models.Model):
    _name = "resource.calendar"
    _description = "Resource Working Time"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", "Company",
                                 default=lambda self: self.env.company)
    tz = fields.Selection(_tz_get, "Timezone", required=True,
                          default=lambda self: self._default_tz(),
                          help="The attendance hours are wall-clock hours of this time zone")
    attendance_ids = fields.One2many("resource.calendar.attendance", "calendar_id",
                                     "Working Time", copy=True)
    global_leave_ids = fields.One2many("resource.calendar.leaves", "calendar_id",
                                       "Global Time Off", copy=True)
    hours_per_day = fields.Float("Average Hour per Day", default=8.0, digits=(16, 2))
    hours_per_week = fields.Float(compute="_compute_hours_per_week", digits=(16, 2))

    def _default_tz(self) -> str:
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    @api.depends("attendance_ids.hour_from", "attendance_ids.hour_to")
    def _compute_hours_per_week(self) -> None:
        for calendar in self:
            calendar.hours_per_week = sum(line.hour_to - line.hour_from
                                          for line in calendar.attendance_ids
                                          if not line.date_from and not line.date_to)

    @api.constrains("tz")
    def _check_tz(self) -> None:
        for calendar in self:
            try:
                zoneinfo.ZoneInfo(calendar.tz)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValidationError(f"{calendar.tz!r} is not a time zone.") from None

    # ------------------------------------------------------------------
    # intervals (naive UTC)
    # ------------------------------------------------------------------
    def _zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz or "UTC")

    def _attendance_rows(self) -> list[tuple]:
        return [(int(line.dayofweek), line.hour_from, line.hour_to,
                 line.date_from or None, line.date_to or None)
                for line in self.attendance_ids]

    def _attendance_intervals(self, start: dt.datetime, stop: dt.datetime) -> list[Interval]:
        """The attendance hours between ``start`` and ``stop`` (naive UTC), cut to them."""
        self.ensure_one()
        zone, rows = self._zone(), self._attendance_rows()
        first = start.replace(tzinfo=dt.UTC).astimezone(zone).date() - dt.timedelta(days=1)
        last = stop.replace(tzinfo=dt.UTC).astimezone(zone).date() + dt.timedelta(days=1)
        result: list[Interval] = []
        day = first
        while day <= last:
            midnight = dt.datetime.combine(day, dt.time())
            for weekday, hour_from, hour_to, date_from, date_to in rows:
                if weekday != day.weekday() or (date_from and day < date_from) \
                        or (date_to and day > date_to):
                    continue
                begin = _utc(midnight + dt.timedelta(hours=hour_from), zone)
                end = _utc(midnight + dt.timedelta(hours=hour_to), zone)
                begin, end = max(begin, start), min(end, stop)
                if begin < end:
                    result.append((begin, end))
            day += dt.timedelta(days=1)
        return merge(result)

    def _leave_intervals(self, start: dt.datetime, stop: dt.datetime) -> list[Interval]:
        """Public holidays of this calendar (and of every calendar) overlapping the period."""
        self.ensure_one()
        leaves = self.env["resource.calendar.leaves"].search([
            ("calendar_id", "in", [self.id, False]),
            ("date_from", "<", stop), ("date_to", ">", start)])
        return [(max(leave.date_from, start), min(leave.date_to, stop)) for leave in leaves
                if not leave.company_id or not self.company_id
                or leave.company_id == self.company_id]

    def _work_intervals(self, start: dt.datetime, stop: dt.datetime,
                        compute_leaves: bool = True) -> list[Interval]:
        """Working time between two naive UTC moments, holidays removed."""
        intervals = self._attendance_intervals(start, stop)
        if compute_leaves and intervals:
            intervals = subtract(intervals, self._leave_intervals(start, stop))
        return intervals

    # ------------------------------------------------------------------
    # Odoo's API
    # ------------------------------------------------------------------
    def get_work_hours_count(self, start_dt: dt.datetime, end_dt: dt.datetime,
                             compute_leaves: bool = True, domain: list | None = None) -> float:
        """Working hours between two moments (0 when ``end_dt`` is not after ``start_dt``)."""
        self.ensure_one()
        start, stop = to_naive_utc(start_dt), to_naive_utc(end_dt)
        if stop <= start:
            return 0.0
        return _hours(self._work_intervals(start, stop, compute_leaves))

    def plan_hours(self, hours: float, day_dt: dt.datetime, compute_leaves: bool = False,
                   domain: list | None = None, resource: object = None
                   ) -> dt.datetime | bool:
        """The moment when ``hours`` working hours after ``day_dt`` are done (False
        when the calendar has no working time within ~4 years). Negative hours
        plan backwards: the moment that many working hours before ``day_dt``."""
        self.ensure_one()
        start = to_naive_utc(day_dt)
        if hours < 0:
            found = self._plan_backwards(-hours, start, compute_leaves)
        else:
            found = self._plan_forwards(hours, start, compute_leaves)
        return _revert(found, day_dt) if found else False

    def _plan_forwards(self, hours: float, start: dt.datetime,
                       compute_leaves: bool) -> dt.datetime | None:
        remaining = dt.timedelta(hours=hours)
        window = dt.timedelta(days=_WINDOW_DAYS)
        cursor = start
        while cursor - start < dt.timedelta(days=PLAN_HORIZON_DAYS):
            for begin, end in self._work_intervals(cursor, cursor + window, compute_leaves):
                if end - begin >= remaining:
                    return begin + remaining
                remaining -= end - begin
            cursor += window
        return None

    def _plan_backwards(self, hours: float, start: dt.datetime,
                        compute_leaves: bool) -> dt.datetime | None:
        remaining = dt.timedelta(hours=hours)
        window = dt.timedelta(days=_WINDOW_DAYS)
        cursor = start
        while start - cursor < dt.timedelta(days=PLAN_HORIZON_DAYS):
            intervals = self._work_intervals(cursor - window, cursor, compute_leaves)
            for begin, end in reversed(intervals):
                if end - begin >= remaining:
                    return end - remaining
                remaining -= end - begin
            cursor -= window
        return None


def _utc(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time of ``zone`` as naive UTC."""
    return local.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)

"""Working-hours arithmetic of resource.calendar: nights, weekends, holidays, time
zones and daylight saving time, forwards and backwards."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from addons.resource.models.resource_calendar import merge, subtract
from core.exceptions import ValidationError

D = dt.datetime
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def env(addon_env):
    return addon_env("resource")


def calendar(env, tz="Asia/Taipei", hours=((8, 12), (13, 17)), days=range(5)):
    return env["resource.calendar"].create({
        "name": f"Office {tz}", "tz": tz,
        "attendance_ids": [(0, 0, {"name": f"{day} {start}", "dayofweek": str(day),
                                   "hour_from": start, "hour_to": stop})
                           for day in days for start, stop in hours]})


def test_standard_calendar_is_the_companys_default(env):
    std = env.ref("resource.resource_calendar_std")
    assert env.ref("base.main_company").resource_calendar_id == std
    assert std.hours_per_week == 40.0
    assert env["res.company"].create({"name": "Branch"}).resource_calendar_id == std


def test_plan_hours_skips_the_night_and_the_lunch_break(env):
    office = calendar(env)
    # Wednesday 2026-11-25 10:00 Taipei (02:00 UTC) + 3 h: 10-12, then 13-14
    assert office.plan_hours(3, D(2026, 11, 25, 2, 0)) == D(2026, 11, 25, 6, 0)
    # + 9 h: 6 h on Wednesday, then 3 h on Thursday morning -> 11:00 Taipei
    assert office.plan_hours(9, D(2026, 11, 25, 2, 0)) == D(2026, 11, 26, 3, 0)
    # from the middle of the night: work starts at 08:00
    assert office.plan_hours(1, D(2026, 11, 25, 16, 0)) == D(2026, 11, 26, 1, 0)


def test_plan_hours_skips_the_weekend(env):
    office = calendar(env)
    # Friday 2026-11-27 16:00 Taipei (08:00 UTC) + 4 h: 1 h Friday, 3 h Monday -> 11:00
    assert office.plan_hours(4, D(2026, 11, 27, 8, 0)) == D(2026, 11, 30, 3, 0)
    # from Saturday noon: Monday 08:00 + 2 h
    assert office.plan_hours(2, D(2026, 11, 28, 4, 0)) == D(2026, 11, 30, 2, 0)
    # a whole week of work is 40 hours: same time a week later
    assert office.plan_hours(40, D(2026, 11, 25, 2, 0)) == D(2026, 12, 2, 2, 0)


def test_counting_hours_is_the_inverse_of_planning(env):
    office = calendar(env)
    start = D(2026, 11, 27, 8, 0)
    assert office.get_work_hours_count(start, D(2026, 11, 30, 2, 0)) == 3.0
    for hours in (0.5, 1, 7.25, 16, 41):
        end = office.plan_hours(hours, start)
        assert office.get_work_hours_count(start, end) == pytest.approx(hours)
    assert office.get_work_hours_count(D(2026, 11, 30), D(2026, 11, 27)) == 0.0


def test_planning_backwards(env):
    office = calendar(env)
    # 4 h before Monday 10:00 Taipei: 2 h on Monday, 2 h on Friday -> Friday 15:00
    assert office.plan_hours(-4, D(2026, 11, 30, 2, 0)) == D(2026, 11, 27, 7, 0)


def test_the_same_utc_moment_in_two_time_zones(env):
    taipei, new_york = calendar(env), calendar(env, tz="America/New_York")
    start = D(2026, 11, 25, 14, 0)     # Wednesday 22:00 in Taipei, 09:00 in New York
    assert taipei.plan_hours(1, start) == D(2026, 11, 26, 1, 0)     # Thursday 09:00 Taipei
    assert new_york.plan_hours(1, start) == D(2026, 11, 25, 15, 0)  # Wednesday 10:00 NY
    # both answer aware datetimes in the caller's zone when asked with one
    local = start.replace(tzinfo=dt.UTC).astimezone(TAIPEI)
    answer = taipei.plan_hours(1, local)
    assert answer.tzinfo is TAIPEI and (answer.hour, answer.day) == (9, 26)


def test_daylight_saving_time_keeps_wall_clock_hours(env):
    new_york = calendar(env, tz="America/New_York")
    # Friday 2026-10-30 16:00 EDT (20:00 UTC) + 2 h: 1 h Friday, then Monday 09:00 EST
    # (clocks went back on 1 November: 09:00 EST is 14:00 UTC, not 13:00)
    assert new_york.plan_hours(2, D(2026, 10, 30, 20, 0)) == D(2026, 11, 2, 14, 0)
    assert new_york.get_work_hours_count(D(2026, 10, 30, 20, 0), D(2026, 11, 2, 14, 0)) == 2.0
    local = new_york.plan_hours(2, D(2026, 10, 30, 16, 0, tzinfo=NEW_YORK))
    assert (local.hour, local.utcoffset()) == (9, dt.timedelta(hours=-5))


def test_holidays_are_not_working_time(env):
    office = calendar(env)
    # Monday 30 November closed (Taipei day: 29 Nov 16:00 UTC to 30 Nov 16:00 UTC)
    env["resource.calendar.leaves"].create({
        "name": "Company day", "calendar_id": office.id,
        "date_from": D(2026, 11, 29, 16, 0), "date_to": D(2026, 11, 30, 16, 0)})
    start = D(2026, 11, 27, 8, 0)
    assert office.plan_hours(4, start, compute_leaves=True) == D(2026, 12, 1, 3, 0)
    assert office.plan_hours(4, start, compute_leaves=False) == D(2026, 11, 30, 3, 0)
    assert office.get_work_hours_count(start, D(2026, 12, 1, 9, 0)) == 9.0
    assert office.get_work_hours_count(start, D(2026, 12, 1, 9, 0),
                                       compute_leaves=False) == 17.0
    # a leave of no calendar closes every calendar
    other = calendar(env, tz="UTC")
    env["resource.calendar.leaves"].create({
        "name": "Typhoon day", "date_from": D(2026, 12, 2), "date_to": D(2026, 12, 3)})
    assert other.get_work_hours_count(D(2026, 12, 2), D(2026, 12, 3)) == 0.0


def test_round_the_clock_and_empty_calendars(env):
    always = calendar(env, tz="UTC", hours=((0, 24),), days=range(7))
    assert always.plan_hours(30, D(2026, 11, 28, 6, 0)) == D(2026, 11, 29, 12, 0)
    empty = env["resource.calendar"].create({"name": "Nobody works", "tz": "UTC"})
    assert empty.plan_hours(1, D(2026, 11, 28)) is False
    assert empty.get_work_hours_count(D(2026, 11, 28), D(2026, 12, 28)) == 0.0


def test_dated_attendances_apply_to_their_period(env):
    office = calendar(env, hours=((9, 17),))
    office.attendance_ids.filtered(lambda a: a.dayofweek == "4").write(
        {"date_to": dt.date(2026, 11, 30)})       # no Friday work from December on
    assert office.get_work_hours_count(D(2026, 11, 26, 16), D(2026, 11, 28)) == 8.0
    assert office.get_work_hours_count(D(2026, 12, 3, 16), D(2026, 12, 5)) == 0.0


def test_invalid_hours_and_time_zones_are_refused(env):
    office = calendar(env)
    with pytest.raises(ValidationError, match="later one"):
        office.attendance_ids[0].write({"hour_from": 18})
    with pytest.raises(ValidationError):
        env["resource.calendar"].create({"name": "Mars", "tz": "Mars/Olympus"})
    with pytest.raises(ValidationError, match="end after"):
        env["resource.calendar.leaves"].create({
            "name": "Backwards", "date_from": D(2026, 1, 2), "date_to": D(2026, 1, 1)})


def test_interval_helpers():
    a = [(D(2026, 1, 1, 8), D(2026, 1, 1, 12)), (D(2026, 1, 1, 11), D(2026, 1, 1, 14))]
    assert merge(a) == [(D(2026, 1, 1, 8), D(2026, 1, 1, 14))]
    holes = [(D(2026, 1, 1, 9), D(2026, 1, 1, 10)), (D(2026, 1, 1, 13), D(2026, 1, 2))]
    assert subtract(merge(a), holes) == [(D(2026, 1, 1, 8), D(2026, 1, 1, 9)),
                                         (D(2026, 1, 1, 10), D(2026, 1, 1, 13))]

"""Automated actions (base.automation) on tw_approval's tasks: on creation, on
update of given fields, for records matching a domain, and on a time
condition (a date field plus a delay) checked by a scheduled job."""

from __future__ import annotations

import datetime as dt

import pytest

from core.exceptions import ValidationError
from core.orm import fields
from core.workflow.automation import run_time_triggers


def rule(env, **values):
    values = {"name": "Rule", "model": "tw.task", **values}
    return env["base.automation"].create(values)


def test_on_create_from_xml(env):
    urgent, normal = env["tw.task"].create([{"name": "URGENT: fix the roof"},
                                            {"name": "Paint the fence"}])
    assert (urgent.priority, normal.priority) == ("1", "0")
    automation = env.ref("tw_approval.automation_urgent")
    assert (automation.trigger, automation.action, automation.values) == (
        "on_create", "write", {"priority": "1"})
    normal.name = "URGENT after all"          # on_create only
    assert normal.priority == "0"


def test_on_create_with_a_method_and_a_domain(env):
    rule(env, trigger="on_create", action="method", method="action_bump",
         filter_domain="[('priority', '=', '1')]")
    high, low = env["tw.task"].create([{"name": "High", "priority": "1"}, {"name": "Low"}])
    assert (high.counter, low.counter) == (1, 0)


def test_on_write_of_given_fields(env):
    rule(env, trigger="on_write", trigger_field_names="date_deadline,user_id",
         action="write", values={"note": "replanned"}, filter_domain="[('priority', '=', '1')]")
    task = env["tw.task"].create({"name": "Task", "priority": "1"})
    other = env["tw.task"].create({"name": "Other"})
    assert not task.note                       # not on creation
    task.name = "Renamed"
    assert not task.note                       # not a trigger field
    (task | other).write({"date_deadline": dt.date(2030, 1, 1)})
    assert task.note == "replanned"
    assert not other.note                      # filtered out by the domain
    task.note = False
    task.user_id = env.ref("base.user_admin")
    assert task.note == "replanned"


def test_on_create_or_write_does_not_loop(env):
    rule(env, trigger="on_create_or_write", action="method", method="action_bump")
    task = env["tw.task"].create({"name": "Task"})
    assert task.counter == 1           # action_bump writes counter: no re-trigger
    task.name = "Again"
    assert task.counter == 2


def test_inactive_rules_do_nothing(env):
    rule(env, trigger="on_create", action="method", method="action_bump", active=False)
    assert env["tw.task"].create({"name": "Task"}).counter == 0


def test_on_time_through_the_scheduled_job(env):
    today = fields.Date.today()
    automation = rule(env, trigger="on_time", date_field="date_deadline", delay=3,
                      action="write", values={"note": "late"})
    tasks = env["tw.task"].create([
        {"name": "Due 3 days ago", "date_deadline": today - dt.timedelta(days=3)},
        {"name": "Due 2 days ago", "date_deadline": today - dt.timedelta(days=2)},
        {"name": "Due long ago", "date_deadline": today - dt.timedelta(days=30)},
        {"name": "Due today", "date_deadline": today}])
    cron = env.ref("base.ir_cron_automation_time")
    assert (cron.model, cron.method) == ("base.automation", "_run_time_triggers")
    assert env["base.automation"]._run_time_triggers() == 1
    assert tasks.mapped("note") == ["late", False, False, False]
    assert automation.last_run
    # the window starts at the last run: nothing is handled twice
    tasks[0].note = False
    assert env["base.automation"]._run_time_triggers() == 0
    assert not tasks[0].note
    # a day later, the next task comes due; its window ends at the given time
    later = automation.last_run + dt.timedelta(days=1)
    assert run_time_triggers(env["base.automation"].sudo(), later) == 1
    assert tasks.mapped("note") == [False, "late", False, False]
    assert automation.last_run == later


def test_on_time_with_a_datetime_field_and_a_domain(env):
    now = fields.Datetime.now()
    automation = rule(env, trigger="on_time", date_field="deadline_at", delay=0,
                      action="method", method="action_bump",
                      filter_domain="[('priority', '=', '1')]")
    automation.last_run = now - dt.timedelta(hours=2)
    tasks = env["tw.task"].create([
        {"name": "Passed", "deadline_at": now - dt.timedelta(hours=1), "priority": "1"},
        {"name": "Passed, not urgent", "deadline_at": now - dt.timedelta(hours=1)},
        {"name": "Before the window", "deadline_at": now - dt.timedelta(hours=3),
         "priority": "1"},
        {"name": "In the future", "deadline_at": now + dt.timedelta(hours=1),
         "priority": "1"}])
    assert run_time_triggers(env["base.automation"].sudo(), now) == 1
    assert tasks.mapped("counter") == [1, 0, 0, 0]


def test_a_failing_time_rule_does_not_hold_back_the_others(env):
    today = fields.Date.today()
    broken = rule(env, name="Broken", sequence=1, trigger="on_time",
                  date_field="date_deadline", action="method", method="job_fail")
    working = rule(env, name="Working", sequence=2, trigger="on_time",
                   date_field="date_deadline", action="method", method="action_bump")
    task = env["tw.task"].create({"name": "Due", "date_deadline": today})
    assert env["base.automation"]._run_time_triggers() == 1
    assert task.counter == 1
    assert working.last_run and not broken.last_run     # the broken one retries next time


def test_invalid_rules_are_refused(env):
    with pytest.raises(ValidationError, match="tw.task has no method 'nope'"):
        rule(env, trigger="on_create", action="method", method="nope")
    with pytest.raises(ValidationError, match="a time trigger needs a date or datetime"):
        rule(env, trigger="on_time", date_field="name", action="method", method="action_bump")
    with pytest.raises(ValidationError, match="unknown model 'tw.nope'"):
        rule(env, model="tw.nope", trigger="on_create", action="method", method="x")
    with pytest.raises(ValidationError, match="has no field colour"):
        rule(env, trigger="on_write", trigger_field_names="name, colour", action="method",
             method="action_bump")
    with pytest.raises(ValidationError, match="cannot hold activities"):
        rule(env, trigger="on_create", action="activity", activity_summary="Call")
    with pytest.raises(ValidationError, match="needs the values to write"):
        rule(env, trigger="on_create", action="write")
    with pytest.raises(ValueError, match="Invalid field 'colour'"):
        rule(env, trigger="on_create", action="method", method="action_bump",
             filter_domain="[('colour', '=', 'red')]")
    with pytest.raises(ValueError):
        rule(env, trigger="on_create", action="method", method="action_bump",
             filter_domain="__import__('os').system('echo pwned')")

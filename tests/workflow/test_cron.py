"""Scheduled jobs (ir.cron) run by core.workflow.jobs: due jobs run once and
their next call moves on; a failing job is rolled back, its failure recorded,
and the others still run. Both backends; the work is committed."""

from __future__ import annotations

import datetime as dt

import pytest

from addons.base.models.ir_cron import add_interval
from core.exceptions import ValidationError
from core.orm import fields
from core.workflow.jobs import run_one_cron, run_pending
from tests.workflow.conftest import job_logs, make_user


def make_cron(env, name, method="_cron_tick", args=None, nextcall=None, **values):
    return env["ir.cron"].create({
        "name": name, "model": "tw.task", "method": method, "args": args or [],
        "interval_number": 1, "interval_type": "hours",
        "nextcall": nextcall or fields.Datetime.now() - dt.timedelta(minutes=5), **values}).id


def read_cron(database, cron_id):
    with database.env() as env:
        cron = env["ir.cron"].browse(cron_id)
        return {name: cron[name] for name in ("nextcall", "lastcall", "failure_count",
                                              "last_error", "active")}


def test_due_jobs_run_and_their_next_call_advances(jobs_db):
    now = fields.Datetime.now()
    with jobs_db.env() as env:
        due = make_cron(env, "Due", args=["due"], nextcall=now - dt.timedelta(minutes=5))
        late = make_cron(env, "Late", args=["late"],
                         nextcall=now - dt.timedelta(hours=3, minutes=30))
        later = make_cron(env, "Not yet", args=["not yet"], nextcall=now + dt.timedelta(hours=1))
        make_cron(env, "Inactive", args=["inactive"], active=False)
    assert run_pending(jobs_db) == 2
    assert sorted(job_logs(jobs_db)) == ["due", "late"]
    first = read_cron(jobs_db, due)
    assert first["nextcall"] == now - dt.timedelta(minutes=5) + dt.timedelta(hours=1)
    assert now <= first["lastcall"] <= fields.Datetime.now()
    assert (first["failure_count"], first["last_error"]) == (0, False)
    # missed runs are not made up for: one run, then the next slot after now
    assert read_cron(jobs_db, late)["nextcall"] == now + dt.timedelta(minutes=30)
    assert read_cron(jobs_db, later)["nextcall"] == now + dt.timedelta(hours=1)
    assert run_pending(jobs_db) == 0
    assert run_one_cron(jobs_db) is False
    assert sorted(job_logs(jobs_db)) == ["due", "late"]


def test_a_failing_job_is_recorded_and_the_others_run(jobs_db):
    with jobs_db.env() as env:
        first = make_cron(env, "First", args=["first"], priority=1)
        failing = make_cron(env, "Failing", method="_cron_fail", priority=2)
        last = make_cron(env, "Last", args=["last"], priority=3)
    assert run_pending(jobs_db) == 3
    assert job_logs(jobs_db) == ["first", "last"]       # the failing job's row rolled back
    failed = read_cron(jobs_db, failing)
    assert failed["failure_count"] == 1
    assert "the tick failed on purpose" in failed["last_error"]
    assert "UserError" in failed["last_error"]
    assert failed["nextcall"] > fields.Datetime.now()    # not retried in a loop
    assert read_cron(jobs_db, first)["failure_count"] == 0
    assert read_cron(jobs_db, last)["last_error"] is False
    with jobs_db.env() as env:
        env["ir.cron"].browse(failing).write({"nextcall": fields.Datetime.now()})
    assert run_pending(jobs_db) == 1
    assert read_cron(jobs_db, failing)["failure_count"] == 2
    with jobs_db.env() as env:      # fixed: the counter and the error are cleared
        env["ir.cron"].browse(failing).write({"nextcall": fields.Datetime.now(),
                                              "method": "_cron_tick", "args": ["fixed"]})
    assert run_pending(jobs_db) == 1
    fixed = read_cron(jobs_db, failing)
    assert (fixed["failure_count"], fixed["last_error"]) == (0, False)
    assert job_logs(jobs_db) == ["first", "last", "fixed"]


def test_a_job_runs_as_its_user(jobs_db):
    with jobs_db.env() as env:
        user = make_user(env, "cron_user")
        make_cron(env, "As a user", method="_cron_tick", args=["as user"], user_id=user.id)
        root = make_cron(env, "As root", args=["as root"])
        env["ir.cron"].browse(root).user_id = env.ref("base.user_root")
    assert run_pending(jobs_db) == 2
    with jobs_db.env() as env:
        logs = env["tw.job.log"].search([])
        assert {log.key: log.create_uid.login for log in logs} == {
            "as user": "cron_user", "as root": env.ref("base.user_root").login}


def test_cron_declared_in_xml(jobs_db):
    with jobs_db.env() as env:
        cron = env["ir.cron"].with_context(active_test=False).search(
            [("id", "=", env.ref("tw_approval.ir_cron_task_tick").id)])
        assert (cron.model, cron.method, cron.args, cron.interval_number,
                cron.interval_type) == ("tw.task", "_cron_tick", ["xml tick"], 1, "days")
        assert cron.user_id == env.ref("base.user_root")
        cron.write({"active": True, "nextcall": fields.Datetime.now()})
    assert run_pending(jobs_db) == 1
    assert job_logs(jobs_db) == ["xml tick"]


def test_run_manually(jobs_db):
    with jobs_db.env() as env:
        cron = env["ir.cron"].browse(make_cron(env, "Manual", args=["manual"],
                                               nextcall=fields.Datetime.now()
                                               + dt.timedelta(days=1)))
        cron.method_direct_trigger()
    assert job_logs(jobs_db) == ["manual"]


def test_invalid_jobs_are_refused(jobs_db):
    with jobs_db.env() as env:
        with pytest.raises(ValidationError, match="tw.task has no method '_nope'"):
            make_cron(env, "Bad method", method="_nope")
        with pytest.raises(ValidationError, match="unknown model 'tw.nope'"):
            env["ir.cron"].create({"name": "Bad model", "model": "tw.nope", "method": "x"})
        with pytest.raises(ValidationError, match="interval must be positive"):
            make_cron(env, "Bad interval", interval_number=0)


@pytest.mark.parametrize(("start", "number", "unit", "expected"), [
    (dt.datetime(2024, 1, 31, 8), 1, "months", dt.datetime(2024, 2, 29, 8)),
    (dt.datetime(2023, 1, 31, 8), 1, "months", dt.datetime(2023, 2, 28, 8)),
    (dt.datetime(2023, 11, 30), 3, "months", dt.datetime(2024, 2, 29)),
    (dt.datetime(2024, 3, 1), 2, "weeks", dt.datetime(2024, 3, 15)),
    (dt.datetime(2024, 3, 1), 90, "minutes", dt.datetime(2024, 3, 1, 1, 30)),
])
def test_intervals(start, number, unit, expected):
    assert add_interval(start, number, unit) == expected

"""Deferred jobs (ir.job, ``records.with_delay().method()``): a job exists only
if the transaction that enqueued it commits, runs once, as its user; a
failing job is retried with a back-off and ends failed. Two runner
processes on one database run each job exactly once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest

from core.orm import fields
from core.workflow.jobs import BACKOFF_BASE, Runner, run_one_job, run_pending
from tests.modules.common import ROOT
from tests.workflow.conftest import ADDONS, job_logs, make_user


def read_job(database, job_id) -> dict:
    with database.env() as env:
        job = env["ir.job"].browse(job_id)
        return {name: job[name] for name in ("state", "attempts", "last_error", "eta",
                                             "date_done", "record_ids", "args", "kwargs")}


def test_a_committed_job_runs_once(jobs_db):
    with jobs_db.env() as env:
        tasks = env["tw.task"].create([{"name": "A"}, {"name": "B"}])
        job = tasks.with_delay().job_log("hello", sleep=0)
        assert job._name == "ir.job"
        job_id = job.id
        assert env["tw.job.log"].search_count([]) == 0     # not run yet
    queued = read_job(jobs_db, job_id)
    assert (queued["state"], queued["attempts"], queued["record_ids"], queued["args"],
            queued["kwargs"]) == ("pending", 0, tasks.ids, ["hello"], {"sleep": 0})
    assert run_pending(jobs_db) == 1
    assert job_logs(jobs_db) == ["hello"]
    done = read_job(jobs_db, job_id)
    assert (done["state"], done["attempts"], done["last_error"]) == ("done", 1, False)
    assert done["date_done"]
    assert run_pending(jobs_db) == 0
    assert run_one_job(jobs_db) is False
    assert job_logs(jobs_db) == ["hello"]
    with jobs_db.env() as env:
        assert env["tw.job.log"].search([]).task_ids == 2    # ran on both records


def test_a_job_of_a_rolled_back_transaction_never_exists(jobs_db):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), jobs_db.env() as env:
        env["tw.task"].create({"name": "A"}).with_delay().job_log("never")
        assert env["ir.job"].search_count([]) == 1
        raise Abort
    with jobs_db.env() as env:
        assert env["ir.job"].search_count([]) == 0
    assert run_pending(jobs_db) == 0
    assert job_logs(jobs_db) == []


def test_a_failing_job_retries_with_backoff_then_fails(jobs_db):
    with jobs_db.env() as env:
        job_id = env["tw.task"].with_delay(max_attempts=3).job_fail("boom").id
    etas = []
    for attempt in (1, 2):
        before = fields.Datetime.now()
        assert run_pending(jobs_db) == 1
        job = read_job(jobs_db, job_id)
        assert (job["state"], job["attempts"]) == ("pending", attempt)
        assert "ValueError: boom" in job["last_error"]
        delay = dt.timedelta(seconds=BACKOFF_BASE * 4 ** (attempt - 1))
        assert before + delay <= job["eta"] <= fields.Datetime.now() + delay
        etas.append(job["eta"] - before)
        assert run_pending(jobs_db) == 0            # not before its eta
        with jobs_db.env() as env:                  # time passes
            env["ir.job"].browse(job_id).eta = fields.Datetime.now() - dt.timedelta(seconds=1)
    assert etas[1] > etas[0]                        # the back-off grows
    assert run_pending(jobs_db) == 1
    job = read_job(jobs_db, job_id)
    assert (job["state"], job["attempts"]) == ("failed", 3)
    assert "boom" in job["last_error"]
    assert run_pending(jobs_db) == 0
    assert job_logs(jobs_db) == []                  # every attempt was rolled back
    with jobs_db.env() as env:
        env["ir.job"].browse(job_id).action_requeue()
    job = read_job(jobs_db, job_id)
    assert (job["state"], job["attempts"], job["eta"]) == ("pending", 0, False)


def test_a_failing_job_does_not_stop_the_others(jobs_db):
    with jobs_db.env() as env:
        tasks = env["tw.task"]
        tasks.with_delay(priority=1).job_log("first")
        tasks.with_delay(priority=2).job_fail("broken")
        tasks.with_delay(priority=3).job_log("last")
    assert run_pending(jobs_db) == 3
    assert job_logs(jobs_db) == ["first", "last"]


def test_priority_eta_and_user(jobs_db):
    with jobs_db.env() as env:
        user = make_user(env, "job_user")
        uid = user.id
        tasks = env["tw.task"].create({"name": "T"})
        tasks.with_delay(priority=30).job_log("low")
        tasks.with_delay(priority=5).job_log("high")
        tasks.with_delay(eta=dt.timedelta(hours=1)).job_log("in an hour")
        later = fields.Datetime.now() + dt.timedelta(days=1)
        tasks.with_delay(eta=later).job_log("tomorrow")
        tasks.with_user(user).with_context(lang="fr_FR").with_delay().job_whoami()
    assert run_pending(jobs_db) == 3
    logs = job_logs(jobs_db)
    # by priority (5, the default 10, 30); as the user who enqueued it, in its language
    assert logs == ["high", f"uid={uid} su=False lang=fr_FR", "low"]
    with jobs_db.env() as env:
        pending = env["ir.job"].search([("state", "=", "pending")])
        assert sorted(pending.mapped("name")) == ["tw.task.job_log", "tw.task.job_log"]


def test_only_methods_can_be_delayed(jobs_db):
    with jobs_db.env() as env:
        with pytest.raises(AttributeError, match="tw.task has no method 'nope'"):
            env["tw.task"].with_delay().nope()


def test_two_runner_processes_run_each_job_once(jobs_db, backend, tmp_path):
    """Two processes with their own connections run the same 50 jobs and one
    due scheduled job. PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, both
    work at once; SQLite: every transaction holds the write lock, they take
    turns (one may do everything)."""
    with jobs_db.env() as env:
        task = env["tw.task"].create({"name": "Many"})
        for i in range(50):
            task.with_delay().job_log(f"job {i}", sleep=0.02)
        env["ir.cron"].create({"name": "Once", "model": "tw.task", "method": "_cron_tick",
                               "args": ["cron"], "interval_number": 1,
                               "interval_type": "hours",
                               "nextcall": fields.Datetime.now()})
    url = jobs_db.url.render_as_string(hide_password=False)
    env_vars = {k: v for k, v in os.environ.items() if not k.startswith("TROIKA_")}
    processes = []
    for n in range(2):
        ready = tmp_path / f"ready{n}"
        processes.append((ready, subprocess.Popen(
            [sys.executable, "-m", "tests.workflow.runner_process", url, str(ADDONS),
             str(ready), str(tmp_path / "go")],
            cwd=ROOT, env=env_vars, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in processes):
        assert all(p.poll() is None for _, p in processes), [
            p.communicate() for _, p in processes]
        assert time.monotonic() < deadline
        time.sleep(0.01)
    (tmp_path / "go").touch()
    counts = []
    for _, process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        counts.append(int(out.strip().splitlines()[-1]))
    assert sum(counts) == 51
    if backend == "postgresql":
        assert all(count > 0 for count in counts), counts    # both took part
    logs = job_logs(jobs_db)
    assert sorted(logs) == sorted([f"job {i}" for i in range(50)] + ["cron"])
    with jobs_db.env() as env:
        jobs = env["ir.job"].search([])
        assert set(jobs.mapped("state")) == {"done"}
        assert set(jobs.mapped("attempts")) == {1}
        if backend == "postgresql":
            assert len(set(env["tw.job.log"].search([]).mapped("pid"))) == 2


def test_the_runner_thread(jobs_db):
    """What `serve` and `cron` start: a thread polling every `interval` seconds."""
    runner = Runner(jobs_db, interval=0.05)
    runner.start()
    try:
        with jobs_db.env() as env:
            env["tw.task"].with_delay().job_log("threaded")
        deadline = time.monotonic() + 30
        while job_logs(jobs_db) != ["threaded"]:
            assert time.monotonic() < deadline, "the runner never ran the job"
            time.sleep(0.05)
    finally:
        runner.stop()
        runner.join(timeout=10)
    assert not runner.is_alive()

"""`python server.py cron --once` by subprocess, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys

from core.orm import fields
from tests.modules.common import ROOT
from tests.workflow.conftest import ADDONS, job_logs


def server(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TROIKA_")}
    return subprocess.run([sys.executable, "server.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cron_once(jobs_db):
    with jobs_db.env() as env:
        env["ir.cron"].create({"name": "CLI tick", "model": "tw.task", "method": "_cron_tick",
                               "args": ["cli cron"], "interval_number": 1,
                               "interval_type": "days", "nextcall": fields.Datetime.now()})
        env["tw.task"].with_delay().job_log("cli job")
    url = jobs_db.url.render_as_string(hide_password=False)
    result = server("cron", "--once", "--db-url", url, "--addons-path", str(ADDONS))
    assert result.returncode == 0, result.stderr
    assert "Ran 2 job(s)" in result.stderr
    assert job_logs(jobs_db) == ["cli cron", "cli job"]
    again = server("cron", "--once", "--db-url", url, "--addons-path", str(ADDONS))
    assert again.returncode == 0, again.stderr
    assert "Ran 0 job(s)" in again.stderr
    assert job_logs(jobs_db) == ["cli cron", "cli job"]


def test_cron_help():
    result = server("cron", "--help")
    assert result.returncode == 0
    assert "--once" in result.stdout and "--interval" in result.stdout
